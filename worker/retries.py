"""Retryable activity failures logged once a minute per kind and activity, not once an attempt."""

from __future__ import annotations

import logging
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory, FailureError
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

from activities.failures import FailureLog

log = logging.getLogger("minerals.activities")


class QuietRetries(Interceptor):
    """A database that is down fails every activity attempt: one line a minute says so, with the first
    traceback, instead of the SDK's warning and traceback for each attempt."""

    def __init__(self, failures: FailureLog | None = None) -> None:
        self.failures = failures or FailureLog(log)

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        """Wrap every activity of the worker."""
        return _Inbound(next, self.failures)


class _Inbound(ActivityInboundInterceptor):
    def __init__(self, next: ActivityInboundInterceptor, failures: FailureLog) -> None:
        super().__init__(next)
        self._failures = failures

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        try:
            return await self.next.execute_activity(input)
        except FailureError:  # Temporal's own (cancellation) and our typed errors keep their logging
            raise
        except Exception as exc:
            kind, name = type(exc).__name__, activity.info().activity_type
            self._failures.failed(kind, name, str(exc), exc_info=exc)
            # As the SDK would convert it (the class name as the type), minus its warning per attempt.
            raise ApplicationError(str(exc), type=kind, category=ApplicationErrorCategory.BENIGN) from exc
