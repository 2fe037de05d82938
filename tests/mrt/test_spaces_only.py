"""A cell of spaces only, as the template's Checker counts it: filled in (`=0` is false for any text;
LEN of spaces is not 0), yet no answer, so a question read only after a "Yes" stays unread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from layout_kit import preserve_spaces
from test_check import ANSWERS, COMPANY, METALS, TODAY
from test_checker_semantics import LOOKUP, SMELTERS

import mrt
from mrt.check import missing_required, reword
from mrt.layouts.cmrt6 import LAYOUT as CMRT6
from mrt.model import NOT_LISTED, Issue
from mrt.reader import read_file
from mrt.writer import Filling, Value, write_template


def check(tmp_path: Path, company: dict[str, Any] | None = None, **changes: Any) -> list[Issue]:
    """A complete CMRT 6 with these company values, answers and smelter rows changed, checked."""
    answers = {q: {m: a for m in METALS} for q, a in ANSWERS.items()}
    for key, by_metal in changes.get("answers", {}).items():
        answers[key].update(by_metal)
    filling = Filling(
        version="6.5",
        company=dict[str, Value]({**COMPANY, **(company or {})}),
        answers=answers,  # type: ignore[arg-type]
        company_answers={cq.key: cq.choices[0] for cq in CMRT6.company_questions},
        company_comments={"B": "https://example.com/policy"},
        smelters=[*SMELTERS, *changes.get("smelters", [])],
        lookup=LOOKUP,
    )
    path = tmp_path / "cmrt.xlsx"
    write_template(CMRT6, filling, path)
    return mrt.check(read_file(preserve_spaces(path)), today=TODAY)


def test_a_company_name_of_spaces_counts_as_filled_and_says_why_it_is_still_wrong(tmp_path: Path) -> None:
    issues = check(tmp_path, {"name": "   "})
    assert missing_required(issues) == 0  # Checker: G4 = IF(B4=0,1,0) with B4 = Declaration!D8
    [blank] = issues
    assert (blank.code, blank.cell, blank.severity) == ("blank-text", "D8", "error")
    assert "holds only spaces" in blank.message and "counts" in blank.message


def test_an_email_of_spaces_is_missing_as_it_holds_no_at_sign(tmp_path: Path) -> None:
    issues = check(tmp_path, {"contact_email": "  "})
    assert [(i.code, i.cell) for i in issues] == [("missing-required", "D16")]  # ISNUMBER(SEARCH("@", ...))


def test_q1_of_spaces_is_answered_but_not_yes_so_later_tin_answers_go_unread(tmp_path: Path) -> None:
    issues = check(tmp_path, answers={"Q1": {"Tin": "   "}})
    missing = [i for i in issues if i.code == "missing-required"]
    # Q1 itself is filled for the Checker; Q2-Q8 = IF(Q1="Yes", ..., 0) read 0.
    assert [i.cell for i in missing] == ["D33", "D39", "D45", "D51", "D57", "D63", "D69"]
    assert {(i.params["kind"], i.params["upstream_cell"]) for i in missing} == {("answer-blank", "D27")}
    assert missing[0].message.startswith(
        'Cell D27 holds only spaces, so the template takes question 1 as answered, but not as "Yes", and '
        "counts question 2 for Tin as not answered."
    )
    assert [(i.code, i.cell) for i in issues if i.code != "missing-required"] == [("blank-text", "D27")]
    for language in ("ja", "zh"):
        assert all("{" not in i.message for i in reword(issues, language))


def test_a_not_listed_smelter_named_with_spaces_has_a_name_for_the_checker(tmp_path: Path) -> None:
    # X5 = IF(AND(C5="Smelter not listed", OR(LEN(D5)=0, LEN(E5)=0)), 1, 0)
    spaces = {"metal": "Gold", "lookup": NOT_LISTED, "name": "  ", "country": "PERU"}
    assert missing_required(check(tmp_path, smelters=[spaces])) == 0
    empty = {"metal": "Gold", "lookup": NOT_LISTED, "country": "PERU"}
    assert missing_required(check(tmp_path, smelters=[empty])) == 1
