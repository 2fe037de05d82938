"""RegistryImportWorkflow: what the registry schedule runs: import the newest list, then refresh the cases."""

from __future__ import annotations

from temporalio import workflow

from models.refresh_messages import ImportedList, ImportNewest, RefreshActivity, RefreshInput
from workflows.policies import PAGE
from workflows.registry_refresh import RegistryRefreshWorkflow


@workflow.defn
class RegistryImportWorkflow:
    """Import the newest list at a path (a file already imported is a no-op) and run its refresh."""

    @workflow.run
    async def run(self, ask: ImportNewest) -> ImportedList:
        """Import, then refresh as a child (visible under this run in the Temporal UI)."""
        done = ImportedList.model_validate(
            await workflow.execute_activity(
                RefreshActivity.IMPORT_NEWEST,
                ask,
                start_to_close_timeout=PAGE.timeout,
                retry_policy=PAGE.retry,
            )
        )
        if done.import_id is not None and done.refresh_workflow_id:
            await workflow.execute_child_workflow(
                RegistryRefreshWorkflow.run,
                RefreshInput(import_id=done.import_id, email_queue=done.email_queue),
                id=done.refresh_workflow_id,
                parent_close_policy=workflow.ParentClosePolicy.ABANDON,
            )
        return done
