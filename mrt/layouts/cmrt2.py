"""CMRT 2.0x (EICC-GeSI, 2012-2013), verified on the 2.00, 2.02 and 2.03a files; plus the shifted variant."""

from __future__ import annotations

from dataclasses import replace

from mrt.layout import CompanyField, CompanyQuestion, Gate, Layout, MineralQuestion, TableLayout
from mrt.layouts.common import YES_NO, YES_NO_UNKNOWN, answer_cells

METALS = ("Tantalum", "Tin", "Gold", "Tungsten")
UNLESS_Q1_NO = (Gate("Q1", ("No",)),)
YES_NO_UNCERTAIN = ("Yes", "No", "Uncertain or Unknown")
RESPONSES = ("Yes", "No but > 75%", "No but > 50%", "No but > 25%", "No but < 25%", "No - none")

COMPANY = (
    CompanyField("name", "D8", True),
    CompanyField("scope", "D9", True),
    CompanyField("scope_description", "D10"),
    CompanyField("unique_id", "D12"),
    CompanyField("address", "D13"),
    CompanyField("authorizer", "D14", True),  # "Authorized Company Representative Name"
    CompanyField("authorizer_title", "D15"),
    CompanyField("authorizer_email", "D16", True),
    CompanyField("authorizer_phone", "D17"),
    CompanyField("effective_date", "D18", True),  # "Date of Completion"
)


def _q(key: str, topic: str, text: str, row: int, choices: tuple[str, ...]) -> MineralQuestion:
    return MineralQuestion(
        key, topic, text, answer_cells(row, 4), choices, unless=() if key == "Q1" else UNLESS_Q1_NO
    )


# Answer lists as the 2.0x files validate them (inline list validations on the Declaration sheet).
QUESTIONS = (
    _q(
        "Q1",
        "intentional",
        "Are any of the following metals necessary to the functionality or production "
        "of your company's products?",
        22,
        YES_NO,
    ),
    _q(
        "Q2",
        "covered_countries",
        "Do the following metals originate from the Democratic Republic of the "
        "Congo (DRC) or an adjoining country?",
        28,
        YES_NO_UNCERTAIN,
    ),
    _q(
        "Q3",
        "recycled",
        "Do the following metals come from recycler or scrap supplier sources?",
        34,
        YES_NO_UNCERTAIN,
    ),
    _q(
        "Q4",
        "supplier_response",
        "Have you received completed Conflict Minerals Reporting Templates from all of your suppliers?",
        40,
        RESPONSES,
    ),
    _q(
        "Q5",
        "all_smelters_identified",
        "For each of the following metals, have you identified all of the "
        "smelters used by your company and its suppliers?",
        46,
        ("Yes all smelters have been provided", "No"),
    ),
    _q(
        "Q6",
        "smelters_validated",
        "Have all of the smelters used by your company and its suppliers been "
        "validated as compliant with the Conflict-Free Smelter program?",
        52,
        YES_NO_UNKNOWN,
    ),
)

_TOPICS = (
    ("policy", "Do you have a policy in place that includes DRC conflict-free sourcing?"),
    ("policy_public", "Is this policy publicly available on your website?"),
    ("conflict_free_suppliers", "Do you require your direct suppliers to be DRC conflict-free?"),
    (
        "validated_smelters",
        "Do you require your direct suppliers to source from smelters validated as "
        "compliant with the Conflict-Free Smelter program?",
    ),
    ("due_diligence", "Have you implemented due diligence measures for conflict-free sourcing?"),
    ("survey", "Do you request your suppliers to fill out this Conflict Minerals Reporting Template?"),
    ("request_smelter_names", "Do you request smelter names from your suppliers?"),
    ("review", "Do you verify due diligence information received from your suppliers?"),
    ("corrective_action", "Does your verification process include corrective action management?"),
    ("disclosure", "Are you subject to the SEC Conflict Minerals disclosure requirement rule?"),
)
VERIFY = (
    "Yes (3rd party audit)",
    "Yes (documentation review only)",
    "Yes (internal audit)",
    "Yes (all methods apply)",
    "No",
)
_CHOICES = {
    "review": VERIFY,
    "conflict_free_suppliers": ("Yes", "Yes included in standard contract language", "No"),
    "validated_smelters": ("Yes", "No", "Planned once lists become available"),
}
COMPANY_QUESTIONS = tuple(
    CompanyQuestion(chr(ord("A") + i), topic, text, f"D{59 + 2 * i}", _CHOICES.get(topic, YES_NO))
    for i, (topic, text) in enumerate(_TOPICS)
)


def _smelter_columns(fields: tuple[str, ...], first: str) -> tuple[tuple[str, str], ...]:
    start = ord(first)
    return tuple((name, chr(start + i)) for i, name in enumerate(fields))


# 2.02+ added the Smelter ID column F; the shifted variant puts Metal in column A instead of B.
_WITH_ID = (
    "metal",
    "lookup",
    "name",
    "country",
    "smelter_id",
    "street",
    "city",
    "state",
    "contact_name",
    "contact_email",
    "next_steps",
    "mine_name",
    "mine_country",
    "comments",
)
_WITHOUT_ID = tuple(f for f in _WITH_ID if f != "smelter_id")

STANDARD_NAMES_2 = TableLayout(
    "Standard Smelter Names",
    2,
    3,
    5000,
    (("metal", "A"), ("alias", "B"), ("standard_name", "B"), ("country", "D"), ("smelter_id", "E")),
)
SCOPES_2 = (
    "A. Company Level",
    "B. Division Level [Specify in 'Description of scope']",
    "C. Product Category Level [Specify in 'Description of scope']",
    "D. Product Level",
)

LAYOUT = Layout(
    family="CMRT",
    generation="cmrt-2",
    declaration_sheet="Declaration",
    language_cell="D3",
    company=COMPANY,
    minerals=METALS,
    questions=QUESTIONS,
    company_questions=COMPANY_QUESTIONS,
    smelters=TableLayout("Smelter List", 4, 5, 2504, _smelter_columns(_WITH_ID, "B")),
    products=TableLayout("Product List", 5, 6, 2505, (("number", "B"), ("name", "C"), ("comments", "D"))),
    lookup_sheet="Standard Smelter Names",
    lookup=STANDARD_NAMES_2,
    scope_product="D. Product Level",
    scope_user_defined="B. Division Level [Specify in 'Description of scope']",
    scope_choices=SCOPES_2,
    company_required_with="Q2",  # A-J are required unless every metal answered Q1 = No
)
LAYOUT_200 = replace(
    LAYOUT,
    generation="cmrt-2.00",
    smelters=TableLayout("Smelter List", 4, 5, 2504, _smelter_columns(_WITHOUT_ID, "B")),
)
LAYOUT_SHIFTED = replace(
    LAYOUT,
    generation="cmrt-2-shifted",
    smelters=TableLayout("Smelter List", 4, 5, 2504, _smelter_columns(_WITH_ID, "A")),
)
