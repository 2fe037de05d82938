"""Pydantic messages of the registry refresh and the smelter outreach workflows."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from models.messages import Message


class RefreshActivity(StrEnum):
    """Activity names of the refresh and outreach workflows."""

    BEGIN_REFRESH = "begin_refresh"
    REASSESS_PAGE = "reassess_page"
    FINISH_REFRESH = "finish_refresh"
    SEND_DIGESTS = "send_digests"
    START_OUTREACH = "start_outreach"
    OUTREACH_STEP = "outreach_step"
    RECORD_OUTREACH = "record_outreach"
    IMPORT_NEWEST = "import_newest"


class RefreshInput(Message):
    """Start (or continue) the refresh that follows one status-list import; `after` is the last case done."""

    import_id: int
    page_size: int = Field(default=200, ge=1, le=2000)
    pages_per_run: int = Field(default=20, ge=1, le=200)  # then continue as new: the history stays small
    email_queue: str | None = None  # task queue of the digest emails; None: the workflow's own
    after: int = 0
    examined: int = 0
    changed: int = 0
    pages: int = 0


class RefreshPlan(Message):
    """What a refresh works from: its record and whether any facility changed at all."""

    refresh_id: int
    facilities: int  # facilities whose status changed or whose audit ends within the warning window


class RefreshPage(Message):
    """Judge again the next page of cases that name a changed facility."""

    refresh_id: int
    after: int
    limit: int


class RefreshPageResult(Message):
    """How far a page got: cases examined and changed, the last case covered."""

    examined: int
    changed: int
    last: int
    done: bool


class RefreshResult(Message):
    """Final result of a refresh."""

    refresh_id: int
    examined: int
    changed: int
    pages: int


class Reassessed(Message):
    """Signal to a survey: a registry refresh judged its declaration again (findings stay in the database)."""

    assessment_id: int
    file_id: int
    risk: str
    finding_count: int
    high_added: bool  # a new high finding: an accepted case goes back to risk-found
    note: str = ""


class OutreachInput(Message):
    """Start of one facility's outreach: RMAP invitation letter, follow-ups, staff notes, until it is done."""

    smelter_id: str = Field(pattern=r"^CID\d{6}$")
    follow_up_every: str = "30d"
    follow_ups: int = Field(default=3, ge=0, le=20)
    reason: str = ""
    started_by: str = "system"
    ends_on: list[str] = ["conformant", "cross-recognized", "active"]  # statuses that end it
    email_queue: str | None = None  # task queue of the letters; None: the workflow's own


class OutreachNote(Message):
    """Signal: a staff note on an outreach, or its close with an outcome."""

    actor: str = Field(min_length=1)
    text: str = ""
    outcome: str | None = None  # closes the outreach: e.g. "joined-rmap", "declined", "conformant"


class FacilityStatus(Message):
    """Signal from a refresh: the facility's RMAP status now."""

    status: str | None
    as_of: dt.date | None = None


class OutreachStep(Message):
    """Ask the outreach activity to send the letter or a follow-up (once per key)."""

    smelter_id: str
    key: str
    step: str  # letter | follow-up-N
    follow_ups: int = 0


class OutreachSent(Message):
    """What an outreach step did: sent to the contact, or no contact to send to."""

    sent: bool
    to: str | None = None


class OutreachRecord(Message):
    """A change of an outreach, written with its audit event (once per key)."""

    smelter_id: str
    key: str
    event: str  # outreach.started | outreach.letter-sent | outreach.note | outreach.closed | ...
    state: str  # needs-contact | letter-sent | following-up | closed
    actor: str = "system"
    note: str = ""
    outcome: str | None = None
    letters: int = 0


class OutreachState(Message):
    """Query and result: where an outreach stands."""

    smelter_id: str
    state: str
    letters: int = 0
    outcome: str | None = None
    status: str | None = None


class ImportNewest(Message):
    """Import the newest RMI list placed at a path (a file, or the newest list file in a folder)."""

    path: str


class ImportedList(Message):
    """What a scheduled import did: nothing new, or an import and the refresh it needs."""

    import_id: int | None = None
    file_name: str | None = None
    refresh_workflow_id: str | None = None
    note: str = ""
    email_queue: str | None = None  # the refresh's digest email goes there (None: the workflow's own queue)
