"""An EMRT campaign with known answers: two suppliers' complete EMRT 2.1 uploads (cobalt and mica)."""

from __future__ import annotations

import datetime as dt

from campaign_kit import Builder, World, add_campaign

from models.campaign import Campaign
from models.registry import RegistryFacility, RegistryImport
from mrt.layouts import emrt2
from mrt.model import NOT_IDENTIFIED, LookupEntry
from mrt.writer import Filling, Value

EMRT_MINERALS = ("Cobalt", "Mica")
COBALT_CIDS = ("CID800001", "CID800002")
MICA_CIDS = ("CID800003",)
EMRT_FACILITIES = (
    ("CID800001", "Cobalt", "North Cobalt Refinery", "FINLAND"),
    ("CID800002", "Cobalt", "South Cobalt Refinery", "ZAMBIA"),
    ("CID800003", "Mica", "East Mica Processor", "INDIA"),
)


def emrt_filling(minerals: tuple[str, ...], smelters: list[dict[str, Value]]) -> Filling:
    """An EMRT 2.1 answer: the given minerals used and remaining, the given smelter rows."""
    yes: dict[str, Value] = dict.fromkeys(minerals, "Yes")
    return Filling(
        version="2.1",
        company={"name": "Supplier (fictitious)", "scope": "A. Company"},
        minerals=list(minerals),
        answers={
            "Q1": yes,
            "Q2": yes,
            "Q3": dict.fromkeys(minerals, "No"),
            "Q4": dict.fromkeys(minerals, "No"),
            "Q5": dict.fromkeys(minerals, "100%"),
            "Q6": yes,
            "Q7": yes,
        },
        company_answers={
            **dict.fromkeys("ABDFG", "Yes"),
            "E": "Yes, in conformance with IPC1755 (e.g. EMRT)",
            **{f"C:{m}": "Yes" for m in minerals},
        },
        company_comments={"B": "https://supplier.example.test/policy"},
        smelters=smelters,
        lookup=[
            LookupEntry(metal, name, name, country, cid, "RMI")
            for cid, metal, name, country in EMRT_FACILITIES
        ],
    )


def add_emrt_campaign(world: World, builder: Builder) -> Campaign:
    """emrt-2025: E1 declares cobalt and mica smelters, E2 cobalt only with one not yet identified."""
    lookup = RegistryImport(file_name="emrt.xlsx", sha256="e" * 64, kind="lookup", as_of=dt.date(2025, 1, 1))
    world.session.add(lookup)
    world.session.flush()
    for cid, metal, name, country in EMRT_FACILITIES:
        world.session.add(
            RegistryFacility(
                smelter_id=cid, metal=metal, name=name, country=country, first_import_id=lookup.id
            )
        )
    campaign = add_campaign(world.session, "emrt-2025", "EMRT", dt.date(2025, 5, 2))
    e1 = builder.case(campaign, "E1", "accepted", dt.date(2025, 5, 12))
    rows: list[dict[str, Value]] = [{"id_input": cid} for cid in (*COBALT_CIDS, *MICA_CIDS)]
    builder.upload(
        e1, emrt_filling(EMRT_MINERALS, rows), dt.date(2025, 5, 12), "complete", True, emrt2.LAYOUT_21
    )
    e2 = builder.case(campaign, "E2", "accepted", dt.date(2025, 5, 14))
    rows = [{"id_input": COBALT_CIDS[0]}, {"metal": "Cobalt", "lookup": NOT_IDENTIFIED}]
    builder.upload(
        e2, emrt_filling(("Cobalt",), rows), dt.date(2025, 5, 14), "complete", True, emrt2.LAYOUT_21
    )
    world.session.commit()
    return campaign
