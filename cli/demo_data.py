"""Generated demo data: fictitious suppliers and their CMRT answers (complete, with mistakes, risky)."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from mrt.layouts import cmrt6
from mrt.model import LookupEntry
from mrt.writer import Filling, Value, write_template

METALS = ("Tantalum", "Tin", "Gold", "Tungsten")
LANGUAGES = ("en", "ja", "zh")
# Fictitious smelters (ids in a range RMI does not use for real facilities in these demos).
LOOKUP = [
    LookupEntry(
        metal, f"Demo {metal} Refinery {n}", f"Demo {metal} Refinery {n}", country, f"CID9{i:02d}{n:03d}"
    )
    for i, metal in enumerate(METALS)
    for n, country in ((1, "JAPAN"), (2, "GERMANY"), (3, "BRAZIL"))
]
RISKY_SMELTER = LookupEntry(
    "Tin", "Demo Tin Works Kivu", "Demo Tin Works Kivu", "CONGO, DEMOCRATIC REPUBLIC OF THE", "CID990001"
)


class Answer(StrEnum):
    """How a demo supplier behaves."""

    COMPLETE = "complete"  # uploads a correct file: accepted
    MISTAKES = "mistakes"  # uploads a file with errors, then a corrected one
    RISKY = "risky"  # uploads a correct file that declares sourcing from covered countries
    SILENT = "silent"  # never answers: reminders, escalation, overdue


@dataclass(frozen=True)
class DemoSupplier:
    """One generated supplier and how it will answer."""

    supplier_id: str
    name: str
    email: str
    contact_name: str
    language: str
    owner_email: str
    answer: Answer


def demo_suppliers(count: int, pattern: tuple[Answer, ...] = tuple(Answer)) -> list[DemoSupplier]:
    """`count` fictitious suppliers (reserved .test domain), their answers cycling through `pattern`."""
    return [
        DemoSupplier(
            supplier_id=f"DEMO{n:05d}",
            name=f"Demo Components {n:05d} (fictitious)",
            email=f"compliance{n:05d}@supplier{n:05d}.example.test",
            contact_name=f"Contact {n:05d}",
            language=LANGUAGES[n % len(LANGUAGES)],
            owner_email="buyer@demo-buyer.example.test",
            answer=pattern[n % len(pattern)],
        )
        for n in range(count)
    ]


def write_supplier_csv(suppliers: list[DemoSupplier], path: Path) -> Path:
    """Write the supplier list in the `minerals suppliers import` format."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["supplier_id", "name", "email", "contact_name", "language", "owner_email", "minerals"]
        )
        for s in suppliers:
            writer.writerow(
                [
                    s.supplier_id,
                    s.name,
                    s.email,
                    s.contact_name,
                    s.language,
                    s.owner_email,
                    "tin;tantalum;tungsten;gold",
                ]
            )
    return path


def company_block(supplier: DemoSupplier, answer: Answer, today: dt.date | None = None) -> dict[str, Value]:
    """The Declaration's company fields; a file with mistakes leaves three required ones empty."""
    today = today or dt.date.today()
    company: dict[str, Value] = {
        "name": supplier.name,
        "scope": "A. Company",
        "contact_name": supplier.contact_name,
        "contact_email": supplier.email,
        "contact_phone": "+00 0000 0000",
        "authorizer": supplier.contact_name,
        "authorizer_title": "Compliance Manager",
        "authorizer_email": supplier.email,
        "effective_date": today - dt.timedelta(days=7),
    }
    if answer == Answer.MISTAKES:
        for key in ("contact_email", "authorizer", "effective_date"):
            company.pop(key)
    return company


def smelter_rows(known: list[LookupEntry], risky: LookupEntry, answer: Answer) -> list[dict[str, Value]]:
    """The Smelter List: each known smelter by its look-up name, and the risky one for a risky answer."""
    chosen = [*known, risky] if answer == Answer.RISKY else known
    return [{"metal": e.metal, "lookup": e.alias} for e in chosen]


def answer_filling(supplier: DemoSupplier, answer: Answer, today: dt.date | None = None) -> Filling:
    """A CMRT 6.5 answer of the given kind for one supplier."""
    company = company_block(supplier, answer, today)
    covered = "Yes" if answer == Answer.RISKY else "No"
    answers: dict[str, dict[str, Value]] = {
        "Q1": dict.fromkeys(METALS, "Yes"),
        "Q2": dict.fromkeys(METALS, "Yes"),
        "Q3": {m: (covered if m == "Tin" else "No") for m in METALS},
        "Q4": dict.fromkeys(METALS, "No"),
        "Q5": dict.fromkeys(METALS, "No"),
        "Q6": dict.fromkeys(METALS, "100%"),
        "Q7": dict.fromkeys(METALS, "Yes"),
        "Q8": dict.fromkeys(METALS, "Yes"),
    }
    company_answers: dict[str, Value] = dict.fromkeys("ACDFG", "Yes")
    company_answers.update({"B": "No", "E": "Yes, in conformance with IPC1755 (e.g., CMRT)", "H": "No"})
    lookup = [*LOOKUP, RISKY_SMELTER]
    smelters = smelter_rows(LOOKUP, RISKY_SMELTER, answer)
    if answer == Answer.MISTAKES:
        answers["Q2"]["Gold"] = "Maybe"
        del answers["Q7"]["Tin"]
    return Filling(
        version="6.5",
        language=supplier.language,
        company=company,
        answers=answers,
        company_answers=company_answers,
        smelters=smelters,
        products=[],
        lookup=lookup,
    )


def write_answer(supplier: DemoSupplier, answer: Answer, folder: Path) -> Path:
    """Write one supplier's answer file and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{supplier.supplier_id}-{answer.value}.xlsx"
    write_template(cmrt6.LAYOUT, answer_filling(supplier, answer), path)
    return path
