"""The case list query: filters, supplier search, sorting and keyset paging that stays fast at scale."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from cases.today import NEEDS, needing, past_due
from models.base import utcnow
from models.campaign import Campaign
from models.enums import FINAL, Stage
from models.supplier import Supplier
from models.survey import Finding, Survey

PAGE_SIZE = 50
COUNT_LIMIT = 1_000  # beyond this the list says "more than 1,000": counting everything costs a scan
RISKS = ("high", "medium", "low", "none")
# Sort key -> column; every sort pages by (column, case id).
SORTS: dict[str, Any] = {
    "id": Survey.id,
    "due": Survey.due_at,
    "updated": Survey.updated_at,
    "stage": Survey.stage,
    "supplier": Supplier.name,
}
_DATES = {"due", "updated"}
_TOP = "\U0010ffff"  # sorts after every other character: q <= text < q + _TOP means text starts with q


@dataclass(frozen=True)
class CaseFilter:
    """What the staff asked the list for; unknown values are dropped, never passed to SQL raw."""

    campaign: str = ""
    stage: str = ""
    risk: str = ""
    overdue: bool = False
    owner: str = ""
    metal: str = ""
    smelter: str = ""
    needs: str = ""  # one of cases.today.NEEDS: evidence to review, actions due, bounced emails
    q: str = ""
    sort: str = "id"
    desc: bool = False
    after: str = ""  # keyset cursor of the previous page's last row

    @classmethod
    def parse(cls, params: dict[str, str]) -> CaseFilter:
        """A filter from query parameters."""

        def text(name: str, limit: int = 100) -> str:
            return (params.get(name) or "").strip()[:limit]

        stage = text("stage")
        risk = text("risk")
        sort = text("sort") or "id"
        needs = text("needs")
        return cls(
            campaign=text("campaign", 64),
            stage=stage if stage in {s.value for s in Stage} else "",
            risk=risk if risk in RISKS else "",
            overdue=params.get("overdue") in {"1", "on", "true"},
            owner=text("owner", 320),
            metal=text("metal", 40),
            smelter=text("smelter", 40),
            needs=needs if needs in NEEDS else "",
            q=text("q"),
            sort=sort if sort in SORTS else "id",
            desc=params.get("dir") == "desc",
            after=text("after", 400),
        )

    def query_params(self, **changes: Any) -> dict[str, str]:
        """This filter as query parameters (for links), with some fields changed."""
        f = replace(self, **changes)
        out = {
            "campaign": f.campaign,
            "stage": f.stage,
            "risk": f.risk,
            "overdue": "1" if f.overdue else "",
            "owner": f.owner,
            "metal": f.metal,
            "smelter": f.smelter,
            "needs": f.needs,
            "q": f.q,
            "sort": "" if f.sort == "id" else f.sort,
            "dir": "desc" if f.desc else "",
            "after": f.after,
        }
        return {k: v for k, v in out.items() if v}


@dataclass(frozen=True)
class CasePage:
    """One page of cases, the total matching, and the cursor of the next page (empty on the last)."""

    rows: list[dict[str, Any]]
    total: int
    next_after: str

    @property
    def total_text(self) -> str:
        """How many cases match, capped where counting would cost a full scan."""
        return f"more than {COUNT_LIMIT:,}" if self.total > COUNT_LIMIT else f"{self.total:,}"


def _conditions(f: CaseFilter, now: dt.datetime, joined: bool = False) -> list[ColumnElement[bool]]:
    """Conditions on the case row only (campaign and supplier through indexed sub-queries), so counting
    and paging never join 100,000 rows."""
    where: list[ColumnElement[bool]] = []
    if f.campaign:
        where.append(
            Survey.campaign_id == select(Campaign.id).where(Campaign.name == f.campaign).scalar_subquery()
        )
    if f.stage:
        where.append(Survey.stage == f.stage)
    if f.risk:
        where.append(Survey.risk == f.risk)
    if f.overdue:
        where.append(past_due(now))
    if f.needs:
        where.append(Survey.id.in_(needing(f.needs, now)))
    suppliers: list[ColumnElement[bool]] = []
    if f.owner:
        suppliers.append(Supplier.owner_email == f.owner.lower())
    if f.q:  # a prefix of the supplier id or of the name, case-insensitive: both are index ranges
        low = f.q.lower()
        suppliers.append(
            or_(
                and_(Supplier.supplier_id >= f.q.upper(), Supplier.supplier_id < f.q.upper() + _TOP),
                and_(Supplier.supplier_id >= f.q, Supplier.supplier_id < f.q + _TOP),
                and_(func.lower(Supplier.name) >= low, func.lower(Supplier.name) < low + _TOP),
            )
        )
    if suppliers and not joined:
        where.append(Survey.supplier_id.in_(select(Supplier.id).where(*suppliers)))
    elif suppliers:  # the query joins the supplier already: filter it there, driven by its indexes
        where.extend(suppliers)
    findings: list[ColumnElement[bool]] = []
    if f.metal:
        findings.append(Finding.metal == f.metal)
    if f.smelter:
        findings.append(Finding.smelter_id == f.smelter)
    if findings:  # one finding on that metal from that smelter
        where.append(Survey.id.in_(select(Finding.survey_id).where(*findings)))
    return where


def _cursor(value: Any, case_id: int) -> str:
    shown = value.isoformat() if isinstance(value, dt.datetime) else value
    return base64.urlsafe_b64encode(json.dumps([shown, case_id]).encode()).decode()


def _after(f: CaseFilter) -> tuple[Any, int] | None:
    try:
        value, case_id = json.loads(base64.urlsafe_b64decode(f.after.encode()))
        if f.sort in _DATES:
            value = dt.datetime.fromisoformat(value)
        if f.sort == "id":
            value = int(value)
        if not isinstance(case_id, int) or (f.sort in {"stage", "supplier"} and not isinstance(value, str)):
            return None
        return value, case_id
    except (ValueError, TypeError):
        return None


def _display(session: Session, ids: list[int]) -> dict[int, Any]:
    """The shown columns of the given cases (a primary-key lookup each)."""
    query = (
        select(
            Survey.id,
            Survey.stage,
            Survey.due_at,
            Survey.risk,
            Survey.reminders_sent,
            Survey.updated_at,
            Campaign.name,
            Supplier.supplier_id,
            Supplier.name,
            Supplier.owner_email,
        )
        .join(Campaign, Survey.campaign_id == Campaign.id)
        .join(Supplier, Survey.supplier_id == Supplier.id)
        .where(Survey.id.in_(ids))
    )
    return {r[0]: r for r in session.execute(query).all()}


def list_cases(session: Session, f: CaseFilter, limit: int = PAGE_SIZE) -> CasePage:
    """One page of cases matching the filter, in the asked order, after the cursor.

    The page's ids come first from the filters alone (indexes can answer them without reading the wide
    case rows), then the shown columns of just those cases."""
    now = utcnow()
    column = SORTS[f.sort]
    matching = select(Survey.id).where(*_conditions(f, now)).limit(COUNT_LIMIT + 1)
    total = session.scalar(select(func.count()).select_from(matching.subquery())) or 0
    if f.sort == "supplier":
        page = select(Survey.id, column).join(Supplier, Survey.supplier_id == Supplier.id)
        page = page.where(*_conditions(f, now, joined=True))
    else:
        page = select(Survey.id, column).where(*_conditions(f, now))
    after = _after(f) if f.after else None
    if after is not None:
        value, case_id = after
        if f.desc:
            page = page.where(or_(column < value, and_(column == value, Survey.id < case_id)))
        else:
            page = page.where(or_(column > value, and_(column == value, Survey.id > case_id)))
    order = (column.desc(), Survey.id.desc()) if f.desc else (column.asc(), Survey.id.asc())
    keys = session.execute(page.order_by(*order).limit(limit + 1)).all()
    shown = _display(session, [k[0] for k in keys[:limit]])
    rows = []
    for case_id, key in keys[:limit]:
        r = shown[case_id]
        rows.append(
            {
                "id": r[0],
                "stage": r[1],
                "due_at": r[2],
                "risk": r[3],
                "reminders_sent": r[4],
                "updated_at": r[5],
                "campaign": r[6],
                "supplier_id": r[7],
                "supplier": r[8],
                "owner": r[9],
                "overdue": r[2].replace(tzinfo=r[2].tzinfo or dt.UTC) < now and r[1] not in FINAL,
                "_key": key,
            }
        )
    next_after = _cursor(rows[-1]["_key"], rows[-1]["id"]) if len(keys) > limit else ""
    return CasePage(rows, total, next_after)


def campaign_names(session: Session) -> list[str]:
    """Every campaign's name, newest first (for the filter)."""
    return list(session.scalars(select(Campaign.name).order_by(Campaign.id.desc())))


def every_case(session: Session, f: CaseFilter, limit: int, page: int = 1_000) -> list[dict[str, Any]]:
    """Every case matching the filter, in its order, up to `limit` (page by page, as the list pages)."""
    rows: list[dict[str, Any]] = []
    f = replace(f, after="")
    while len(rows) < limit:
        found = list_cases(session, f, min(page, limit - len(rows)))
        rows.extend(found.rows)
        if not found.next_after:
            break
        f = replace(f, after=found.next_after)
    return rows
