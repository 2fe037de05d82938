"""Fixtures of the report tests (see campaign_kit)."""

from campaign_kit import world  # noqa: F401
