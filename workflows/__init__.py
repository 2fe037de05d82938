"""Temporal workflows of the survey campaigns; `WORKFLOWS` is what a worker registers."""

from workflows.campaign import CampaignWorkflow, campaign_workflow_id
from workflows.corrective_action import CorrectiveActionWorkflow, action_workflow_id
from workflows.survey import SurveyWorkflow, survey_workflow_id

WORKFLOWS: list[type] = [CampaignWorkflow, SurveyWorkflow, CorrectiveActionWorkflow]

__all__ = [
    "WORKFLOWS",
    "CampaignWorkflow",
    "CorrectiveActionWorkflow",
    "SurveyWorkflow",
    "action_workflow_id",
    "campaign_workflow_id",
    "survey_workflow_id",
]
