"""Fixtures of the API tests: the console's kit (a console on a fresh database with generated cases)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "console"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflows"))

from console_kit import console, password_hash  # noqa: E402, F401
