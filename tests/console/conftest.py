"""Fixtures of the console tests (see console_kit)."""

from console_kit import console, password_hash  # noqa: F401
