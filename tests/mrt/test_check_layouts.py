"""The checker on generated files of every layout generation: complete, blank, and out of scope."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from layout_kit import VERSIONS

import mrt
from mrt.check import missing_required, reword
from mrt.layout import Layout
from mrt.layouts.registry import ALL_LAYOUTS
from mrt.model import NOT_IDENTIFIED, NOT_LISTED, LookupEntry
from mrt.reader import read_file
from mrt.rules import CODES
from mrt.writer import Filling, write_template

TODAY = dt.date(2025, 6, 1)
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
            cq.key: "https://www.example.com/policy" for cq in layout.company_questions if cq.comment_cell
        },
        smelters=[known_smelter(layout, e) for e in lookup],
        lookup=lookup,
    )


def known_smelter(layout: Layout, entry: LookupEntry) -> dict[str, Any]:
    """A row naming a known smelter: chosen in the look-up column, or typed where there is none (AMRT 1.2)."""
    if layout.smelters.has("lookup"):
        return {"metal": entry.metal, "lookup": entry.alias}
    return {"metal": entry.metal, "name": entry.alias, "country": entry.country}


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


answer_text = st.one_of(
    st.none(),
    st.sampled_from(["Yes", "No", "Unknown", "yes", " No ", "100%", "N/A", "-", "=1+1", "Not declaring"]),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
)
free_text = st.one_of(
    st.sampled_from(["\tx", "same", "a,b@c.d", "x@y.zz", "+1 555", "[b]x[/b]"]), answer_text
)
smelter_row: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
    {},
    optional={
        "id_input": st.sampled_from(["CID000100", "CID000101", "CID123456", "12", "cid000100 "]),
        "metal": st.sampled_from(["Tin", "Gold", "Cobalt", "Mica", "Zinc", "gold", "Cobalt "]),
        "lookup": st.sampled_from(["Tin Refinery", "Cobalt Refinery", NOT_LISTED, NOT_IDENTIFIED, "Nowhere"]),
        "name": free_text,
        "country": st.sampled_from(["PERU", "JAPAN", ""]),
    },
)


@st.composite
def layouts_and_fillings(draw: st.DrawFn) -> tuple[Layout, Filling]:
    """A complete file of any layout, then random answers, company values and smelter rows."""
    layout = draw(st.sampled_from(ALL_LAYOUTS))
    written = complete(layout)
    for key in written.company:
        if draw(st.booleans()):
            written.company[key] = draw(free_text)
    for question in layout.questions:
        for mineral in minerals(layout):
            if draw(st.booleans()):
                written.answers.setdefault(question.key, {})[mineral] = draw(answer_text)
    for key in written.company_answers:
        if draw(st.booleans()):
            written.company_answers[key] = draw(answer_text)
    columns = {name for name, _ in layout.smelters.columns}
    rows = draw(st.lists(smelter_row, max_size=5))
    written.smelters = [{k: v for k, v in row.items() if k in columns} for row in rows]
    return layout, written


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts_and_fillings())
def test_check_never_raises_and_every_issue_is_worded(case: tuple[Layout, Filling]) -> None:
    layout, written = case
    with tempfile.TemporaryDirectory() as tmp:
        issues = check(Path(tmp), layout, written)
    for language in ("en", "ja", "zh"):
        for issue in reword(issues, language):
            assert issue.code in CODES and issue.severity == CODES[issue.code]
            assert issue.message.strip()
            assert "{" not in issue.message or "{" in str(issue.params)  # every placeholder filled
    assert mrt.status(issues) == ("incomplete" if any(i.severity == "error" for i in issues) else "complete")
