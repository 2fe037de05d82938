"""Temporal workflows of the survey campaigns; `WORKFLOWS` is what a worker registers."""

from workflows.campaign import CampaignWorkflow, campaign_workflow_id
from workflows.corrective_action import CorrectiveActionWorkflow, action_workflow_id
from workflows.outreach import OutreachWorkflow, outreach_workflow_id
from workflows.registry_import import RegistryImportWorkflow
from workflows.registry_refresh import RegistryRefreshWorkflow
from workflows.survey import SurveyWorkflow, survey_workflow_id
from workflows.webhook import WebhookDeliveryWorkflow, WebhookDispatchWorkflow

WORKFLOWS: list[type] = [
    CampaignWorkflow,
    SurveyWorkflow,
    CorrectiveActionWorkflow,
    RegistryRefreshWorkflow,
    OutreachWorkflow,
    RegistryImportWorkflow,
    WebhookDispatchWorkflow,
    WebhookDeliveryWorkflow,
]

__all__ = [
    "WORKFLOWS",
    "CampaignWorkflow",
    "CorrectiveActionWorkflow",
    "OutreachWorkflow",
    "RegistryImportWorkflow",
    "RegistryRefreshWorkflow",
    "SurveyWorkflow",
    "WebhookDeliveryWorkflow",
    "WebhookDispatchWorkflow",
    "action_workflow_id",
    "outreach_workflow_id",
    "campaign_workflow_id",
    "survey_workflow_id",
]
