"""Temporal workflows of the survey campaigns; `WORKFLOWS` is what a worker registers."""

from workflows.campaign import CampaignWorkflow, campaign_workflow_id
from workflows.survey import SurveyWorkflow, survey_workflow_id

WORKFLOWS: list[type] = [CampaignWorkflow, SurveyWorkflow]

__all__ = ["WORKFLOWS", "CampaignWorkflow", "SurveyWorkflow", "campaign_workflow_id", "survey_workflow_id"]
