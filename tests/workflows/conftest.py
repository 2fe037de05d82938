"""Fixtures of the survey workflow tests (see survey_kit)."""

from survey_kit import dev_kit, kit, sessions, smtp  # noqa: F401
