"""Domain vocabularies shared by tables, messages and workflows (sandbox-safe: stdlib only)."""

from __future__ import annotations

from enum import StrEnum


class TemplateFamily(StrEnum):
    """The RMI reporting template a campaign asks suppliers to fill."""

    CMRT = "CMRT"
    EMRT = "EMRT"
    CRT = "CRT"
    AMRT = "AMRT"


class Stage(StrEnum):
    """Where a survey case stands."""

    PENDING = "pending"  # enrolled in a campaign, workflow not started yet
    REQUESTED = "requested"
    REMINDED = "reminded"
    ESCALATED = "escalated"
    OVERDUE = "overdue"
    CHECKING = "checking"
    FIX_REQUESTED = "fix-requested"
    ASSESSING = "assessing"
    ACCEPTED = "accepted"
    RISK_FOUND = "risk-found"
    EXEMPTED = "exempted"
    CLOSED = "closed"

    @property
    def waiting(self) -> bool:
        """True while the case waits for the supplier's (next) upload."""
        return self in WAITING

    @property
    def action(self) -> str:
        """The audit action of entering this stage."""
        return "survey.upload-received" if self is Stage.CHECKING else f"survey.{self.value}"

    @property
    def final(self) -> bool:
        """True when the case no longer accepts uploads until reopened."""
        return self in FINAL


WAITING = frozenset({Stage.REQUESTED, Stage.REMINDED, Stage.ESCALATED, Stage.OVERDUE, Stage.FIX_REQUESTED})
FINAL = frozenset({Stage.ACCEPTED, Stage.RISK_FOUND, Stage.EXEMPTED, Stage.CLOSED})


class CampaignStatus(StrEnum):
    """Progress of a campaign's start-up."""

    CREATED = "created"
    STARTING = "starting"  # surveys are being started page by page
    STARTED = "started"  # every survey has been started
    CLOSED = "closed"


class EmailKind(StrEnum):
    """Kinds of email the system sends; each has a text and an HTML template per language."""

    REQUEST = "request"
    REMINDER = "reminder"
    ESCALATION = "escalation"
    FIX_REQUEST = "fix-request"
    ACCEPTED = "accepted"
    RISK_FOUND = "risk-found"
    ACTION_REQUEST = "action-request"  # a corrective action: findings, what is expected, upload link
    ACTION_FOLLOW_UP = "action-follow-up"
    ACTION_ESCALATION = "action-escalation"  # to the internal owner: the due date has passed
    ACTION_REJECTED = "action-rejected"  # the response was not enough: why, and the new due date
    ACTION_CLOSED = "action-closed"  # resolved, accepted or waived
    BOUNCE_NOTICE = "bounce-notice"  # to the internal owner: the relay refused the supplier's address


class ActionStatus(StrEnum):
    """Where a corrective action stands; open and rejected still wait for the supplier."""

    OPEN = "open"
    REJECTED = "rejected"  # the last response was rejected; the clock restarted
    RESOLVED = "resolved"  # a new template no longer shows its findings
    ACCEPTED = "accepted"  # staff accepted the supplier's response
    WAIVED = "waived"
    CLOSED = "closed"  # ended by staff or with its survey

    @property
    def closed(self) -> bool:
        """True once the action no longer waits for anything."""
        return self not in (ActionStatus.OPEN, ActionStatus.REJECTED)


class Decision(StrEnum):
    """What staff can decide on a corrective action."""

    ACCEPT = "accept"
    REJECT = "reject"
    EXTEND = "extend"
    WAIVE = "waive"
    ASSIGN = "assign"
    NOTE = "note"


class CheckStatus(StrEnum):
    """Outcome of checking one uploaded template."""

    PENDING = "pending"
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"
    UNREADABLE = "unreadable"
    REFUSED = "refused"  # the case did not take the file (another was being checked, the case closed, …)


class ErrorType(StrEnum):
    """Non-retryable activity failure types that workflows react to by name."""

    EMAIL_BOUNCED = "EmailBounced"  # the relay refused the address for good (5xx, invalid address)
    MISSING_ROW = "MissingRow"  # the case, supplier or action row the activity needs does not exist


class ActivityName(StrEnum):
    """Registered activity names: workflows call activities by these, never by importing them."""

    RECORD_TRANSITION = "record_transition"
    SEND_EMAIL = "send_email"
    VERIFY_UPLOAD = "verify_upload"
    CHECK_UPLOAD = "check_upload"
    ASSESS_UPLOAD = "assess_upload"
    START_SURVEY_PAGE = "start_survey_page"
    RECORD_CAMPAIGN = "record_campaign"
    PLAN_ACTIONS = "plan_actions"
    RECORD_ACTION = "record_action"
