"""`minerals cases stalled`: a workflow whose task keeps failing is named; a healthy waiting one is not."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from temporalio import workflow
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker
from typer.testing import CliRunner
from worker_kit import address, eventually

from cases.stalled import stalled_runs
from cli.main import app

runner = CliRunner()


@workflow.defn(sandboxed=False)
class BrokenWorkflow:
    """A bug in workflow code: every attempt of its first task fails, the workflow itself never does."""

    @workflow.run
    async def run(self) -> None:
        raise RuntimeError("a bug in the workflow code")


@workflow.defn(sandboxed=False)
class WaitingWorkflow:
    """A healthy run that waits (as a survey waits for its supplier)."""

    @workflow.run
    async def run(self) -> None:
        await workflow.wait_condition(lambda: False)


async def test_a_workflow_whose_task_keeps_failing_is_named_and_a_waiting_one_is_not(
    temporal: WorkflowEnvironment, tmp_path: Path
) -> None:
    queue = f"tq-{tmp_path.name}"
    client = temporal.client
    await client.start_workflow(WaitingWorkflow.run, id="waiting-1", task_queue=queue)
    await client.start_workflow(BrokenWorkflow.run, id="broken-1", task_queue=queue)
    async with Worker(client, task_queue=queue, workflows=[BrokenWorkflow, WaitingWorkflow]):
        found = await eventually(lambda: stalled_runs(client, queue, 2), bool, timeout=60)
        assert [(s.workflow_id, s.workflow_type) for s in found] == [("broken-1", "BrokenWorkflow")]
        assert found[0].attempts >= 2 and found[0].since is not None
        env = {"MINERALS_TEMPORAL_ADDRESS": address(temporal), "MINERALS_TASK_QUEUE": queue}
        args = ["cases", "stalled", "--attempts", "2", "--data-dir", str(tmp_path)]
        # The command runs its own event loop: in a thread, as from a terminal beside this test's loop.
        listed = await asyncio.to_thread(runner.invoke, app, [*args, "--json"], env=env)
        shown = await asyncio.to_thread(runner.invoke, app, args, env=env)
        quiet = await asyncio.to_thread(
            runner.invoke,
            app,
            ["cases", "stalled", "--data-dir", str(tmp_path)],
            env={**env, "MINERALS_TASK_QUEUE": "other"},
        )
    assert listed.exit_code == 1, listed.output
    assert [row["workflow_id"] for row in json.loads(listed.output)] == ["broken-1"]
    assert shown.exit_code == 1 and "broken-1" in shown.output and "waiting-1" not in shown.output
    assert quiet.exit_code == 0 and "No workflow of queue other" in quiet.output
