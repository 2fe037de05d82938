"""EMRT 2.0 / 2.1: six minerals chosen in D12:G13, 10-row question blocks (verified on 2.0 and 2.1)."""

from __future__ import annotations

from dataclasses import replace

from mrt.layout import CompanyField, CompanyQuestion, Gate, Layout, MineralQuestion, TableLayout
from mrt.layouts.common import (
    PRODUCT_LIST,
    RESPONSE_SHARES,
    SCOPES,
    SMELTER_LIST,
    YES_NO,
    YES_NO_UNKNOWN,
    answer_cells,
)

MINERALS = ("Cobalt", "Copper", "Graphite", "Lithium", "Mica", "Nickel")
MINERAL_CELLS = ("D12", "E12", "G12", "D13", "E13", "G13")  # each: the mineral or "(Delete <mineral>)"
NOT_DECLARING = "Not declaring"
UNLESS_Q1 = (Gate("Q1", ("No", "Unknown", NOT_DECLARING)),)
UNLESS_Q1_Q2 = (*UNLESS_Q1, Gate("Q2", ("No", "Unknown")))
VALIDATED = ("Yes", "Yes, when more processors are validated", "No")

COMPANY = (
    CompanyField("name", "D8", True),
    CompanyField("scope", "D9", True),
    CompanyField("scope_description", "D10"),
    CompanyField("unique_id", "D16"),
    CompanyField("unique_id_authority", "D17"),
    CompanyField("address", "D18"),
    CompanyField("contact_name", "D19", True),
    CompanyField("contact_email", "D20", True),
    CompanyField("contact_phone", "D21", True),
    CompanyField("authorizer", "D22", True),
    CompanyField("authorizer_title", "D23"),
    CompanyField("authorizer_email", "D24", True),
    CompanyField("authorizer_phone", "D25"),
    CompanyField("effective_date", "D26", True),
)


def _q(key: str, topic: str, text: str, row: int, choices: tuple[str, ...]) -> MineralQuestion:
    unless = () if key == "Q1" else UNLESS_Q1 if key == "Q2" else UNLESS_Q1_Q2
    return MineralQuestion(key, topic, text, answer_cells(row, 10), choices, unless=unless)


QUESTIONS = (
    _q(
        "Q1",
        "intentional",
        "Is any of the specified mineral/metal intentionally added or used in the "
        "product(s) or in the production process?",
        30,
        (*YES_NO_UNKNOWN, NOT_DECLARING),
    ),
    _q(
        "Q2",
        "remains",
        "Does any of the specified mineral/metal remain in the product(s)?",
        42,
        YES_NO_UNKNOWN,
    ),
    _q(
        "Q3",
        "cahra",
        "Do any of the smelters or processors in your supply chain source the specified "
        "mineral/metal from conflict-affected and high-risk areas?",
        54,
        YES_NO_UNKNOWN,
    ),
    _q(
        "Q4",
        "recycled",
        "Does 100 percent of the specified mineral/metal originate from recycled or scrap sources?",
        66,
        YES_NO_UNKNOWN,
    ),
    _q(
        "Q5",
        "supplier_response",
        "What percentage of relevant suppliers have provided a response to your supply chain survey?",
        78,
        (*RESPONSE_SHARES, "Did not survey"),
    ),
    _q(
        "Q6",
        "all_smelters_identified",
        "Have you identified all of the smelters or processors supplying the "
        "specified mineral/metal to your supply chain?",
        90,
        YES_NO_UNKNOWN,
    ),
    _q(
        "Q7",
        "all_info_reported",
        "Has all applicable smelter or processor information received by your "
        "company been reported in this declaration?",
        102,
        YES_NO_UNKNOWN,
    ),
)

COMPANY_QUESTIONS = (
    CompanyQuestion(
        "A", "policy", "Have you established a responsible minerals sourcing policy?", "D115", YES_NO
    ),
    CompanyQuestion(
        "B",
        "policy_public",
        "Is your responsible minerals sourcing policy publicly available on your website?",
        "D117",
        YES_NO,
        comment_cell="G117",
        comment_required_for=("Yes",),
    ),
    CompanyQuestion(
        "C",
        "validated_smelters",
        "Do you require your direct suppliers to source from smelters "
        "or processors whose due diligence practices have been validated by an independent "
        "third party audit program?",
        "D120",
        VALIDATED,
        per_mineral=True,
        cells=answer_cells(120, 10),
    ),
    CompanyQuestion(
        "D",
        "due_diligence",
        "Have you implemented due diligence measures for responsible sourcing?",
        "D131",
        YES_NO,
    ),
    CompanyQuestion(
        "E",
        "survey",
        "Does your company conduct supply chain survey(s) of your relevant supplier(s)?",
        "D133",
        ("Yes, in conformance with IPC1755 (e.g. EMRT)", "Yes, Using Other Format (Describe)", "No"),
        comment_cell="G133",
        comment_required_for=("Yes, Using Other Format (Describe)",),
    ),
    CompanyQuestion(
        "F",
        "review",
        "Do you review due diligence information received from your suppliers "
        "against your company's expectations?",
        "D135",
        YES_NO,
    ),
    CompanyQuestion(
        "G",
        "corrective_action",
        "Does your review process include corrective action management?",
        "D137",
        YES_NO,
    ),
)

MINE_LIST = TableLayout(
    "Mine List",
    4,
    5,
    2504,
    (
        ("metal", "A"),
        ("smelter_name", "B"),
        ("mine_name", "C"),
        ("mine_id", "D"),
        ("id_source", "E"),
        ("country", "F"),
        ("street", "G"),
        ("city", "H"),
        ("state", "I"),
        ("contact_name", "J"),
        ("contact_email", "K"),
        ("next_steps", "L"),
        ("comments", "M"),
    ),
)
# 2.1 added the requester's product number and name.
PRODUCT_LIST_REQUESTER = TableLayout(
    "Product List",
    5,
    6,
    2505,
    (
        ("number", "B"),
        ("name", "C"),
        ("requester_number", "D"),
        ("requester_name", "E"),
        ("comments", "F"),
    ),
)

LAYOUT = Layout(
    family="EMRT",
    generation="emrt-2",
    declaration_sheet="Declaration",
    language_cell="D3",
    company=COMPANY,
    minerals=(),
    questions=QUESTIONS,
    company_questions=COMPANY_QUESTIONS,
    smelters=SMELTER_LIST,
    products=PRODUCT_LIST,
    mines=MINE_LIST,
    scope_choices=SCOPES,
    mineral_cells=MINERAL_CELLS,
)
LAYOUT_21 = replace(LAYOUT, generation="emrt-2.1", products=PRODUCT_LIST_REQUESTER)
