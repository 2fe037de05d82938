"""AMRT 1.2/1.21 and 1.3: up to ten minerals chosen in D12:I13, questions 1-2 only (verified on blanks)."""

from __future__ import annotations

from dataclasses import replace

from mrt.layout import CompanyField, Layout, MineralQuestion, TableLayout
from mrt.layouts.common import (
    PRODUCT_LIST,
    RESPONSE_SHARES,
    SCOPES,
    SMELTER_LIST,
    YES_NO_UNKNOWN,
    answer_cells,
)
from mrt.layouts.emrt2 import MINE_LIST, PRODUCT_LIST_REQUESTER

MINERAL_CELLS = ("D12", "E12", "G12", "H12", "I12", "D13", "E13", "G13", "H13", "I13")
Q1_CHOICES = (*YES_NO_UNKNOWN, "Not declaring")
Q2_CHOICES = (*RESPONSE_SHARES, "Unknown", "Did not survey")
_FIELDS = (
    ("unique_id", False),
    ("unique_id_authority", False),
    ("address", False),
    ("contact_name", True),
    ("contact_email", True),
    ("contact_phone", True),
    ("authorizer", True),
    ("authorizer_title", False),
    ("authorizer_email", True),
    ("authorizer_phone", False),
    ("effective_date", True),
)


# AMRT 1.2/1.21 Smelter List: no CID input and no look-up; metal, name and country are typed in
# A-C and every column up to O is the supplier's own (P-R are helper formulas; the Checker counts a
# row for a mineral when B and C are not blank: U = OR(ISBLANK(B5), ISBLANK(C5)), V = A5&"+").
SMELTER_LIST_12 = TableLayout(
    "Smelter List",
    4,
    5,
    2504,
    (
        ("metal", "A"),
        ("name", "B"),
        ("country", "C"),
        ("smelter_id", "D"),
        ("source", "E"),
        ("street", "F"),
        ("city", "G"),
        ("state", "H"),
        ("contact_name", "I"),
        ("contact_email", "J"),
        ("next_steps", "K"),
        ("mine_name", "L"),
        ("mine_country", "M"),
        ("recycled", "N"),
        ("comments", "O"),
    ),
)


def _company(first_row: int) -> tuple[CompanyField, ...]:
    head = (
        CompanyField("name", "D8", True),
        CompanyField("scope", "D9", True),
        CompanyField("scope_description", "D10"),
    )
    return head + tuple(CompanyField(key, f"D{first_row + i}", req) for i, (key, req) in enumerate(_FIELDS))


def _questions(q1_row: int, q2_row: int) -> tuple[MineralQuestion, ...]:
    return (
        MineralQuestion(
            "Q1",
            "intentional",
            "Is any of the specified minerals or metals intentionally added or used in the product(s) or in "
            "the production process?",
            answer_cells(q1_row, 10),
            Q1_CHOICES,
        ),
        # The AMRT Checker does not count question 2 as required.
        MineralQuestion(
            "Q2",
            "supplier_response",
            "What percentage of relevant suppliers have provided a response to your supply chain survey?",
            answer_cells(q2_row, 10),
            Q2_CHOICES,
            required=False,
        ),
    )


LAYOUT_12 = Layout(
    family="AMRT",
    generation="amrt-1.2",
    declaration_sheet="Declaration",
    language_cell="D3",
    company=_company(14),
    minerals=(),
    questions=_questions(28, 40),
    company_questions=(),
    smelters=SMELTER_LIST_12,
    products=PRODUCT_LIST,
    mines=MINE_LIST,
    lookup_sheet=None,
    scope_choices=SCOPES,
    company_required_with=None,
    mineral_cells=MINERAL_CELLS,
)
# 1.3: a line for "Other" minerals pushes the company block down three rows; Smelter Look-up added.
LAYOUT_13 = replace(
    LAYOUT_12,
    generation="amrt-1.3",
    company=_company(17),
    questions=_questions(31, 43),
    smelters=SMELTER_LIST,
    products=PRODUCT_LIST_REQUESTER,
    lookup_sheet="Smelter Look-up",
    mineral_other_rows=3,  # D12 "Other [specify below]" -> the name typed in D15
)
