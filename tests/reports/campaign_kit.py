"""A campaign with known answers: suppliers, cases, uploads in a file store, findings, RMI statuses."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from models.audit import AuditEvent
from models.campaign import Campaign
from models.db import create_schema, make_engine, session_factory
from models.files import StoredFile
from models.registry import RegistryFacility, RegistryImport, RegistryStatus
from models.supplier import Supplier
from models.survey import Finding, Survey
from mrt.layout import Layout
from mrt.layouts import cmrt6
from mrt.model import NOT_IDENTIFIED, NOT_LISTED, LookupEntry
from mrt.reader import read_file
from mrt.writer import Filling, Value, write_template
from reports.declared import record_declaration

AS_OF = dt.date(2025, 6, 30)
METALS = ("Tantalum", "Tin", "Gold", "Tungsten")
FORMULA_NAME = '=HYPERLINK("http://example.test/x","click")'

# (CID, metal, name, country, status on 2025-06-01, last audit, cycle days)
FACILITIES: tuple[tuple[str, str, str, str, str | None, dt.date | None, int | None], ...] = (
    ("CID900001", "Gold", "Alpha Gold Refinery", "JAPAN", "Conformant", None, None),
    ("CID900002", "Gold", "Beta Gold Refinery", "SWITZERLAND", "Active", None, None),
    ("CID900003", "Tin", "Gamma Tin Smelter", "INDONESIA", "Conformant", None, None),
    ("CID900004", "Tin", "Delta Tin Smelter", "BOLIVIA", "Suspended", None, None),
    # Conformant on the list, but its one-year audit ended before the report date.
    ("CID900005", "Tantalum", "Epsilon Tantalum Works", "CHINA", "Conformant", dt.date(2024, 1, 10), 365),
    ("CID900006", "Tungsten", "Zeta Tungsten Works", "AUSTRIA", None, None, None),
)


def utc(day: dt.date, hour: int = 12) -> dt.datetime:
    """Noon UTC of a day."""
    return dt.datetime.combine(day, dt.time(hour), dt.UTC)


def filling(smelters: list[dict[str, Value]], covered: dict[str, str] | None = None) -> Filling:
    """A CMRT 6.5 answer: all four metals used and remaining, the given smelter rows."""
    answers: dict[str, dict[str, Value]] = {
        "Q1": dict.fromkeys(METALS, "Yes"),
        "Q2": dict.fromkeys(METALS, "Yes"),
        "Q3": {m: (covered or {}).get(m, "No") for m in METALS},
        "Q4": dict.fromkeys(METALS, "No"),
        "Q5": dict.fromkeys(METALS, "No"),
        "Q6": dict.fromkeys(METALS, "100%"),
        "Q7": dict.fromkeys(METALS, "Yes"),
        "Q8": dict.fromkeys(METALS, "Yes"),
    }
    lookup = [
        LookupEntry(metal, name, name, country, cid, "RMI") for cid, metal, name, country, *_ in FACILITIES
    ]
    return Filling(
        version="6.5",
        company={"name": "Supplier (fictitious)", "scope": "A. Company"},
        answers=answers,
        company_answers=dict.fromkeys("ABCDFG", "Yes"),
        smelters=smelters,
        lookup=lookup,
    )


# Supplier key -> the smelter rows of its complete upload.
S1_ROWS: list[dict[str, Value]] = [
    {"id_input": "CID900001"},
    {"id_input": "CID900002"},
    {"metal": "Tin", "lookup": "Gamma Tin Smelter"},  # by look-up name, no id typed
    {"metal": "Tungsten", "lookup": NOT_IDENTIFIED},
    {"metal": "Tantalum", "lookup": "Epsilon Tantalum Works"},
]
S2_ROWS: list[dict[str, Value]] = [
    {"id_input": "CID900001"},
    {"id_input": "CID900004"},
    {"id_input": "CID900005"},
    {"metal": "Tin", "lookup": NOT_LISTED, "name": FORMULA_NAME, "country": "PERU"},
    {"metal": "Tungsten", "lookup": NOT_IDENTIFIED},
]
S6_ROWS: list[dict[str, Value]] = [{"id_input": "CID900006"}, {"id_input": "CID900003"}]


@dataclass
class World:
    """The database and file store of the generated campaign."""

    session: Session
    store: Path
    campaign: Campaign


class Builder:
    """Inserts rows directly, the way the workflows would have left them."""

    def __init__(self, session: Session, store: Path, tmp: Path) -> None:
        self.session, self.store, self.tmp = session, store, tmp

    def upload(
        self,
        survey: Survey,
        fill: Filling,
        on: dt.date,
        status: str,
        record: bool,
        layout: Layout = cmrt6.LAYOUT,
    ) -> StoredFile:
        """Write a template into the store as an upload of the case; optionally keep its declaration."""
        source = self.tmp / f"s{survey.id}-{on}.xlsx"
        write_template(layout, fill, source)
        data = source.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        (self.store / sha[:2]).mkdir(parents=True, exist_ok=True)
        (self.store / sha[:2] / sha).write_bytes(data)
        stored = StoredFile(
            survey_id=survey.id,
            sha256=sha,
            size=len(data),
            path=f"{sha[:2]}/{sha}",
            original_name=source.name,
            check_status=status,
            created_at=utc(on),
        )
        self.session.add(stored)
        self.session.flush()
        if record:
            record_declaration(self.session, stored.id, read_file(source))
        return stored

    def case(self, campaign: Campaign, key: str, stage: str, responded: dt.date | None = None) -> Survey:
        """A supplier and its survey in the campaign."""
        supplier = Supplier(
            supplier_id=key, name=f"{key} Components (fictitious)", email=f"{key}@example.test"
        )
        self.session.add(supplier)
        self.session.flush()
        survey = Survey(
            campaign_id=campaign.id,
            supplier_id=supplier.id,
            workflow_id=f"survey-{campaign.name}-{key}",
            stage=stage,
            due_at=utc(dt.date(2025, 6, 1)),
            created_at=utc(dt.date(2025, 5, 1)),
            responded_at=utc(responded) if responded else None,
        )
        self.session.add(survey)
        self.session.flush()
        return survey


def registry_rows(session: Session) -> None:
    """The facilities, a status list of 2025-06-01, and a later one (2025-09-01) where Beta is conformant."""
    lookup = RegistryImport(
        file_name="lookup.xlsx", sha256="a" * 64, kind="lookup", as_of=dt.date(2025, 1, 1)
    )
    june = RegistryImport(
        file_name="june.csv", sha256="b" * 64, kind="status-list", as_of=dt.date(2025, 6, 1)
    )
    sept = RegistryImport(
        file_name="sept.csv", sha256="c" * 64, kind="status-list", as_of=dt.date(2025, 9, 1)
    )
    session.add_all([lookup, june, sept])
    session.flush()
    for cid, metal, name, country, status, audit, cycle in FACILITIES:
        session.add(
            RegistryFacility(
                smelter_id=cid, metal=metal, name=name, country=country, first_import_id=lookup.id
            )
        )
        session.flush()
        if status:
            session.add(
                RegistryStatus(
                    smelter_id=cid,
                    import_id=june.id,
                    as_of=june.as_of,
                    status=status.lower(),
                    raw_status=status,
                    last_audit=audit,
                    cycle_days=cycle,
                )
            )
    session.add(
        RegistryStatus(smelter_id="CID900002", import_id=sept.id, as_of=sept.as_of, status="conformant")
    )
    session.flush()


def add_campaign(
    session: Session, name: str, template: str, created: dt.date, minerals: list[str] | None = None
) -> Campaign:
    """A campaign created on `created`, due a month later."""
    campaign = Campaign(
        name=name,
        template=template,
        minerals=minerals or [],
        due_date=created + dt.timedelta(days=31),
        reminder_every="14d",
        reminders=2,
        escalation_after="7d",
        created_at=utc(created),
    )
    session.add(campaign)
    session.flush()
    return campaign


def build_world(session: Session, store: Path, tmp: Path) -> World:
    """The campaign of the KPI tests (expected numbers in test_kpi.py)."""
    registry_rows(session)
    campaign = add_campaign(session, "cmrt-2025", "CMRT", dt.date(2025, 5, 1))
    b = Builder(session, store, tmp)
    s1 = b.case(campaign, "S1", "accepted", dt.date(2025, 5, 10))
    b.upload(s1, filling(S1_ROWS), dt.date(2025, 5, 10), "complete", record=False)  # read back from the store
    s2 = b.case(campaign, "S2", "closed", dt.date(2025, 5, 20))
    b.upload(s2, filling([{"id_input": "CID900003"}]), dt.date(2025, 5, 20), "incomplete", record=True)
    f2 = b.upload(s2, filling(S2_ROWS, {"Gold": "Yes"}), dt.date(2025, 6, 10), "complete", record=True)
    session.add(
        Finding(
            survey_id=s2.id,
            file_id=f2.id,
            code="smelter-not-conformant",
            severity="high",
            message="suspended",
            metal="Tin",
            smelter_id="CID900004",
        )
    )
    # Risk found on 2025-06-20, closed after the report date: under corrective action on AS_OF.
    for at, before, after in (
        ("2025-06-20", "assessing", "risk-found"),
        ("2025-08-01", "risk-found", "closed"),
    ):
        session.add(
            AuditEvent(
                at=utc(dt.date.fromisoformat(at)),
                actor="system",
                action="survey.transition",
                subject=f"survey:{s2.id}",
                before={"stage": before},
                after={"stage": after},
            )
        )
    s3 = b.case(campaign, "S3", "fix-requested", dt.date(2025, 6, 5))
    b.upload(s3, filling(S1_ROWS), dt.date(2025, 6, 5), "incomplete", record=True)
    b.case(campaign, "S4", "overdue")
    b.case(campaign, "S5", "exempted")
    s6 = b.case(campaign, "S6", "accepted", dt.date(2025, 7, 15))  # answers after the report date
    b.upload(s6, filling(S6_ROWS), dt.date(2025, 7, 15), "complete", record=True)
    session.commit()
    return World(session, store, campaign)


@pytest.fixture
def world(tmp_path: Path, database_url: str) -> Iterator[World]:
    """The generated campaign in a fresh database."""
    engine = make_engine(database_url)
    create_schema(engine)
    with session_factory(engine)() as session:
        yield build_world(session, tmp_path / "files", tmp_path)
    engine.dispose()


def rows_of(sheet: Any) -> list[list[Any]]:
    """Every row of a worksheet as plain values."""
    return [list(r) for r in sheet.iter_rows(values_only=True)]
