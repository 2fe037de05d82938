"""The activity tests share the survey test kit's database and SMTP fixtures, and a relay that refuses."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflows"))

from mail_relay import relay  # noqa: E402, F401
from survey_kit import sessions, smtp  # noqa: E402, F401
