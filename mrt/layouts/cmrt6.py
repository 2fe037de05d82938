"""CMRT 6.0-6.5: one layout for the whole family (Checker references identical across versions)."""

from __future__ import annotations

from mrt.layout import CompanyQuestion, Layout, MineralQuestion
from mrt.layouts.common import (
    PRODUCT_LIST,
    RESPONSE_SHARES,
    SCOPES,
    SMELTER_LIST,
    UNLESS_Q1_NO,
    UNLESS_Q1_OR_Q2_NO,
    YES_NO,
    YES_NO_UNKNOWN,
    company_d8_d22,
)

METALS = ("Tantalum", "Tin", "Gold", "Tungsten")


def _cells(first_row: int) -> tuple[str, ...]:
    return tuple(f"D{first_row + i}" for i in range(len(METALS)))


COMPANY = company_d8_d22(authorizer_phone_required=False)  # optional since 6.0

QUESTIONS = (
    MineralQuestion(
        "Q1",
        "intentional",
        "Is any 3TG intentionally added or used in the product(s) or in the production process?",
        _cells(26),
        YES_NO,
    ),
    MineralQuestion(
        "Q2",
        "remains",
        "Does any 3TG remain in the product(s)?",
        _cells(32),
        YES_NO,
        True,
        UNLESS_Q1_NO,
    ),
    MineralQuestion(
        "Q3",
        "covered_countries",
        "Do any of the smelters in your supply chain source the 3TG from the covered countries?",
        _cells(38),
        YES_NO_UNKNOWN,
        True,
        UNLESS_Q1_OR_Q2_NO,
    ),
    MineralQuestion(
        "Q4",
        "cahra",
        "Do any of the smelters in your supply chain source the 3TG from conflict-affected and "
        "high-risk areas?",
        _cells(44),
        YES_NO_UNKNOWN,
        True,
        UNLESS_Q1_OR_Q2_NO,
    ),
    MineralQuestion(
        "Q5",
        "recycled",
        "Does 100 percent of the 3TG originate from recycled or scrap sources?",
        _cells(50),
        YES_NO_UNKNOWN,
        True,
        UNLESS_Q1_OR_Q2_NO,
    ),
    MineralQuestion(
        "Q6",
        "supplier_response",
        "What percentage of relevant suppliers have provided a response to your supply chain survey?",
        _cells(56),
        RESPONSE_SHARES,
        True,
        UNLESS_Q1_OR_Q2_NO,
    ),
    MineralQuestion(
        "Q7",
        "all_smelters_identified",
        "Have you identified all of the smelters supplying the 3TG to your supply chain?",
        _cells(62),
        YES_NO,
        True,
        UNLESS_Q1_OR_Q2_NO,
    ),
    MineralQuestion(
        "Q8",
        "all_info_reported",
        "Has all applicable smelter information received by your company been reported in this declaration?",
        _cells(68),
        YES_NO,
        True,
        UNLESS_Q1_OR_Q2_NO,
    ),
)

COMPANY_QUESTIONS = (
    CompanyQuestion(
        "A", "policy", "Have you established a responsible minerals sourcing policy?", "D75", YES_NO
    ),
    CompanyQuestion(
        "B",
        "policy_public",
        "Is your responsible minerals sourcing policy publicly available on your website?",
        "D77",
        YES_NO,
        comment_cell="G77",
        comment_required_for=("Yes",),
    ),
    CompanyQuestion(
        "C",
        "validated_smelters",
        "Do you require your direct suppliers to source the 3TG from smelters whose due diligence "
        "practices have been validated by an independent third party audit program?",
        "D79",
        YES_NO,
    ),
    CompanyQuestion(
        "D",
        "due_diligence",
        "Have you implemented due diligence measures for responsible sourcing?",
        "D81",
        YES_NO,
    ),
    CompanyQuestion(
        "E",
        "survey",
        "Does your company conduct Conflict Minerals survey(s) of your relevant supplier(s)?",
        "D83",
        (
            "Yes, in conformance with IPC1755 (e.g., CMRT)",
            "Yes, using other format (describe)",
            "No",
        ),
        comment_cell="G83",
        comment_required_for=("Yes, using other format (describe)",),
    ),
    CompanyQuestion(
        "F",
        "review",
        "Do you review due diligence information received from your suppliers against your "
        "company's expectations?",
        "D85",
        YES_NO,
    ),
    CompanyQuestion(
        "G",
        "corrective_action",
        "Does your review process include corrective action management?",
        "D87",
        YES_NO,
    ),
    CompanyQuestion(
        "H",
        "disclosure",
        "Is your company required to file an annual conflict minerals disclosure?",
        "D89",
        ("Yes, with the SEC", "Yes, with the EU", "Yes, with the SEC and the EU", "No"),
    ),
)

LAYOUT = Layout(
    family="CMRT",
    generation="cmrt-6",
    declaration_sheet="Declaration",
    language_cell="D3",
    company=COMPANY,
    minerals=METALS,
    questions=QUESTIONS,
    company_questions=COMPANY_QUESTIONS,
    smelters=SMELTER_LIST,
    products=PRODUCT_LIST,
    scope_choices=SCOPES,
)
