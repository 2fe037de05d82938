"""The worker: every survey workflow and activity on the configured task queue."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities import build_activities
from models.db import make_engine, prepare_schema, session_factory
from models.settings import Settings, load_settings
from worker.client import connect
from workflows import WORKFLOWS


def database(settings: Settings) -> sessionmaker[Session]:
    """A session factory on the configured database, its tables created if missing."""
    engine = make_engine(settings.resolved_database_url())
    prepare_schema(engine)
    return session_factory(engine)


# Deterministic, side-effect-free modules shared with the sandbox instead of re-imported for every
# workflow run: re-building the pydantic messages cost ~0.3 s CPU per survey (bench_campaign.py).
PASSTHROUGH = ("pydantic", "pydantic_core", "annotated_types", "models.messages", "models.enums")


def workflow_runner() -> SandboxedWorkflowRunner:
    """The sandbox, with the message modules passed through."""
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(*PASSTHROUGH)
    )


def build_worker(
    client: Client, settings: Settings, sessions: sessionmaker[Session] | None = None, **options: object
) -> Worker:
    """A worker for the survey and campaign workflows with activities wired to settings."""
    return Worker(
        client,
        task_queue=settings.task_queue,
        workflows=WORKFLOWS,
        activities=build_activities(settings, sessions or database(settings)),
        workflow_runner=workflow_runner(),
        **options,  # type: ignore[arg-type]
    )


async def main() -> None:
    """Run a worker from `MINERALS_*` settings until interrupted."""
    logging.basicConfig(level=logging.INFO)
    settings = load_settings()
    client = await connect(settings)
    await build_worker(client, settings).run()


if __name__ == "__main__":
    asyncio.run(main())
