"""Fixtures of the worker tests: the survey kit's database and SMTP sink, a real dev server, and logging
put back after tests that configure it."""

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from temporalio import activity

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflows"))

from survey_kit import sessions, smtp  # noqa: E402, F401
from worker_kit import temporal  # noqa: E402, F401


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Put the root logger and the Temporal activity logger back as they were."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    activity.logger.activity_info_on_message = True
