"""Today: what needs a person, for one owner or the whole team, each line with the place to act.

Every queue is counted up to COUNT_LIMIT (counting further would cost a scan) and shows its first lines,
oldest or most urgent first; its `more` link opens the sortable, paged case list of the same cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from cases.action_view import OPEN, action_number
from models.base import utcnow
from models.corrective import ActionEvidence, CorrectiveAction
from models.customer_request import OPEN as OPEN_REQUEST
from models.customer_request import CustomerRequest
from models.enums import FINAL, Stage
from models.files import StoredFile
from models.outbox import EmailMessage, unresolved_bounce
from models.registry import RegistryFacility, RegistryStatus
from models.supplier import Supplier
from models.survey import Survey

COUNT_LIMIT = 100  # Today says "more than 100"; the case list behind `more` counts further
SHOWN = 10  # lines per queue; the rest through `more`
DUE_SOON = dt.timedelta(days=7)
Q = TypeVar("Q", bound=Select[*tuple[Any, ...]])
NEEDS = ("evidence", "actions-due", "bounced")  # case-list filters of the queues beyond plain columns


@dataclass(frozen=True)
class Line:
    """One thing to act on: what, on which case or facility, since or until when, and where."""

    what: str
    subject: str
    when: dt.datetime | None
    link: str


@dataclass(frozen=True)
class Queue:
    """One kind of work: how many, the first lines, and the list of all of them."""

    key: str
    title: str
    count: int
    lines: list[Line]
    more: str

    @property
    def count_text(self) -> str:
        """The count, capped where counting would cost a full scan."""
        return f"more than {COUNT_LIMIT:,}" if self.count > COUNT_LIMIT else f"{self.count:,}"


@dataclass(frozen=True)
class Today:
    """Every queue, for `owner` (an email) or the team (owner empty)."""

    owner: str
    queues: list[Queue]

    @property
    def total(self) -> int:
        """How many things wait in all (capped counts added)."""
        return sum(q.count for q in self.queues)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


def _owned(owner: str, actions: bool = False) -> list[ColumnElement[bool]]:
    """The owner's work, on a query joined to the case's supplier: cases whose supplier the owner (a
    buyer's email) looks after, and with `actions` also corrective actions assigned to the owner."""
    if not owner:
        return []
    mine = Supplier.owner_email == owner
    return [or_(CorrectiveAction.owner == owner, mine) if actions else mine]


def evidence_waiting() -> ColumnElement[bool]:
    """Evidence a supplier sent for an open action that nobody has reviewed yet."""
    return and_(ActionEvidence.review == "pending", CorrectiveAction.status.in_(OPEN))


def action_due(now: dt.datetime) -> ColumnElement[bool]:
    """An open action past its due date or due within the week."""
    return and_(CorrectiveAction.status.in_(OPEN), CorrectiveAction.due_at < now + DUE_SOON)


def past_due(now: dt.datetime) -> ColumnElement[bool]:
    """A case still waiting after its due date."""
    return and_(Survey.due_at < now, Survey.stage.not_in([s.value for s in FINAL]))


def needing(need: str, now: dt.datetime) -> Select[Any]:
    """The ids of the cases with work of one kind of NEEDS (for the case list's filter)."""
    if need == "evidence":
        return (
            select(CorrectiveAction.survey_id)
            .join(ActionEvidence, ActionEvidence.action_id == CorrectiveAction.id)
            .where(evidence_waiting())
        )
    if need == "actions-due":
        return select(CorrectiveAction.survey_id).where(action_due(now))
    if need == "bounced":
        return select(EmailMessage.survey_id).where(EmailMessage.survey_id.is_not(None), unresolved_bounce())
    raise ValueError(f"unknown need {need!r}")


def _count(session: Session, query: Select[Any]) -> int:
    return session.scalar(select(func.count()).select_from(query.limit(COUNT_LIMIT + 1).subquery())) or 0


def _more(owner: str, **params: str) -> str:
    return "/cases?" + urlencode({**params, **({"owner": owner} if owner else {})})


def _subject(supplier_id: str, name: str) -> str:
    return f"{supplier_id} {name}"


def _of_case(query: Q, case_id: Any) -> Q:
    """The query joined to the case and its supplier."""
    return query.join(Survey, Survey.id == case_id).join(Supplier, Supplier.id == Survey.supplier_id)


def _evidence(session: Session, owner: str) -> Queue:
    file_name = select(StoredFile.original_name).where(StoredFile.id == ActionEvidence.file_id)
    query = _of_case(
        select(
            ActionEvidence.created_at,
            ActionEvidence.kind,
            file_name.scalar_subquery(),
            CorrectiveAction.id,
            CorrectiveAction.n,
            CorrectiveAction.survey_id,
            Supplier.supplier_id,
            Supplier.name,
        ).join(CorrectiveAction, CorrectiveAction.id == ActionEvidence.action_id),
        CorrectiveAction.survey_id,
    ).where(evidence_waiting(), *_owned(owner, actions=True))
    rows = session.execute(query.order_by(ActionEvidence.created_at, ActionEvidence.id).limit(SHOWN))
    lines = [
        Line(
            f"Review {kind} “{file}” for action {action_number(case, n)}",
            _subject(sid, name),
            _aware(at),
            f"/cases/{case}#action-{action}",
        )
        for at, kind, file, action, n, case, sid, name in rows
    ]
    count = _count(session, query.with_only_columns(ActionEvidence.id))
    return Queue("evidence", "Evidence awaiting review", count, lines, _more(owner, needs="evidence"))


def _actions(session: Session, owner: str, now: dt.datetime) -> Queue:
    query = _of_case(
        select(
            CorrectiveAction.id,
            CorrectiveAction.n,
            CorrectiveAction.kind,
            CorrectiveAction.due_at,
            CorrectiveAction.survey_id,
            Supplier.supplier_id,
            Supplier.name,
        ),
        CorrectiveAction.survey_id,
    ).where(action_due(now), *_owned(owner, actions=True))
    lines = []
    for action, n, kind, due, case, sid, name in session.execute(
        query.order_by(CorrectiveAction.due_at, CorrectiveAction.id).limit(SHOWN)
    ):
        due = _aware(due)
        state = "overdue since" if due is not None and due < now else "due"
        day = due.date().isoformat() if due else ""
        lines.append(
            Line(
                f"Action {action_number(case, n)} ({kind}) {state} {day}",
                _subject(sid, name),
                due,
                f"/cases/{case}#action-{action}",
            )
        )
    count = _count(session, query.with_only_columns(CorrectiveAction.id))
    title = "Corrective actions overdue or due this week"
    return Queue("actions-due", title, count, lines, _more(owner, needs="actions-due"))


def _bounces(session: Session, owner: str) -> Queue:
    query = _of_case(
        select(
            EmailMessage.kind,
            EmailMessage.bounced_at,
            EmailMessage.survey_id,
            Supplier.supplier_id,
            Supplier.name,
        ),
        EmailMessage.survey_id,
    ).where(unresolved_bounce(), *_owned(owner))
    rows = session.execute(
        query.order_by(EmailMessage.bounced_at.desc(), EmailMessage.id.desc()).limit(SHOWN)
    )
    lines = [
        Line(
            f"The {kind} email bounced: correct the address",
            _subject(sid, name),
            _aware(at),
            f"/cases/{case}#contact",
        )
        for kind, at, case, sid, name in rows
    ]
    count = _count(session, query.with_only_columns(EmailMessage.id))
    return Queue("bounced", "Bounced emails", count, lines, _more(owner, needs="bounced"))


def _cases(session: Session, owner: str, key: str, condition: ColumnElement[bool], what: str) -> Queue:
    """A queue of cases by one condition on the case row, oldest due date first."""
    query = (
        select(Survey.id, Survey.due_at, Survey.stage, Supplier.supplier_id, Supplier.name)
        .join(Supplier, Supplier.id == Survey.supplier_id)
        .where(condition, *_owned(owner))
    )
    lines = [
        Line(
            what.format(stage=stage, due=due.date().isoformat()),
            _subject(sid, name),
            _aware(due),
            f"/cases/{case}",
        )
        for case, due, stage, sid, name in session.execute(
            query.order_by(Survey.due_at, Survey.id).limit(SHOWN)
        )
    ]
    count = _count(session, query.with_only_columns(Survey.id))
    if key == "fix-requested":
        title, more = (
            "Incomplete uploads waiting for the supplier",
            _more(owner, stage=Stage.FIX_REQUESTED.value),
        )
    else:
        title, more = "Cases past due", _more(owner, overdue="1", sort="due")
    return Queue(key, title, count, lines, more)


def _facilities(session: Session) -> Queue:
    """Facilities whose RMAP status in the latest imported list differs from the list before it: news for
    the whole team, so the same in every owner's Today (checking each against the owner's declarations
    would walk every finding of a popular smelter)."""
    latest = session.scalar(select(func.max(RegistryStatus.import_id)))
    if latest is None:
        return Queue("facilities", "Facilities whose status changed", 0, [], "/registry")
    earlier = aliased(RegistryStatus)
    before = (
        select(earlier.status)
        .where(earlier.smelter_id == RegistryStatus.smelter_id, earlier.import_id < latest)
        .order_by(earlier.as_of.desc(), earlier.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    changed = session.execute(
        select(
            RegistryStatus.smelter_id,
            RegistryFacility.name,
            before,
            RegistryStatus.status,
            RegistryStatus.as_of,
        )
        .join(RegistryFacility, RegistryFacility.smelter_id == RegistryStatus.smelter_id)
        .where(RegistryStatus.import_id == latest, before.is_not(None), before != RegistryStatus.status)
        .order_by(RegistryStatus.smelter_id)
    ).all()  # one row per facility whose status changed: at most the registry's size, a few thousand
    lines = [
        Line(f"Status {old} → {new} (list of {as_of.isoformat()})", f"{cid} {name}", None, f"/registry/{cid}")
        for cid, name, old, new, as_of in changed[:SHOWN]
    ]
    return Queue("facilities", "Facilities whose status changed", len(changed), lines, "/registry")


def _customer_requests(session: Session, now: dt.datetime) -> Queue:
    """Customers' requests for our declaration past their due date and not answered: the team's work."""
    late = and_(CustomerRequest.status == OPEN_REQUEST, CustomerRequest.due_date < now.date())
    count = _count(session, select(CustomerRequest.id).where(late))
    rows = session.scalars(
        select(CustomerRequest)
        .where(late)
        .order_by(CustomerRequest.due_date, CustomerRequest.id)
        .limit(SHOWN)
    )
    lines = [
        Line(
            f"{r.template} ({r.scope} scope) due {r.due_date.isoformat()}",
            r.customer,
            dt.datetime.combine(r.due_date, dt.time(), dt.UTC),
            f"/customer-requests#request-{r.id}",
        )
        for r in rows
    ]
    return Queue("customer-requests", "Customer requests overdue", count, lines, "/customer-requests")


def today(session: Session, owner: str = "", now: dt.datetime | None = None) -> Today:
    """What needs a person: the owner's (a staff email) or, with no owner, the team's."""
    now = now or utcnow()
    owner = owner.strip().lower()
    return Today(
        owner,
        [
            _evidence(session, owner),
            _actions(session, owner, now),
            _bounces(session, owner),
            _cases(
                session,
                owner,
                "fix-requested",
                Survey.stage == Stage.FIX_REQUESTED.value,
                "Asked to correct the file (due {due})",
            ),
            _cases(session, owner, "past-due", past_due(now), "Past due since {due} ({stage})"),
            _facilities(session),
            _customer_requests(session, now),
        ],
    )
