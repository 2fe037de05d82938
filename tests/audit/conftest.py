"""Fixtures of the audit tests (see audit_kit)."""

from audit_kit import db, sqlite_db  # noqa: F401
