"""Product counters, emitted through the Temporal metric meter so they share the worker's /metrics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from temporalio import activity
from temporalio.common import MetricMeter

EMAILS_SENT = "minerals_emails_sent_total"
EMAIL_FAILURES = "minerals_email_failures_total"
EMAILS_BOUNCED = "minerals_emails_bounced_total"
UPLOADS_CHECKED = "minerals_uploads_checked_total"
FINDINGS = "minerals_findings_total"

DESCRIPTIONS = {
    EMAILS_SENT: "Emails handed to the SMTP relay, by kind",
    EMAIL_FAILURES: "Failed SMTP attempts (the activity retries), by kind",
    EMAILS_BOUNCED: "Emails the relay refused for good (not retried), by kind",
    UPLOADS_CHECKED: "Uploaded templates checked, by check status",
    FINDINGS: "Risk findings recorded on assessed templates, by finding code",
}


def _meter() -> MetricMeter:
    """The running activity's meter; a no-op outside an activity (direct calls, tests)."""
    return activity.metric_meter() if activity.in_activity() else MetricMeter.noop


def _add(name: str, value: int, label: str, label_value: str) -> None:
    if value > 0:
        _meter().create_counter(name, DESCRIPTIONS[name]).add(value, {label: label_value})


def email_sent(kind: str) -> None:
    """Count one email sent."""
    _add(EMAILS_SENT, 1, "kind", kind)


def email_failed(kind: str) -> None:
    """Count one failed attempt to send an email."""
    _add(EMAIL_FAILURES, 1, "kind", kind)


def email_bounced(kind: str) -> None:
    """Count one email the relay refused for good."""
    _add(EMAILS_BOUNCED, 1, "kind", kind)


def upload_checked(status: str) -> None:
    """Count one checked upload by its status (complete, incomplete, unreadable...)."""
    _add(UPLOADS_CHECKED, 1, "status", status)


def findings(codes: Iterable[str]) -> None:
    """Count recorded findings by code."""
    for code, count in Counter(codes).items():
        _add(FINDINGS, count, "code", code)
