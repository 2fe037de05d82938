"""The checker on generated files of every layout generation: complete, blank, and out of scope."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import mrt
from mrt.check import missing_required
from mrt.layout import Layout
from mrt.layouts.registry import ALL_LAYOUTS
from mrt.model import LookupEntry
from mrt.reader import read_file
from mrt.writer import Filling, write_template

TODAY = dt.date(2025, 6, 1)
VERSIONS = {
    "cmrt-6": "6.5",
    "cmrt-5": "5.12",
    "cmrt-4": "4.10",
    "cmrt-3": "3.02",
    "cmrt-2": "2.03a",
    "cmrt-2.00": "2",
    "cmrt-2-shifted": "2.02",
    "emrt-1": "1.3",
    "emrt-2": "2.0",
    "emrt-2.1": "2.1",
    "crt-2": "2.2",
    "amrt-1.2": "1.21",
    "amrt-1.3": "1.3",
}
CHOSEN = {"EMRT": ["Cobalt", "Mica"], "AMRT": ["Aluminum", "Zinc"]}
IDS = [layout.generation for layout in ALL_LAYOUTS]


def minerals(layout: Layout) -> list[str]:
    return CHOSEN[layout.family] if layout.mineral_cells else list(layout.minerals)


def company(layout: Layout) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in layout.company:
        if f.key == "effective_date":
            values[f.key] = dt.date(2025, 1, 31)
        elif f.key == "scope":
            values[f.key] = (layout.scope_choices or ("A. Company",))[0]
        else:
            values[f.key] = "person@example.com" if f.key.endswith("_email") else f"{f.key} value"
    return values


def filling(layout: Layout, **kwargs: Any) -> Filling:
    return Filling(
        version=VERSIONS[layout.generation],
        company=company(layout),
        minerals=CHOSEN.get(layout.family, []) if layout.mineral_cells else [],
        **kwargs,
    )


def complete(layout: Layout) -> Filling:
    """Every question answered with its first choice ("Yes", "100%"), one known smelter per mineral."""
    chosen = minerals(layout)
    lookup = [
        LookupEntry(m, f"{m} Refinery", f"{m} Refinery", "JAPAN", f"CID{100 + i:06d}")
        for i, m in enumerate(chosen)
    ]
    return filling(
        layout,
        answers={q.key: {m: (q.choices or ("Yes",))[0] for m in chosen} for q in layout.questions},
        company_answers={
            (f"{cq.key}:{m}" if cq.per_mineral else cq.key): cq.choices[0]
            for cq in layout.company_questions
            for m in (chosen if cq.per_mineral else [""])
        },
        company_comments={
            cq.key: "https://example.com/policy" for cq in layout.company_questions if cq.comment_cell
        },
        smelters=[{"metal": e.metal, "lookup": e.alias} for e in lookup],
        lookup=lookup,
    )


def check(tmp_path: Path, layout: Layout, written: Filling) -> list[mrt.Issue]:
    path = tmp_path / f"{layout.generation}.xlsx"
    write_template(layout, written, path)
    declaration = read_file(path)
    assert declaration.layout.generation == layout.generation
    return mrt.check(declaration, today=TODAY)


@pytest.mark.parametrize("layout", ALL_LAYOUTS, ids=IDS)
def test_complete_file_of_every_layout_has_no_issue(tmp_path: Path, layout: Layout) -> None:
    assert [(i.code, i.cell) for i in check(tmp_path, layout, complete(layout))] == []


@pytest.mark.parametrize("layout", ALL_LAYOUTS, ids=IDS)
def test_unanswered_questions_and_missing_smelters_are_counted(tmp_path: Path, layout: Layout) -> None:
    written = complete(layout)
    written.answers = {}
    written.smelters = []
    issues = check(tmp_path, layout, written)
    # Q1 for every mineral at least; every other answer left is fine.
    assert missing_required(issues) >= len(minerals(layout))
    assert {i.params["kind"] for i in issues if i.code == "missing-required"} >= {"answer"}
    assert mrt.status(issues) == "incomplete"


@pytest.mark.parametrize("layout", ALL_LAYOUTS, ids=IDS)
def test_minerals_answered_no_need_nothing_more(tmp_path: Path, layout: Layout) -> None:
    # CMRT 3-5 close later questions only when Q1 and Q2 are both No; elsewhere Q1 = No is enough.
    closing = sorted({g.key for q in layout.questions for g in q.unless_all}) or [layout.questions[0].key]
    answers = {key: dict.fromkeys(minerals(layout), "No") for key in closing}
    written = filling(layout, answers=answers)
    assert [(i.code, i.cell) for i in check(tmp_path, layout, written)] == []
