"""Pydantic inputs and outputs of the workflows, their signals, updates, queries and activities."""

from __future__ import annotations

import datetime as dt

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from models.enums import ActionStatus, CheckStatus, Decision, EmailKind, Stage

# Campaign names and supplier ids become parts of workflow ids.
KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"


class Message(BaseModel):
    """Base of every message: immutable; unknown fields ignored, so workers of two versions share a queue."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class Cadence(Message):
    """How often to remind and when to escalate; durations like `14d`, `36h`, `2s`."""

    reminder_every: str = "14d"
    reminders: int = Field(default=3, ge=0, le=50)
    escalation_after: str = "7d"
    reopen_window: str = "30d"  # how long a finished case still accepts `reopen`


# --- survey workflow -------------------------------------------------------------------------------


class SurveyInput(Message):
    """Start of one supplier's survey in one campaign."""

    survey_id: int  # the case row
    campaign: str = Field(pattern=KEY_PATTERN)
    supplier_id: str = Field(pattern=KEY_PATTERN)
    due_at: AwareDatetime
    cadence: Cadence = Cadence()
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, gt=0)
    indexed: bool = False  # keep the Stage/DueAt/ReminderCount/RiskLevel search attributes current
    email_queue: str | None = None  # task queue of the email activities; None: the workflow's own
    # The campaign recorded the request step before starting the workflow (activities/requests.py), and
    # sent its email unless request_sent is False; a workflow started otherwise does both itself.
    requested: bool = False
    request_sent: bool = False


class SubmitUpload(Message):
    """Update: a stored file (never its bytes) offered as the supplier's answer."""

    file_id: int = Field(gt=0)
    sha256: str = Field(pattern=SHA256_PATTERN)
    size: int = Field(ge=0)
    submitted_by: str = "supplier"


class UploadOutcome(Message):
    """Answer to an accepted upload: what the check found and where the case went."""

    file_id: int
    status: CheckStatus
    issue_count: int
    stage: Stage


class ExtendDue(Message):
    """Signal: move the due date."""

    due_at: AwareDatetime
    actor: str
    reason: str = ""


class Exempt(Message):
    """Signal: exempt the supplier from this survey."""

    reason: str = Field(min_length=1)
    actor: str


class CloseCase(Message):
    """Signal: close the case without an accepted answer."""

    actor: str
    reason: str = ""


class Reopen(Message):
    """Signal: reopen a finished case and ask again, optionally with a new due date."""

    actor: str
    reason: str = ""
    due_at: AwareDatetime | None = None


class RemindNow(Message):
    """Signal: send the supplier a reminder now (staff's bulk remind), outside the cadence."""

    actor: str


class HoldReminders(Message):
    """Signal: staff pause (or resume) a case's reminders, escalation and overdue marking."""

    actor: str
    reason: str = ""


class ContactChanged(Message):
    """Signal: staff corrected the supplier's email; an email the relay refused is sent again."""

    email: str
    actor: str


class SurveyState(Message):
    """Query: the live state of a survey."""

    stage: Stage
    due_at: dt.datetime
    round: int  # 0 = first request, then one per fix request or reopen
    reminders_sent: int
    escalated: bool
    last_file_id: int | None = None
    issue_count: int | None = None
    risk: str | None = None
    finding_count: int | None = None
    exempt_reason: str | None = None
    open_actions: int = 0  # corrective actions not closed yet; the survey ends after them
    bounced: EmailKind | None = (
        None  # the relay refused this email to the supplier; staff correct the address
    )


# --- survey activities -----------------------------------------------------------------------------


class Transition(Message):
    """A change of a case, written with its audit event in one transaction."""

    survey_id: int
    key: str  # workflow id + step: a retried activity writes it once
    action: str  # e.g. "survey.reminded"
    actor: str = "system"
    stage: Stage
    due_at: dt.datetime
    reminders_sent: int = 0
    fix_rounds: int = 0
    risk: str | None = None
    exempt_reason: str | None = None
    last_file_id: int | None = None
    note: str = ""


def step_key(workflow_id: str, round_: int, step: str) -> str:
    """The idempotency key of a case's step: its audit event and its email are written once per key."""
    return f"{workflow_id}/r{round_}/{step}"


def first_request(workflow_id: str, inp: SurveyInput) -> tuple[Transition, EmailRequest]:
    """A survey's first step, as the survey workflow records it: the case requested, the request email."""
    key = step_key(workflow_id, 0, "request")
    transition = Transition(
        survey_id=inp.survey_id,
        key=key,
        action=Stage.REQUESTED.action,
        stage=Stage.REQUESTED,
        due_at=inp.due_at,
    )
    email = EmailRequest(survey_id=inp.survey_id, key=key, kind=EmailKind.REQUEST, due_at=inp.due_at)
    return transition, email


class EmailRequest(Message):
    """Send one email of a kind for a case, exactly once per `key`."""

    survey_id: int
    key: str  # workflow id + step
    kind: EmailKind
    due_at: dt.datetime
    file_id: int | None = None  # the checked upload, for fix-request / accepted / risk-found
    copy_owner: bool = False  # escalations also go to the internal owner
    reminders: int = 0  # reminders sent so far in this round, this one included
    fixing: bool = False  # the round waits for a corrected file
    action_id: int | None = None  # a corrective action's email: its findings and expected outcome
    reason: str = ""  # why staff rejected the response


class FileRef(Message):
    """A stored file of a case, checked against its recorded sha256 and size."""

    survey_id: int
    file_id: int
    sha256: str = Field(pattern=SHA256_PATTERN)
    size: int
    max_bytes: int


class CheckOutcome(Message):
    """What checking an upload found (the issues themselves stay in the database)."""

    file_id: int
    status: CheckStatus
    issue_count: int
    family: str | None = None
    version: str | None = None


class AssessOutcome(Message):
    """What assessing a complete declaration found (findings stay in the database)."""

    file_id: int
    risk: str
    finding_count: int


# --- corrective actions ---------------------------------------------------------------------------


class PlanActions(Message):
    """Group an assessed file's findings into actions: open new ones, say what remains of the others."""

    survey_id: int
    file_id: int
    prefix: str  # capa-{campaign}-{supplier}; the action number is appended
    assessment_id: int | None = None  # a registry refresh's assessment of the same file, not an upload


class ActionPlan(Message):
    """One action after planning: started now (`new`) or already running with `remaining` findings."""

    action_id: int
    n: int
    workflow_id: str
    new: bool
    remaining: int
    due_after: dt.timedelta
    owner: str | None = None
    severity: str = "medium"


class ActionInput(Message):
    """Start of one corrective action's workflow."""

    action_id: int
    survey_id: int
    n: int
    due_at: AwareDatetime
    cadence: Cadence = Cadence()
    owner: str | None = None
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, gt=0)
    indexed: bool = False  # keep the Stage (action-…)/DueAt search attributes current
    email_queue: str | None = None  # task queue of the email activities; None: the workflow's own


class FindingsRemaining(Message):
    """Signal from the survey: a new template was assessed and this many of the action's findings remain."""

    file_id: int
    remaining: int = Field(ge=0)
    note: str = ""  # set when a registry refresh, not a new template, judged the findings again


class ActionDecision(Message):
    """Update: a staff decision on an action; `reason` is required to reject or waive."""

    decision: Decision
    actor: str = Field(min_length=1)
    reason: str = ""
    due_at: AwareDatetime | None = None  # extend
    owner: str | None = None  # assign


class SubmitEvidence(Message):
    """Update: a stored document (letter, certificate) offered as evidence for an action."""

    file_id: int = Field(gt=0)
    sha256: str = Field(pattern=SHA256_PATTERN)
    size: int = Field(ge=0)
    submitted_by: str = "supplier"
    note: str = ""


class ActionState(Message):
    """Query (and result): the live state of a corrective action."""

    status: ActionStatus
    due_at: dt.datetime
    owner: str | None = None
    round: int = 0  # one per rejected response
    follow_ups: int = 0
    escalated: bool = False
    remaining: int | None = None  # findings left after the last template, when one came
    evidence_pending: int = 0  # documents waiting for a staff review
    bounced: EmailKind | None = (
        None  # the relay refused this email to the supplier; staff correct the address
    )


class ActionChange(Message):
    """A change of an action, written with its timeline entry and audit event in one transaction."""

    action_id: int
    key: str  # workflow id + step: a retried activity writes it once
    event: str  # e.g. "action.rejected"
    actor: str = "system"
    status: ActionStatus
    due_at: dt.datetime | None = None  # None: as recorded (the survey closing an action that ended)
    owner: str | None = None
    follow_ups: int | None = None  # None: as recorded
    note: str = ""
    file_id: int | None = None
    evidence: str | None = None  # template | document: record the file as evidence
    review: str | None = None  # accepted | rejected: the verdict on pending evidence


# --- campaign workflow -----------------------------------------------------------------------------


class CampaignInput(Message):
    """Start (or continue) a campaign; `after` is the last survey row already started."""

    campaign_id: int
    name: str = Field(pattern=KEY_PATTERN)
    page_size: int = Field(default=500, ge=1, le=2000)
    after: int = 0
    started: int = 0
    pages: int = 0


class SurveyPage(Message):
    """Ask the campaign activity to start the next page of surveys."""

    campaign_id: int
    after: int
    limit: int


class PageResult(Message):
    """How far a page got: surveys started and the last row id covered."""

    started: int
    last: int
    done: bool


class CampaignResult(Message):
    """Final result of a campaign workflow's start-up."""

    started: int
    pages: int
