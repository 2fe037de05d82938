"""CampaignWorkflow: start one survey per supplier, a page at a time, continuing-as-new between pages."""

from __future__ import annotations

from temporalio import workflow

from models.enums import ActivityName, CampaignStatus
from models.messages import CampaignInput, CampaignResult, PageResult, SurveyPage
from workflows.policies import DATABASE, PAGE


def campaign_workflow_id(name: str) -> str:
    """The business key of a campaign workflow."""
    return f"campaign-{name}"


@workflow.defn
class CampaignWorkflow:
    """A batch iterator: the history holds one page; the totals live in the database."""

    @workflow.run
    async def run(self, inp: CampaignInput) -> CampaignResult:
        """Start the next page of surveys, then continue as new until every survey is started."""
        if inp.pages == 0:
            await self._status(inp, CampaignStatus.STARTING)
        page = PageResult.model_validate(
            await workflow.execute_activity(
                ActivityName.START_SURVEY_PAGE.value,
                SurveyPage(campaign_id=inp.campaign_id, after=inp.after, limit=inp.page_size),
                start_to_close_timeout=PAGE.timeout,
                heartbeat_timeout=PAGE.timeout / 5,
                retry_policy=PAGE.retry,
            )
        )
        started, pages = inp.started + page.started, inp.pages + 1
        if not page.done:
            workflow.continue_as_new(
                inp.model_copy(update={"after": page.last, "started": started, "pages": pages})
            )
        await self._status(inp, CampaignStatus.STARTED)
        return CampaignResult(started=started, pages=pages)

    async def _status(self, inp: CampaignInput, status: CampaignStatus) -> None:
        await workflow.execute_activity(
            ActivityName.RECORD_CAMPAIGN.value,
            args=[inp.campaign_id, status.value],
            start_to_close_timeout=DATABASE.timeout,
            retry_policy=DATABASE.retry,
        )
