"""The ceiling for bench_campaign.py: a workflow that runs one trivial activity."""

from __future__ import annotations

from datetime import timedelta

from temporalio import activity, workflow


@activity.defn
async def touch(n: int) -> int:
    """Do nothing useful."""
    return n + 1


@workflow.defn
class TrivialWorkflow:
    """One activity, then done."""

    @workflow.run
    async def run(self, n: int) -> int:
        """Run `touch` once."""
        return await workflow.execute_activity(touch, n, start_to_close_timeout=timedelta(seconds=30))
