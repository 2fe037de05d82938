"""Fixtures of the worker tests: the survey kit's database and SMTP sink, and a real dev server."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflows"))

from survey_kit import sessions, smtp  # noqa: E402, F401
from worker_kit import temporal  # noqa: E402, F401
