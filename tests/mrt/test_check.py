"""The checker on declarations built in code: Checker parity, gates, and every check beyond it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

import mrt
from mrt.check import missing_required
from mrt.layouts.cmrt6 import LAYOUT
from mrt.model import NOT_IDENTIFIED, NOT_LISTED, Declaration, Field, LookupEntry, SmelterRow

TODAY = dt.date(2025, 6, 1)
SHEET = "Declaration"
METALS = ("Tantalum", "Tin", "Gold", "Tungsten")
COMPANY = {
    "name": "Example Metals Ltd",
    "scope": "A. Company",
    "contact_name": "Contact Person",
    "contact_email": "contact@example.com",
    "contact_phone": "+1 555 0100",
    "authorizer": "Authorizing Person",
    "authorizer_email": "authorizer@example.com",
    "effective_date": "2025-01-31",
}
ANSWERS = {
    "Q1": "Yes",
    "Q2": "Yes",
    "Q3": "No",
    "Q4": "No",
    "Q5": "No",
    "Q6": "100%",
    "Q7": "Yes",
    "Q8": "Yes",
}
LOOKUP = [
    LookupEntry(m, f"{m} Refinery", f"{m} Refinery Co", "Japan", f"CID00000{i}") for i, m in enumerate(METALS)
]


def cell(key: str) -> str:
    return next(c.cell for c in LAYOUT.company if c.key == key)


def complete() -> Declaration:
    """A fully answered CMRT 6 declaration: every metal in scope, one smelter each."""
    d = Declaration("CMRT", "6.4", LAYOUT, minerals=list(METALS), lookup=list(LOOKUP))
    for key, value in COMPANY.items():
        d.company[key] = Field(SHEET, cell(key), value, value)
    d.effective_date = dt.date(2025, 1, 31)
    for q in LAYOUT.questions:
        d.mineral_answers[q.key] = {
            m: Field(SHEET, c, ANSWERS[q.key], ANSWERS[q.key]) for m, c in zip(METALS, q.cells, strict=True)
        }
    for cq in LAYOUT.company_questions:
        d.company_answers[cq.key] = Field(SHEET, cq.cell, cq.choices[0], cq.choices[0])
    d.company_comments["B"] = Field(SHEET, "G77", "https://example.com/policy", "https://example.com/policy")
    for i, e in enumerate(LOOKUP):
        d.smelters.append(SmelterRow(5 + i, e.metal, e.alias, None, e.country, e.smelter_id, e.smelter_id))
    return d


def answer(d: Declaration, key: str, metal: str, value: str | None, raw: object = None) -> None:
    old = d.mineral_answers[key][metal]
    d.mineral_answers[key][metal] = Field(SHEET, old.cell, value, value if raw is None else raw)


def company(d: Declaration, key: str, value: str | None, raw: object = None) -> None:
    d.company[key] = Field(SHEET, cell(key), value, value if raw is None else raw)


def codes(d: Declaration) -> list[str]:
    return [i.code for i in mrt.check(d, today=TODAY)]


def cells(d: Declaration, code: str) -> list[str | None]:
    return [i.cell for i in mrt.check(d, today=TODAY) if i.code == code]


def test_complete_declaration_has_no_issue() -> None:
    issues = mrt.check(complete(), today=TODAY)
    assert issues == []
    assert mrt.status(issues) == "complete"


def test_blank_template_counts_like_the_checker_tab() -> None:
    # The official blank CMRT 6.x caches 52 in Checker!D2: 8 company fields, Q1-Q8 x 4 metals,
    # A-H, and one smelter requirement per metal.
    issues = mrt.check(Declaration("CMRT", "6.5", LAYOUT), today=TODAY)
    assert missing_required(issues) == 52
    assert mrt.status(issues) == "incomplete"


def test_q1_no_closes_every_later_question_and_the_smelter_list() -> None:
    d = complete()
    for metal in METALS:
        answer(d, "Q1", metal, "No")
        for q in ("Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8"):
            answer(d, q, metal, None)
    d.smelters.clear()
    for cq in LAYOUT.company_questions:
        d.company_answers.pop(cq.key)
    assert codes(d) == []


def test_q2_no_closes_q3_to_q8_for_that_metal_only() -> None:
    d = complete()
    answer(d, "Q2", "Gold", "No")
    for q in ("Q3", "Q4", "Q5", "Q6", "Q7", "Q8"):
        answer(d, q, "Gold", None)
        answer(d, q, "Tin", None)
    issues = [i for i in mrt.check(d, today=TODAY) if i.code == "missing-required"]
    assert [i.cell for i in issues] == ["D39", "D45", "D51", "D57", "D63", "D69"]  # Tin's Q3-Q8
    assert all(i.params["mineral"] == "Tin" for i in issues)


def test_blank_q1_makes_every_later_answer_count_as_missing_like_the_checker() -> None:
    # The Checker reads Q2 only when Q1 is Yes, so a "No" in Q2 does not close Q3-Q8 while Q1 is blank.
    d = complete()
    answer(d, "Q1", "Tin", None)
    answer(d, "Q2", "Tin", "No")
    assert cells(d, "missing-required") == ["D27", "D33", "D39", "D45", "D51", "D57", "D63", "D69"]


def test_policy_url_required_when_b_is_yes() -> None:
    d = complete()
    d.company_comments.pop("B")
    assert cells(d, "missing-required") == ["G77"]
    d.company_answers["B"] = Field(SHEET, "D77", "No", "No")
    assert codes(d) == []


def test_other_survey_format_needs_a_description() -> None:
    d = complete()
    d.company_answers["E"] = Field(SHEET, "D83", "Yes, using other format (describe)", "x")
    assert cells(d, "comment-required") == ["G83"]
    assert missing_required(mrt.check(d, today=TODAY)) == 0  # not a Checker rule


def test_scope_c_needs_a_description_and_scope_b_a_product_list() -> None:
    d = complete()
    company(d, "scope", LAYOUT.scope_user_defined)
    assert cells(d, "missing-required") == ["D10"]
    company(d, "scope", LAYOUT.scope_product)
    issues = [i for i in mrt.check(d, today=TODAY) if i.code == "missing-required"]
    assert [(i.sheet, i.cell) for i in issues] == [("Product List", "B6")]


def test_each_in_scope_metal_needs_a_smelter_row() -> None:
    d = complete()
    d.smelters = [r for r in d.smelters if r.metal in ("Tin", "Gold")]
    issues = [i for i in mrt.check(d, today=TODAY) if i.code == "missing-required"]
    assert [(i.sheet, i.params["mineral"]) for i in issues] == [
        ("Smelter List", "Tantalum"),
        ("Smelter List", "Tungsten"),
    ]


def test_smelter_not_listed_needs_name_and_country_counted_once_like_the_checker() -> None:
    d = complete()
    d.smelters += [
        SmelterRow(20, "Gold", NOT_LISTED, None, "Peru", None),
        SmelterRow(21, "Gold", NOT_LISTED, "Some Refinery", None, None),
        SmelterRow(22, "Gold", NOT_LISTED, "Other Refinery", "Chile", None),
    ]
    issues = mrt.check(d, today=TODAY)
    assert [(i.code, i.cell) for i in issues] == [
        ("missing-required", "D20"),
        ("not-listed-incomplete", "E21"),
    ]


def test_spelling_variants_of_list_answers_are_accepted() -> None:
    d = complete()
    answer(d, "Q1", "Tin", "YES")
    answer(d, "Q6", "Tin", "100%", raw=1.0)  # a percent cell read as a number
    answer(d, "Q6", "Gold", "Yes, 100%")  # CMRT 3.x wording
    d.company_answers["E"] = Field(SHEET, "D83", "Yes, in conformance with IPC-1755 [e.g., CMRT]", "x")
    assert codes(d) == []


def test_answers_outside_the_lists_are_errors() -> None:
    d = complete()
    answer(d, "Q3", "Gold", "Maybe")
    company(d, "scope", "Whole group")
    issues = [i for i in mrt.check(d, today=TODAY) if i.code == "invalid-choice"]
    assert [i.cell for i in issues] == ["D9", "D40"]
    assert "Yes / No / Unknown" in issues[1].message and "Maybe" in issues[1].message


@pytest.mark.parametrize("email", ["first,last@example.com", "someone@example", "a@b@example.com"])
def test_malformed_emails(email: str) -> None:
    d = complete()
    company(d, "contact_email", email)
    assert cells(d, "invalid-email") == ["D16"]


def test_email_without_at_sign_is_missing_as_the_checker_counts_it() -> None:
    d = complete()
    company(d, "authorizer_email", "example.com")
    assert cells(d, "missing-required") == ["D20"]


def test_two_addresses_in_one_cell_are_fine() -> None:
    d = complete()
    company(d, "contact_email", "a@example.com; b@example.org")
    assert codes(d) == []


def test_future_and_unreadable_dates() -> None:
    d = complete()
    d.effective_date = dt.date(2030, 1, 1)
    assert cells(d, "future-date") == ["D22"]
    d.effective_date = None
    company(d, "effective_date", "next spring")
    assert cells(d, "invalid-date") == ["D22"]
    company(d, "effective_date", "2024-05-02", raw=dt.datetime(2024, 5, 2))
    assert codes(d) == []


@pytest.mark.parametrize("filler", ["same", "N/A", "-", "TBD", "Same as above", "n.a."])
def test_placeholders_in_required_fields(filler: str) -> None:
    d = complete()
    company(d, "authorizer", filler)
    assert cells(d, "placeholder") == ["D18"]


def test_placeholder_in_an_optional_field_is_accepted() -> None:
    d = complete()
    company(d, "authorizer_phone", "N/A")
    assert codes(d) == []


def test_smelters_for_metals_answered_no_are_flagged() -> None:
    d = complete()
    answer(d, "Q1", "Tin", "No")
    for q in ("Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8"):
        answer(d, q, "Tin", None)
    issues = mrt.check(d, today=TODAY)
    assert [(i.code, i.severity, i.cell) for i in issues] == [("smelter-out-of-scope", "warning", "B6")]
    assert mrt.status(issues) == "complete"


def test_metal_with_only_unidentified_smelters_is_a_warning() -> None:
    d = complete()
    d.smelters[0] = SmelterRow(5, "Tantalum", NOT_IDENTIFIED, None, None, None)
    assert codes(d) == ["metal-without-smelters"]


def test_duplicate_rows_and_unknown_ids() -> None:
    d = complete()
    first = d.smelters[0]
    d.smelters += [
        dataclasses.replace(first, row=30),
        SmelterRow(31, "Gold", None, None, None, "CID999999", "CID999999"),
        SmelterRow(32, "Gold", None, None, None, None, "12345"),
        SmelterRow(33, "Gold", "Nowhere Refinery", None, None, None),
    ]
    issues = {i.code: i for i in mrt.check(d, today=TODAY)}
    assert issues["duplicate-smelter"].params == {"row": "30", "first_row": "5"}
    assert (issues["unknown-smelter-id"].severity, issues["unknown-smelter-id"].cell) == ("warning", "A31")
    assert (issues["invalid-smelter-id"].severity, issues["invalid-smelter-id"].cell) == ("error", "A32")
    assert issues["unknown-smelter-name"].cell == "C33"


def test_smelter_row_without_metal() -> None:
    d = complete()
    d.smelters.append(SmelterRow(40, None, "Gold Refinery", None, None, None))
    assert cells(d, "missing-smelter-metal") == ["B40"]


def test_whitespace_damage_and_formula_text_are_warnings() -> None:
    d = complete()
    company(d, "name", "Example Metals Ltd", raw="Example Metals Ltd\t\t")
    company(d, "address", '=HYPERLINK("http://evil.example","x")')
    company(d, "contact_phone", "+81 3-1234-5678")  # a phone number is not a formula
    d.smelters[1].raw["D"] = "@SUM(1+1)"
    issues = mrt.check(d, today=TODAY)
    assert [(i.code, i.cell) for i in issues] == [
        ("whitespace", "D8"),
        ("formula-text", "D14"),
        ("formula-text", "D6"),
    ]
    assert mrt.status(issues) == "complete"


def test_messages_follow_the_file_language_and_fall_back_to_english() -> None:
    d = complete()
    company(d, "name", None)
    d.language = "ja"
    assert "会社名" in mrt.check(d, today=TODAY)[0].message
    assert "公司名称" in mrt.check(d, "zh", today=TODAY)[0].message
    d.language = "ko"
    assert "기업명" in mrt.check(d, today=TODAY)[0].message
    d.language = "it"  # a template language we have no catalog for
    assert mrt.check(d, today=TODAY)[0].message.startswith("Company name is required")


def test_emrt_checker_reads_answers_directly_and_counts_the_other_format_comment() -> None:
    d = complete()
    d.family = "EMRT"  # EMRT Checkers read Q2 even when Q1 is blank (only CMRT 6 gates the reading)
    d.layout = dataclasses.replace(LAYOUT, generation="emrt-1")
    answer(d, "Q1", "Tin", None)
    answer(d, "Q2", "Tin", "No")
    other = "Yes, using other format (describe)"  # Excel's `=` ignores case
    d.company_answers["E"] = Field(SHEET, "D83", other, other)
    issues = [i for i in mrt.check(d, today=TODAY) if i.severity == "error"]
    assert [(i.code, i.cell, i.params["kind"]) for i in issues] == [
        ("missing-required", "D27", "answer"),
        ("missing-required", "G83", "comment"),
    ]


def test_crt_checker_wants_smelters_only_after_a_yes() -> None:
    d = complete()
    d.family = "CRT"
    d.smelters.clear()
    answer(d, "Q1", "Tin", None)
    answer(d, "Q2", "Tin", None)
    smelters = [i.params["mineral"] for i in mrt.check(d, today=TODAY) if i.params.get("kind") == "smelters"]
    assert smelters == ["Tantalum", "Gold", "Tungsten"]
    d.family = "CMRT"
    smelters = [i.params["mineral"] for i in mrt.check(d, today=TODAY) if i.params.get("kind") == "smelters"]
    assert smelters == list(METALS)
