"""EMRT 1.x (1.1-1.3): cobalt and mica in fixed rows; company block as CMRT 6 (verified on 1.11-1.3)."""

from __future__ import annotations

from mrt.layout import CompanyQuestion, Gate, Layout, MineralQuestion
from mrt.layouts.common import (
    PRODUCT_LIST,
    RESPONSE_SHARES,
    SCOPES,
    SMELTER_LIST,
    YES_NO,
    YES_NO_UNKNOWN,
    company_d8_d22,
)

MINERALS = ("Cobalt", "Mica")
NOT_APPLICABLE = "Not applicable for this declaration"
# EMRT Checker: Q2 is not needed when Q1 is No, Unknown or not applicable; Q3-Q7 also when Q2 is.
UNLESS_Q1 = (Gate("Q1", ("No", "Unknown", NOT_APPLICABLE)),)
UNLESS_Q1_Q2 = (*UNLESS_Q1, Gate("Q2", ("No", "Unknown", NOT_APPLICABLE)))
VALIDATED = ("Yes", "Yes, when more processors are validated", "No")


def _q(key: str, topic: str, text: str, cells: tuple[str, ...], choices: tuple[str, ...]) -> MineralQuestion:
    unless = () if key == "Q1" else UNLESS_Q1 if key == "Q2" else UNLESS_Q1_Q2
    return MineralQuestion(key, topic, text, cells, choices, unless=unless)


QUESTIONS = (
    _q(
        "Q1",
        "intentional",
        "Is any cobalt or natural mica intentionally added or used in the product(s) "
        "or in the production process?",
        ("D26", "D27"),
        (*YES_NO_UNKNOWN, NOT_APPLICABLE),
    ),
    _q(
        "Q2",
        "remains",
        "Does any cobalt or natural mica remain in the product(s)?",
        ("D32", "D33"),
        YES_NO_UNKNOWN,
    ),
    # Cobalt also allows "DRC only", mica "India and/or Madagascar only": both are accepted here.
    _q(
        "Q3",
        "cahra",
        "Do any of the smelters or processors in your supply chain source cobalt or natural "
        "mica from conflict-affected and high-risk areas?",
        ("D38", "D39"),
        (*YES_NO_UNKNOWN, "DRC only", "India and/or Madagascar only"),
    ),
    _q(
        "Q4",
        "recycled",
        "Does 100 percent of the cobalt originate from recycled or scrap sources?",
        ("D44",),
        YES_NO_UNKNOWN,
    ),  # asked for cobalt only
    _q(
        "Q5",
        "supplier_response",
        "What percentage of relevant suppliers have provided a response to your supply chain survey?",
        ("D50", "D51"),
        RESPONSE_SHARES,
    ),
    _q(
        "Q6",
        "all_smelters_identified",
        "Have you identified all of the smelters or processors supplying "
        "cobalt or natural mica to your supply chain?",
        ("D56", "D57"),
        YES_NO_UNKNOWN,
    ),
    _q(
        "Q7",
        "all_info_reported",
        "Has all applicable smelter or processor information received by your "
        "company been reported in this declaration?",
        ("D62", "D63"),
        YES_NO_UNKNOWN,
    ),
)

COMPANY_QUESTIONS = (
    CompanyQuestion(
        "A", "policy", "Have you established a responsible minerals sourcing policy?", "D69", YES_NO
    ),
    CompanyQuestion(
        "B",
        "policy_public",
        "Is your responsible minerals sourcing policy publicly available on your website?",
        "D71",
        YES_NO,
        comment_cell="G71",
        comment_required_for=("Yes",),
    ),
    CompanyQuestion(
        "C",
        "validated_smelters",
        "Do you require your direct suppliers to source from smelters "
        "or processors whose due diligence practices have been validated by an independent "
        "third party audit program?",
        "D74",
        VALIDATED,
        per_mineral=True,
        cells=("D74", "D75"),
    ),
    CompanyQuestion(
        "D",
        "due_diligence",
        "Have you implemented due diligence measures for responsible sourcing?",
        "D77",
        YES_NO,
    ),
    CompanyQuestion(
        "E",
        "survey",
        "Does your company conduct a cobalt and/or natural mica supply chain "
        "survey of your relevant suppliers?",
        "D79",
        ("Yes, in conformance with IPC1755 (e.g. EMRT)", "Yes, Using Other Format (Describe)", "No"),
        comment_cell="G79",
        comment_required_for=("Yes, Using Other Format (Describe)",),
    ),
    CompanyQuestion(
        "F",
        "review",
        "Do you review due diligence information received from your suppliers "
        "against your company's expectations?",
        "D81",
        YES_NO,
    ),
    CompanyQuestion(
        "G",
        "corrective_action",
        "Does your review process include corrective action management?",
        "D83",
        YES_NO,
    ),
)

LAYOUT = Layout(
    family="EMRT",
    generation="emrt-1",
    declaration_sheet="Declaration",
    language_cell="D3",
    company=company_d8_d22(authorizer_phone_required=False),
    minerals=MINERALS,
    questions=QUESTIONS,
    company_questions=COMPANY_QUESTIONS,
    smelters=SMELTER_LIST,
    products=PRODUCT_LIST,
    scope_choices=SCOPES,
)
