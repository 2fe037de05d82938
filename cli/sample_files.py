"""Sample files to try `minerals` with: a supplier list and filled CMRT 6.5 and EMRT 2.1 templates.

They are written by the package's own template writer (`mrt.writer`) from its cell maps, with the
demo's fictitious suppliers and smelters (`cli.demo_data`), so a clean clone needs nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cli.demo_data import (
    Answer,
    DemoSupplier,
    answer_filling,
    company_block,
    demo_suppliers,
    smelter_rows,
    write_supplier_csv,
)
from mrt.layouts import cmrt6, emrt2
from mrt.model import LookupEntry
from mrt.writer import Filling, Value, write_template

EMRT_MINERALS = ("Cobalt", "Mica")
EMRT_LOOKUP = [
    LookupEntry("Cobalt", "Demo Cobalt Refinery 1", "Demo Cobalt Refinery 1", "FINLAND", "CID980001"),
    LookupEntry("Mica", "Demo Mica Processor 1", "Demo Mica Processor 1", "INDIA", "CID980002"),
]
EMRT_RISKY = LookupEntry(
    "Cobalt",
    "Demo Cobalt Works Katanga",
    "Demo Cobalt Works Katanga",
    "CONGO, DEMOCRATIC REPUBLIC OF THE",
    "CID980003",
)
SUPPLIERS_FILE = "suppliers.csv"


@dataclass(frozen=True)
class Sample:
    """One written file: its template, whose answer it is, and what `minerals check` says of it."""

    file: Path
    template: str
    kind: str  # complete, incomplete, risky, fixed
    supplier: DemoSupplier
    status: str  # the `check` status: complete or incomplete
    note: str


# kind -> (the supplier's index, how it answers, note). "fixed" is the incomplete answer corrected.
KINDS = {
    "complete": (0, Answer.COMPLETE, "accepted as it is"),
    "incomplete": (1, Answer.MISTAKES, "a fix list by sheet and cell (in Japanese: the supplier's language)"),
    "risky": (2, Answer.RISKY, "complete, but declares sourcing from covered countries: corrective actions"),
    "fixed": (1, Answer.COMPLETE, "the incomplete file corrected: upload it to the same case"),
}


def emrt_filling(supplier: DemoSupplier, answer: Answer, today: dt.date | None = None) -> Filling:
    """An EMRT 2.1 answer of the given kind for one supplier: cobalt and mica used and remaining."""
    yes = dict.fromkeys(EMRT_MINERALS, "Yes")
    cahra = "Yes" if answer == Answer.RISKY else "No"
    answers: dict[str, dict[str, Value]] = {
        "Q1": dict(yes),
        "Q2": dict(yes),
        "Q3": {"Cobalt": cahra, "Mica": "No"},
        "Q4": dict.fromkeys(EMRT_MINERALS, "No"),
        "Q5": dict.fromkeys(EMRT_MINERALS, "100%"),
        "Q6": dict(yes),
        "Q7": dict(yes),
    }
    smelters = smelter_rows(EMRT_LOOKUP, EMRT_RISKY, answer)
    if answer == Answer.MISTAKES:
        answers["Q2"]["Cobalt"] = "Maybe"
        del answers["Q6"]["Mica"]
    return Filling(
        version="2.1",
        language=supplier.language,
        company=company_block(supplier, answer, today),
        minerals=list(EMRT_MINERALS),
        answers=answers,
        company_answers={
            **dict.fromkeys("ABDFG", "Yes"),
            "E": "Yes, in conformance with IPC1755 (e.g. EMRT)",
            **{f"C:{m}": "Yes" for m in EMRT_MINERALS},
        },
        company_comments={"B": "https://supplier.example.test/policy"},
        smelters=smelters,
        lookup=[*EMRT_LOOKUP, EMRT_RISKY],
    )


def write_samples(folder: Path, today: dt.date | None = None) -> list[Sample]:
    """Write the supplier list and eight filled templates (CMRT and EMRT, each kind) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    suppliers = demo_suppliers(4)  # the fourth never answers: reminders, escalation, overdue
    write_supplier_csv(suppliers, folder / SUPPLIERS_FILE)
    samples = []
    for template, layout, make in (
        ("CMRT", cmrt6.LAYOUT, answer_filling),
        ("EMRT", emrt2.LAYOUT_21, emrt_filling),
    ):
        for kind, (index, answer, note) in KINDS.items():
            supplier = suppliers[index]
            path = folder / f"{template.lower()}-{kind}.xlsx"
            write_template(layout, make(supplier, answer, today), path)
            status = "incomplete" if answer == Answer.MISTAKES else "complete"
            samples.append(Sample(path, template, kind, supplier, status, note))
    return samples
