"""CRT 2.x (cobalt only; the file named 2.21 states 2.2), verified on the 2.21 blank's Checker."""

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

UNLESS_Q1 = (Gate("Q1", ("No", "Unknown")),)  # CRT Checker: Q2-Q6 need Q1 not No/Unknown


def _q(key: str, topic: str, text: str, cell: str, choices: tuple[str, ...]) -> MineralQuestion:
    return MineralQuestion(key, topic, text, (cell,), choices, unless=() if key == "Q1" else UNLESS_Q1)


QUESTIONS = (
    _q(
        "Q1",
        "intentional",
        "Is any cobalt intentionally added or used in the product(s) or in the production process?",
        "D26",
        YES_NO_UNKNOWN,
    ),
    _q(
        "Q2",
        "cahra",
        "Do any of the smelters in your supply chain source cobalt from conflict-affected and "
        "high-risk areas?",
        "D32",
        (*YES_NO_UNKNOWN, "DRC or adjoining countries only"),
    ),
    _q(
        "Q3",
        "recycled",
        "Does 100 percent of the cobalt originate from recycled or scrap sources?",
        "D38",
        YES_NO_UNKNOWN,
    ),
    _q(
        "Q4",
        "supplier_response",
        "What percentage of relevant suppliers have provided a response to your supply chain survey?",
        "D44",
        RESPONSE_SHARES,
    ),
    _q(
        "Q5",
        "all_smelters_identified",
        "Have you identified all of the smelters supplying cobalt to your supply chain?",
        "D50",
        YES_NO_UNKNOWN,
    ),
    _q(
        "Q6",
        "all_info_reported",
        "Has all applicable smelter information received by your company been reported in this declaration?",
        "D56",
        YES_NO_UNKNOWN,
    ),
)

_TOPICS = (
    ("policy_public", "Do you have a publicly available cobalt sourcing policy?"),
    (
        "policy_annex_ii",
        "Does the policy cover at least all risks in Annex II of the OECD Guidance and the "
        "worst forms of child labour?",
    ),
    ("due_diligence", "Have you implemented due diligence measures for cobalt in the declared scope?"),
    (
        "supplier_due_diligence",
        "Do you require your suppliers to conduct cobalt supply chain due diligence "
        "in line with the OECD Guidance?",
    ),
    (
        "validated_smelters",
        "Do you require your direct suppliers to source from smelters whose due diligence "
        "practices have been validated by an independent third party audit program?",
    ),
    (
        "supplier_due_diligence",
        "Do you require your suppliers' due diligence to cover at least the risks in "
        "Annex II of the OECD Guidance?",
    ),
    ("survey", "Do you conduct a cobalt supply chain survey of your relevant suppliers?"),
    (
        "review",
        "Do you review due diligence information received from your suppliers against your "
        "company's expectations?",
    ),
    ("corrective_action", "Does your review process include corrective action management?"),
)
SURVEY = ("Yes, CRT", "Yes, Using Other Format (Describe)", "No")


def _company(i: int, topic: str, text: str) -> CompanyQuestion:
    key, row = chr(ord("A") + i), 63 + 2 * i
    if key == "A":  # the policy URL goes in the comment (Checker: G63 when A = Yes)
        return CompanyQuestion(key, topic, text, f"D{row}", YES_NO, f"G{row}", ("Yes",))
    if topic == "survey":
        return CompanyQuestion(key, topic, text, f"D{row}", SURVEY, f"G{row}", (SURVEY[1],))
    return CompanyQuestion(key, topic, text, f"D{row}", YES_NO)


LAYOUT = Layout(
    family="CRT",
    generation="crt-2",
    declaration_sheet="Declaration",
    language_cell="D3",
    company=company_d8_d22(authorizer_phone_required=False),
    minerals=("Cobalt",),
    questions=QUESTIONS,
    company_questions=tuple(_company(i, topic, text) for i, (topic, text) in enumerate(_TOPICS)),
    smelters=SMELTER_LIST,
    products=PRODUCT_LIST,
    scope_choices=SCOPES,
    company_required_with="Q2",
)
