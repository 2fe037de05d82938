"""CMRT 3.0x (verified on 3.01 files) and the 3.x grid it shares with 4.x (A-J) and 5.x (A-I, inferred)."""

from __future__ import annotations

from dataclasses import replace

from mrt.layout import CompanyQuestion, Gate, Layout, MineralQuestion, TableLayout
from mrt.layouts.common import (
    LOOKUP_TABLE,
    PRODUCT_LIST,
    SCOPES,
    SMELTER_LIST,
    SMELTER_LIST_NO_ID_INPUT,
    STANDARD_NAMES_3,
    YES_NO,
    YES_NO_UNKNOWN,
    answer_cells,
    company_d8_d22,
)

METALS = ("Tantalum", "Tin", "Gold", "Tungsten")
# Q3-Q7 are required unless Q1 and Q2 are both No (3.01 Checker: IF(AND(Q1="No",Q2="No"),0,1)).
UNLESS_BOTH_NO = (Gate("Q1", ("No",)), Gate("Q2", ("No",)))
RESPONSE_SHARES_3 = (
    "Yes, 100%",
    "No, but greater than 75%",
    "No, but greater than 50%",
    "No, but greater than 25%",
    "No, but less than 25%",
    "None",
)


def _q(key: str, topic: str, text: str, row: int, choices: tuple[str, ...], gated: bool) -> MineralQuestion:
    return MineralQuestion(
        key, topic, text, answer_cells(row, 4), choices, unless_all=UNLESS_BOTH_NO if gated else ()
    )


QUESTIONS = (
    _q("Q1", "intentional", "Is the conflict metal intentionally added to your product?", 26, YES_NO, False),
    _q(
        "Q2",
        "remains",
        "Is the conflict metal necessary to the production of your product and contained in the finished "
        "product that your company manufactures or contracts to manufacture?",
        32,
        YES_NO,
        False,
    ),
    _q(
        "Q3",
        "covered_countries",
        "Does any of the conflict metal originate from the covered countries?",
        38,
        YES_NO_UNKNOWN,
        True,
    ),
    _q(
        "Q4",
        "recycled",
        "Does 100 percent of the conflict metal originate from recycled or scrap sources?",
        44,
        YES_NO_UNKNOWN,
        True,
    ),
    _q(
        "Q5",
        "supplier_response",
        "Have you received conflict metals data/information for each metal from all relevant suppliers?",
        50,
        RESPONSE_SHARES_3,
        True,
    ),
    _q(
        "Q6",
        "all_smelters_identified",
        "For each conflict metal, have you identified all of the smelters supplying the 3TG to your "
        "supply chain?",
        56,
        YES_NO,
        True,
    ),
    _q(
        "Q7",
        "all_info_reported",
        "Has all applicable smelter information received by your company been reported in this declaration?",
        62,
        YES_NO_UNKNOWN,
        True,
    ),
)


def _company_questions(topics: tuple[tuple[str, str], ...]) -> tuple[CompanyQuestion, ...]:
    out = []
    for i, (topic, text) in enumerate(topics):
        key, row = chr(ord("A") + i), 69 + 2 * i
        comment = f"G{row}" if key == "B" else None
        out.append(
            CompanyQuestion(
                key,
                topic,
                text,
                f"D{row}",
                YES_NO,
                comment_cell=comment,
                comment_required_for=("Yes",) if comment else (),
            )
        )
    return tuple(out)


_POLICY = ("policy", "Do you have a policy in place that addresses conflict minerals sourcing?")
_PUBLIC = ("policy_public", "Is your conflict minerals sourcing policy publicly available on your website?")
_CONFLICT_FREE = ("conflict_free_suppliers", "Do you require your direct suppliers to be DRC conflict-free?")
_VALIDATED = (
    "validated_smelters",
    "Do you require your direct suppliers to source from smelters validated by an independent audit firm?",
)
_DD = ("due_diligence", "Have you implemented due diligence measures for conflict-free sourcing?")
_SURVEY = ("survey", "Do you collect conflict minerals due diligence information from your suppliers?")
_NAMES = ("request_smelter_names", "Do you request smelter names from your suppliers?")
_REVIEW = ("review", "Do you review due diligence information received from your suppliers?")
_CAPA = ("corrective_action", "Does your review process include corrective action management?")
_DISCLOSURE = ("disclosure", "Are you subject to the SEC Conflict Minerals rule?")

LAYOUT = Layout(
    family="CMRT",
    generation="cmrt-3",
    declaration_sheet="Declaration",
    language_cell="D3",
    company=company_d8_d22(authorizer_phone_required=True),
    minerals=METALS,
    questions=QUESTIONS,
    company_questions=_company_questions(
        (_POLICY, _PUBLIC, _CONFLICT_FREE, _VALIDATED, _DD, _SURVEY, _NAMES, _REVIEW, _CAPA, _DISCLOSURE)
    ),
    smelters=SMELTER_LIST_NO_ID_INPUT,
    products=PRODUCT_LIST,
    lookup_sheet="Standard Smelter Names",
    lookup=STANDARD_NAMES_3,
    scope_choices=SCOPES,
)

# 4.x: the 3.x grid, "Smelter Reference List" tab, CID input column (4.10). Inferred: no 4.x file seen.
LAYOUT_4 = replace(
    LAYOUT,
    generation="cmrt-4",
    smelters=SMELTER_LIST,
    lookup_sheet="Smelter Reference List",
    lookup=TableLayout("Smelter Reference List", 4, 5, 5000, LOOKUP_TABLE.columns),
)

# 5.x: former G (request smelter names) removed, so I is the disclosure question; "Smelter Look-up".
# Inferred from the 5.0 completion guide and revision notes: no 5.x file seen.
LAYOUT_5 = replace(
    LAYOUT_4,
    generation="cmrt-5",
    company_questions=_company_questions(
        (_POLICY, _PUBLIC, _CONFLICT_FREE, _VALIDATED, _DD, _SURVEY, _REVIEW, _CAPA, _DISCLOSURE)
    ),
    lookup_sheet="Smelter Look-up",
    lookup=None,
)
