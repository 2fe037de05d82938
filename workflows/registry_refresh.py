"""RegistryRefreshWorkflow: after a status-list import, judge again exactly the cases it concerns."""

from __future__ import annotations

import datetime as dt

from temporalio import workflow

from models.refresh_messages import (
    RefreshActivity,
    RefreshInput,
    RefreshPage,
    RefreshPageResult,
    RefreshPlan,
    RefreshResult,
)
from workflows.policies import DATABASE, EMAIL, PAGE


@workflow.defn
class RegistryRefreshWorkflow:
    """Pages through the cases naming a changed facility; each page judges them and tells their surveys."""

    @workflow.run
    async def run(self, inp: RefreshInput) -> RefreshResult:
        """Judge the next pages, continuing as new until every concerned case is done; then sum up."""
        plan = RefreshPlan.model_validate(
            await workflow.execute_activity(
                RefreshActivity.BEGIN_REFRESH,
                inp,
                start_to_close_timeout=PAGE.timeout,
                retry_policy=DATABASE.retry,
            )
        )
        examined, changed, pages, after = inp.examined, inp.changed, inp.pages, inp.after
        done = plan.facilities == 0
        for _ in range(inp.pages_per_run):
            if done:
                break
            page = RefreshPageResult.model_validate(
                await workflow.execute_activity(
                    RefreshActivity.REASSESS_PAGE,
                    RefreshPage(refresh_id=plan.refresh_id, after=after, limit=inp.page_size),
                    start_to_close_timeout=PAGE.timeout,
                    heartbeat_timeout=dt.timedelta(seconds=60),
                    retry_policy=PAGE.retry,
                )
            )
            examined, changed, pages = examined + page.examined, changed + page.changed, pages + 1
            after, done = page.last, page.done
        if not done:
            workflow.continue_as_new(
                inp.model_copy(
                    update={"after": after, "examined": examined, "changed": changed, "pages": pages}
                )
            )
        result = RefreshResult(refresh_id=plan.refresh_id, examined=examined, changed=changed, pages=pages)
        await workflow.execute_activity(
            RefreshActivity.FINISH_REFRESH,
            result,
            start_to_close_timeout=DATABASE.timeout,
            retry_policy=DATABASE.retry,
        )
        await workflow.execute_activity(
            RefreshActivity.START_OUTREACH,
            result,
            start_to_close_timeout=PAGE.timeout,
            retry_policy=PAGE.retry,
        )
        await workflow.execute_activity(
            RefreshActivity.SEND_DIGESTS,
            result,
            task_queue=inp.email_queue,
            start_to_close_timeout=EMAIL.timeout,
            retry_policy=EMAIL.retry,
        )
        return result
