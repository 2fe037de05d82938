"""The activity tests share the survey test kit's database and SMTP fixtures."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflows"))

from survey_kit import sessions, smtp  # noqa: E402, F401
