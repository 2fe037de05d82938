"""The CLI tests that drive a real case share the survey test kit's database and the refusing relay."""

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / d) for d in ("workflows", "activities")]

from mail_relay import relay  # noqa: E402, F401
from survey_kit import sessions  # noqa: E402, F401
