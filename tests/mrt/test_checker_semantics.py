"""Verdicts as the template's formulas reach them: Excel's `=` on answers, a CID with another metal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_check import ANSWERS, COMPANY, METALS, TODAY  # the same complete CMRT

import mrt
from mrt.check import missing_required
from mrt.layouts.cmrt6 import LAYOUT as CMRT6
from mrt.layouts.emrt1 import LAYOUT as EMRT1
from mrt.model import Declaration, Issue, LookupEntry
from mrt.reader import read_file
from mrt.writer import Filling, Value, write_template

SISTER = "Sister Metals Corporation"
# Two facilities of one company (Gold and Tin) and a Tin smelter without a Gold sister.
LOOKUP = [
    LookupEntry("Gold", SISTER, SISTER, "JAPAN", "CID900401", "RMI"),
    LookupEntry("Tantalum", "Tantalum Works", "Tantalum Works", "JAPAN", "CID900101", "RMI"),
    LookupEntry("Tin", SISTER, SISTER, "JAPAN", "CID900402", "RMI"),
    LookupEntry("Tin", "Lone Tin Smelter", "Lone Tin Smelter", "PERU", "CID900500", "RMI"),
    LookupEntry("Tungsten", "Tungsten Works", "Tungsten Works", "CHINA", "CID900601", "RMI"),
]
SMELTERS: list[dict[str, Any]] = [
    {"id_input": "CID900401"},
    {"id_input": "CID900101"},
    {"id_input": "CID900402"},
    {"id_input": "CID900601"},
]


def cmrt(tmp_path: Path, answers: dict[str, dict[str, str]] | None = None, **extra: Any) -> Declaration:
    """A complete CMRT 6 written by the project's writer and read back, with `answers` changed."""
    given = {q: {m: a for m in METALS} for q, a in ANSWERS.items()}
    for key, by_metal in (answers or {}).items():
        given[key].update(by_metal)
    filling = Filling(
        version="6.5",
        company=dict[str, Value](COMPANY),
        answers=given,  # type: ignore[arg-type]
        company_answers={cq.key: cq.choices[0] for cq in CMRT6.company_questions},
        company_comments={"B": "https://example.com/policy"},
        smelters=extra.get("smelters", SMELTERS),
        lookup=LOOKUP,
    )
    path = tmp_path / "cmrt.xlsx"
    write_template(CMRT6, filling, path)
    return read_file(path)


def check(d: Declaration) -> list[Issue]:
    return mrt.check(d, today=TODAY)


def test_the_written_cmrt_is_complete(tmp_path: Path) -> None:
    assert check(cmrt(tmp_path)) == []


def test_lowercase_yes_is_yes_as_for_excel(tmp_path: Path) -> None:
    assert check(cmrt(tmp_path, {"Q1": {"Tin": "yes"}, "Q2": {"Tin": "YES"}})) == []


def test_yes_with_a_trailing_space_leaves_every_later_tin_answer_unread(tmp_path: Path) -> None:
    # CMRT 6 Checker: Q2 = IF(Q1="Yes", D33, 0), Q3-Q8 = IF(AND(Q1="Yes", Q2="Yes"), ..., 0).
    issues = check(cmrt(tmp_path, {"Q1": {"Tin": "Yes "}}))
    missing = [i for i in issues if i.code == "missing-required"]
    assert [i.cell for i in missing] == ["D33", "D39", "D45", "D51", "D57", "D63", "D69"]
    assert {i.params["kind"] for i in missing} == {"answer-spaces"}
    assert {(i.params["mineral"], i.params["upstream_cell"], i.params["meant"]) for i in missing} == {
        ("Tin", "D27", "Yes")
    }
    assert missing_required(issues) == 7 and mrt.status(issues) == "incomplete"
    assert missing[0].message.startswith(
        '"Yes " in cell D27 has extra spaces, so the template does not take it as "Yes" and counts '
        "question 2 for Tin as not answered."
    )
    assert [(i.code, i.cell) for i in issues if i.code != "missing-required"] == [("whitespace", "D27")]


def test_y_is_not_an_answer_and_leaves_every_later_gold_answer_unread(tmp_path: Path) -> None:
    issues = check(cmrt(tmp_path, {"Q1": {"Gold": "Y"}}))
    assert [(i.code, i.cell) for i in issues if i.code != "missing-required"] == [("invalid-choice", "D28")]
    missing = [i for i in issues if i.code == "missing-required"]
    assert [i.cell for i in missing] == ["D34", "D40", "D46", "D52", "D58", "D64", "D70"]
    assert {i.params["kind"] for i in missing} == {"answer-unlisted"}
    assert "is not one of the template's answers to question 1" in missing[0].message


def test_no_with_a_space_in_q2_closes_nothing_and_is_not_read(tmp_path: Path) -> None:
    # Q3-Q8 are required unless Q2 = "No", and read only when Q2 = "Yes": "No " is neither.
    blank = {q: {"Tungsten": ""} for q in ("Q3", "Q4", "Q5", "Q6", "Q7", "Q8")}
    issues = check(cmrt(tmp_path, {"Q2": {"Tungsten": "No "}, **blank}))
    missing = [i for i in issues if i.code == "missing-required"]
    assert [i.cell for i in missing] == ["D41", "D47", "D53", "D59", "D65", "D71"]
    assert {(i.params["kind"], i.params["upstream"], i.params["meant"]) for i in missing} == {
        ("answer-spaces", "2", "No")
    }
    # The same answers with a clean "No" leave nothing to fix.
    clean = check(cmrt(tmp_path, {"Q2": {"Tungsten": "No"}, **blank}))
    assert [i for i in clean if i.code == "missing-required"] == []


SURVEY = next(cq for cq in EMRT1.company_questions if cq.topic == "survey")


def emrt(tmp_path: Path, q1: str, survey: str | None = None) -> Declaration:
    """An EMRT 1.x answering cobalt and mica, with Q1 for cobalt as given and later cobalt answers blank."""
    yes_mica = {q.key: {"Mica": q.choices[0]} for q in EMRT1.questions}
    answers = {**yes_mica, "Q1": {"Cobalt": q1, "Mica": "Yes"}}
    filling = Filling(
        version="1.3",
        company=dict[str, Value](COMPANY),
        answers=answers,  # type: ignore[arg-type]
        company_answers={
            **{(f"{q.key}:Mica" if q.per_mineral else q.key): q.choices[0] for q in EMRT1.company_questions},
            **({SURVEY.key: survey} if survey else {}),
        },
        company_comments={"B": "https://example.com/policy"},
        smelters=[{"metal": "Mica", "lookup": "Mica Works"}],
        lookup=[LookupEntry("Mica", "Mica Works", "Mica Works", "INDIA", "CID900700", "RMI")],
    )
    path = tmp_path / "emrt.xlsx"
    write_template(EMRT1, filling, path)
    return read_file(path)


def test_emrt_no_with_a_space_does_not_close_the_later_cobalt_questions(tmp_path: Path) -> None:
    # EMRT 1.x Checker: Q2 needed unless Q1 = "No" (or Unknown, not applicable), compared with `=`.
    assert [i for i in check(emrt(tmp_path, "no")) if i.severity == "error"] == []
    issues = check(emrt(tmp_path, "No "))
    missing = [i for i in issues if i.code == "missing-required"]
    # Cobalt stays in scope: Q2-Q7, its company question C and a cobalt smelter are all required.
    assert [(i.cell, i.params["kind"]) for i in missing] == [
        *((cell, "answer-spaces") for cell in ("D32", "D38", "D44", "D50", "D56", "D62")),
        ("D74", "company-answer"),
        (None, "smelters"),
    ]
    assert {(i.params["mineral"], i.params["meant"]) for i in missing[:6]} == {("Cobalt", "No")}


def test_emrt_yes_with_a_space_still_needs_the_later_answers_for_the_plain_reason(tmp_path: Path) -> None:
    # With "Yes" the later cobalt questions are required anyway: the spaces are not why they are missing.
    missing = [i for i in check(emrt(tmp_path, "Yes ")) if i.code == "missing-required"]
    assert [i.params["kind"] for i in missing] == [*["answer"] * 6, "company-answer", "smelters"]


@pytest.mark.parametrize(
    ("survey", "kind"),
    [
        ("yes, in conformance with IPC1755 (e.g. EMRT)", None),
        ("No ", "company-answer-spaces"),
        ("Yes, in conformance with IPC1755 (e.g., EMRT)", "company-answer-unlisted"),  # one comma more
    ],
)
def test_emrt_survey_answer_counts_only_when_the_checker_reads_a_list_answer(
    tmp_path: Path, survey: str, kind: str | None
) -> None:
    # EMRT 1.x Checker: IF(D79="No", D79, IF(D79="Yes, in conformance ...", D79, IF(..., G79, 0))).
    missing = [i for i in check(emrt(tmp_path, "No", survey)) if i.code == "missing-required"]
    assert [(i.cell, i.params["kind"]) for i in missing] == ([(SURVEY.cell, kind)] if kind else [])
    if kind == "company-answer-spaces":
        assert missing[0].params["meant"] == "No" and "extra spaces" in missing[0].message


def mismatch_rows() -> list[dict[str, Any]]:
    return [
        *SMELTERS,
        {"id_input": "CID900402", "metal": "Gold"},  # the Tin plant's CID, typed as Gold: its Gold sister
        {"id_input": "CID900500", "metal": "Gold"},  # a Tin CID typed as Gold, no Gold facility of that name
        {"id_input": "CID900402", "metal": "tin"},  # the CID's own metal, case aside: no conflict
    ]


def test_a_cid_with_another_metal_is_an_error_naming_the_facility_the_template_resolves(
    tmp_path: Path,
) -> None:
    d = cmrt(tmp_path, smelters=mismatch_rows())
    rows = {r.row: r for r in d.smelters}
    assert (rows[9].metal, rows[9].smelter_id, rows[9].country) == ("Gold", "CID900401", "JAPAN")
    assert (rows[10].metal, rows[10].lookup, rows[10].smelter_id) == ("Gold", "Lone Tin Smelter", None)
    assert (rows[11].metal, rows[11].smelter_id) == ("Tin", "CID900402")
    issues = [i for i in check(d) if i.code == "smelter-id-metal-mismatch"]
    assert [(i.severity, i.sheet, i.cell, i.params["kind"]) for i in issues] == [
        ("error", "Smelter List", "B9", "resolved"),
        ("error", "Smelter List", "B10", "unresolved"),
    ]
    assert issues[0].params["resolved_id"] == "CID900401" and issues[0].params["id_metal"] == "Tin"
    assert "takes it as Sister Metals Corporation (CID900401), not CID900402" in issues[0].message
    assert "finds no such smelter" in issues[1].message
    assert "CID900500" in issues[1].message and "Tin" in issues[1].message
    ja = mrt.check(d, "ja", today=TODAY)
    assert any(i.code == "smelter-id-metal-mismatch" and "CID900401" in i.message for i in ja)


REALWORLD = Path(__file__).resolve().parents[2] / ".." / "shared" / "realworld"
BLANK = REALWORLD / "rmi-cmrt-6.5-blank-en.xlsx"


@pytest.fixture(scope="module")
def filled_blank(tmp_path_factory: pytest.TempPathFactory) -> tuple[Declaration, dict[str, Any]]:
    """The official CMRT 6.5 blank filled with openpyxl (no cached values): Tin Q1 "Yes ", Gold Q1
    "yes", and a Tin CID typed as Gold on the Smelter List."""
    if not BLANK.is_file():
        pytest.skip("shared/realworld is not available")
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(BLANK)
    ws = wb["Declaration"]
    for spec in CMRT6.company:
        if spec.key in COMPANY:
            ws[spec.cell] = COMPANY[spec.key]
    for q in CMRT6.questions:
        for cell in q.cells:
            ws[cell] = ANSWERS[q.key]
    ws[CMRT6.questions[0].cells[METALS.index("Tin")]] = "Yes "
    ws[CMRT6.questions[0].cells[METALS.index("Gold")]] = "yes"
    for cq in CMRT6.company_questions:
        ws[cq.cell] = cq.choices[0]
    ws["G77"] = "https://example.com/policy"
    lookup = wb["Smelter Look-up"]
    rows = [[c.value for c in r[:5]] for r in lookup.iter_rows(min_row=5)]
    standard = {(r[0], r[1]): r[4] for r in rows if r[0] and r[1] and r[4]}
    # A Tin CID whose standard name is also a Gold alias: the template resolves it to the Gold plant.
    tin_id, gold_id, name = next(
        (r[4], standard[("Gold", r[2])], r[2]) for r in rows if r[0] == "Tin" and ("Gold", r[2]) in standard
    )
    smelters = wb["Smelter List"]
    first_ids = {m: next(r[4] for r in rows if r[0] == m and r[4]) for m in METALS}
    for i, metal in enumerate(METALS):
        smelters[f"A{5 + i}"] = first_ids[metal]
    smelters["A9"], smelters["B9"] = tin_id, "Gold"
    path = tmp_path_factory.mktemp("blank") / "cmrt-6.5-filled.xlsx"
    wb.save(path)
    return read_file(path), {"tin_id": tin_id, "gold_id": gold_id, "name": name}


def test_official_blank_filled_with_openpyxl_is_judged_like_the_checker(
    filled_blank: tuple[Declaration, dict[str, Any]],
) -> None:
    d, facts = filled_blank
    issues = check(d)
    missing = [i for i in issues if i.code == "missing-required"]
    # "yes" is Yes; "Yes " leaves Tin's Q2-Q8 unread.
    assert [(i.cell, i.params["kind"]) for i in missing] == [
        (cell, "answer-spaces") for cell in ("D33", "D39", "D45", "D51", "D57", "D63", "D69")
    ]
    mismatch = [i for i in issues if i.code == "smelter-id-metal-mismatch"]
    assert [(i.sheet, i.cell, i.params["kind"], i.params["resolved_id"]) for i in mismatch] == [
        ("Smelter List", "B9", "resolved", facts["gold_id"])
    ]
    row = next(r for r in d.smelters if r.row == 9)
    assert (row.metal, row.smelter_id, row.id_input) == ("Gold", facts["gold_id"], facts["tin_id"])
