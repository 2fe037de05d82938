"""Generated registries and declarations (synthetic facility names, no real contact data)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from models.db import create_schema, make_engine, session_factory
from models.registry import RegistryAlias, RegistryFacility, RegistryImport, RegistryStatus
from mrt.layouts.cmrt6 import LAYOUT
from mrt.model import Declaration, Field, SmelterRow
from risk import Facility, Registry, Status

AS_OF = dt.date(2025, 6, 30)

FACILITIES = (
    Facility("CID900001", "Gold", "Societe Generale d'Affinage S.A.", "FRANCE"),
    Facility("CID900002", "Tin", "Kundur Timah Smelting Co., Ltd.", "INDONESIA"),
    Facility(
        "CID900003", "Tantalum", "Ningxia Orient Tantalum Industry Co., Ltd.", "CHINA", aliases=("NOTI",)
    ),
    Facility("CID900004", "Tungsten", "Wolfram Bergbau und Hutten AG", "AUSTRIA"),
    Facility("CID900005", "Gold", "Metalor Technologies (Suzhou) Ltd.", "CHINA"),
    Facility("CID900006", "Gold", "Metalor Technologies S.A.", "SWITZERLAND"),
    Facility("CID900007", "Gold", "Kivu Gold Refinery", "CONGO, DEMOCRATIC REPUBLIC OF THE"),
    Facility("CID900008", "Tin", "Bangka Tin Industry", "INDONESIA"),
    Facility("CID900009", "Tungsten", "Harz Tungsten Works", "GERMANY"),
)

STATUSES = {
    "CID900001": Status("conformant", AS_OF),
    "CID900002": Status("active", AS_OF),
    "CID900003": Status("conformant", AS_OF),
    "CID900004": Status("suspended", AS_OF),
    "CID900006": Status("conformant", AS_OF),
    "CID900007": Status("conformant", AS_OF),
    # Conformant on paper, but its one-year audit cycle ended before AS_OF.
    "CID900008": Status("conformant", AS_OF, last_audit=dt.date(2023, 5, 1), cycle_days=365),
}


@pytest.fixture
def registry() -> Registry:
    """A registry with statuses for most facilities; CID900005 and CID900009 are on no status list."""
    return Registry(
        {f.smelter_id: f for f in FACILITIES},
        dict(STATUSES),
        {"1FRA001": "CID900001"},
        AS_OF,
        "database",
        has_statuses=True,
    )


Build = Callable[..., Declaration]


@pytest.fixture
def declare() -> Build:
    """Build a CMRT 6 declaration: answers by topic per metal, company answers by topic, smelter rows."""

    def build(
        answers: dict[str, dict[str, str]] | None = None,
        company: dict[str, str] | None = None,
        smelters: list[dict[str, Any]] | None = None,
    ) -> Declaration:
        decl = Declaration("CMRT", "6.4", LAYOUT, minerals=list(LAYOUT.minerals))
        for q in LAYOUT.questions:
            given = (answers or {}).get(q.topic, {})
            decl.mineral_answers[q.key] = {
                m: Field("Declaration", cell, given.get(m))
                for m, cell in zip(LAYOUT.minerals, q.cells, strict=True)
            }
        for cq in LAYOUT.company_questions:
            decl.company_answers[cq.key] = Field("Declaration", cq.cell, (company or {}).get(cq.topic))
        decl.smelters = [
            SmelterRow(
                row=5 + i,
                **{"metal": None, "lookup": None, "name": None, "country": None, "smelter_id": None, **s},
            )
            for i, s in enumerate(smelters or [])
        ]
        return decl

    return build


Answers = Callable[..., dict[str, dict[str, str]]]


@pytest.fixture
def using() -> Answers:
    """Answers builder: see `clean_answers`."""
    return clean_answers


def clean_answers(*metals: str) -> dict[str, dict[str, str]]:
    """Q1 and Q2 Yes for these metals, No for the others, clean answers to the rest."""
    yes = {m: "Yes" for m in metals}
    no = {m: "No" for m in LAYOUT.minerals if m not in metals}
    return {
        "intentional": {**yes, **no},
        "remains": dict(yes),
        "covered_countries": {m: "No" for m in metals},
        "cahra": {m: "No" for m in metals},
        "recycled": {m: "No" for m in metals},
        "supplier_response": {m: "100%" for m in metals},
        "all_smelters_identified": {m: "Yes" for m in metals},
        "all_info_reported": {m: "Yes" for m in metals},
    }


def _database_urls() -> list[Any]:
    urls: list[Any] = ["sqlite"]
    pg = os.environ.get("MINERALS_TEST_DATABASE_URL")
    urls.append(
        pytest.param(pg, id="postgresql")
        if pg
        else pytest.param(None, id="postgresql", marks=pytest.mark.skip("MINERALS_TEST_DATABASE_URL not set"))
    )
    return urls


@pytest.fixture(params=_database_urls())
def session(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Session]:
    """A session on an empty registry: SQLite in a temp dir, or PostgreSQL when configured."""
    url = f"sqlite:///{tmp_path / 'minerals.db'}" if request.param == "sqlite" else request.param
    engine = make_engine(url)
    create_schema(engine)
    if request.param != "sqlite":  # a shared server: empty only the registry tables
        with engine.begin() as conn:
            for table in (RegistryStatus, RegistryAlias, RegistryFacility, RegistryImport):
                conn.execute(delete(table))
    with session_factory(engine)() as s:
        yield s
    engine.dispose()
