"""Permanent activity failures, by the type workflows react to (never retried)."""

from __future__ import annotations

from temporalio.exceptions import ApplicationError

from models.enums import ErrorType


def missing_row(what: str) -> ApplicationError:
    """The case, supplier, campaign or action row an activity needs does not exist: retrying cannot help."""
    return ApplicationError(f"{what} does not exist", type=ErrorType.MISSING_ROW.value, non_retryable=True)


def bounced(message: str) -> ApplicationError:
    """The relay refused an email's recipient for good (5xx, invalid address)."""
    return ApplicationError(message, type=ErrorType.EMAIL_BOUNCED.value, non_retryable=True)
