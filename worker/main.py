"""The worker: every survey workflow and activity on the configured task queue."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker

from activities import build_activities
from models.db import create_schema, make_engine, session_factory
from models.settings import Settings, load_settings
from worker.client import connect
from workflows import WORKFLOWS


def database(settings: Settings) -> sessionmaker[Session]:
    """A session factory on the configured database, its tables created if missing."""
    engine = make_engine(settings.resolved_database_url())
    create_schema(engine)
    return session_factory(engine)


def build_worker(
    client: Client, settings: Settings, sessions: sessionmaker[Session] | None = None, **options: object
) -> Worker:
    """A worker for the survey and campaign workflows with activities wired to settings."""
    return Worker(
        client,
        task_queue=settings.task_queue,
        workflows=WORKFLOWS,
        activities=build_activities(settings, sessions or database(settings)),
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
