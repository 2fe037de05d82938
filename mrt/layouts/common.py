"""Answer lists and column maps shared by several layouts."""

from __future__ import annotations

from dataclasses import replace

from mrt.layout import CompanyField, Gate, Layout, TableLayout

YES_NO = ("Yes", "No")
YES_NO_UNKNOWN = ("Yes", "No", "Unknown")
RESPONSE_SHARES = (
    "100%",
    "Greater than 90%",
    "Greater than 75%",
    "Greater than 50%",
    "50% or less",
    "None",
)

# Q2 is not required when Q1 is No; Q3 onwards not when Q1 or Q2 is No (CMRT Checker formulas).
UNLESS_Q1_NO = (Gate("Q1", ("No",)),)
UNLESS_Q1_OR_Q2_NO = (Gate("Q1", ("No",)), Gate("Q2", ("No",)))

# Smelter List columns A-Q, identical in CMRT 4.1+ / 5.x / 6.x, EMRT, CRT and AMRT.
SMELTER_COLUMNS = (
    ("id_input", "A"),
    ("metal", "B"),
    ("lookup", "C"),
    ("name", "D"),
    ("country", "E"),
    ("smelter_id", "F"),
    ("source", "G"),
    ("street", "H"),
    ("city", "I"),
    ("state", "J"),
    ("contact_name", "K"),
    ("contact_email", "L"),
    ("next_steps", "M"),
    ("mine_name", "N"),
    ("mine_country", "O"),
    ("recycled", "P"),
    ("comments", "Q"),
)

SMELTER_LIST = TableLayout("Smelter List", 4, 5, 2504, SMELTER_COLUMNS)
PRODUCT_LIST = TableLayout("Product List", 5, 6, 2505, (("number", "B"), ("name", "C"), ("comments", "D")))

# The file's own RMI Smelter Reference List (CMRT 5+, EMRT, CRT, AMRT 1.3): header row 4, data from 5.
LOOKUP_TABLE = TableLayout(
    "Smelter Look-up",
    4,
    5,
    5000,
    (
        ("metal", "A"),
        ("alias", "B"),
        ("standard_name", "C"),
        ("country", "D"),
        ("smelter_id", "E"),
        ("source", "F"),
        ("street", "G"),
        ("city", "H"),
        ("state", "I"),
    ),
)


def lookup_table(layout: Layout) -> TableLayout | None:
    """Where a layout's look-up list lives (None when the template has none)."""
    if not layout.lookup_sheet:
        return None
    return layout.lookup or replace(LOOKUP_TABLE, sheet=layout.lookup_sheet)


# Titles in Declaration!D2 (English); translated titles keep the acronym in brackets.
TITLES = {
    "CMRT": "Conflict Minerals Reporting Template (CMRT)",
    "EMRT": "Extended Mineral Reporting Template (EMRT)",
    "CRT": "Cobalt Reporting Template (CRT)",
    "AMRT": "Additional Minerals Reporting Template (AMRT)",
}

# Languages offered in Declaration!D3, as the list shows them, with their ISO 639-1 codes.
LANGUAGES = {
    "English": "en",
    "中文 Chinese": "zh",
    "日本語 Japanese": "ja",
    "한국어 Korean": "ko",
    "Français": "fr",
    "Português": "pt",
    "Deutsch": "de",
    "Español": "es",
    "Italiano": "it",
    "Türkçe": "tr",
}

# CMRT 3.x-4.0x Smelter List: the same B-Q columns as CMRT 6, but column A is a hidden formula.
SMELTER_LIST_NO_ID_INPUT = TableLayout("Smelter List", 4, 5, 2504, SMELTER_COLUMNS[1:])

# CMRT 3.x: the Standard Smelter Names tab (header row 2) with old (v2) and new (CID) ids.
STANDARD_NAMES_3 = TableLayout(
    "Standard Smelter Names",
    2,
    3,
    5000,
    (("metal", "A"), ("alias", "B"), ("standard_name", "B"), ("country", "C"), ("smelter_id", "E")),
)


# Company block of CMRT 3.x-6.x, EMRT 1.x and CRT: D8-D22 (the authorizer's phone varies).
def company_d8_d22(authorizer_phone_required: bool) -> tuple[CompanyField, ...]:
    """The company cells shared by CMRT 3-6, EMRT 1 and CRT 2."""
    return (
        CompanyField("name", "D8", True),
        CompanyField("scope", "D9", True),
        CompanyField("scope_description", "D10"),
        CompanyField("unique_id", "D12"),
        CompanyField("unique_id_authority", "D13"),
        CompanyField("address", "D14"),
        CompanyField("contact_name", "D15", True),
        CompanyField("contact_email", "D16", True),
        CompanyField("contact_phone", "D17", True),
        CompanyField("authorizer", "D18", True),
        CompanyField("authorizer_title", "D19"),
        CompanyField("authorizer_email", "D20", True),
        CompanyField("authorizer_phone", "D21", authorizer_phone_required),
        CompanyField("effective_date", "D22", True),
    )


def answer_cells(first_row: int, count: int, column: str = "D") -> tuple[str, ...]:
    """`count` consecutive answer cells from `first_row` down."""
    return tuple(f"{column}{first_row + i}" for i in range(count))


SCOPES = (
    "A. Company",
    "B. Product (or List of Products)",
    "C. User defined [Specify in 'Description of scope']",
)


OTHER_MINERAL = "Other [specify below]"


def question_slots(chosen: list[str]) -> list[tuple[str, int]]:
    """(mineral, question row index) for minerals chosen in scope cells: the template sorts them A-Z
    (case-insensitive) into the question rows, duplicates included; a mineral answers on its first row."""
    slots: dict[str, int] = {}
    chosen = [m for m in chosen if m and not m.startswith("(")]  # "(Delete Cobalt)" removes it (EMRT 2)
    for index, mineral in enumerate(sorted(chosen, key=str.casefold)):
        slots.setdefault(mineral, index)
    return list(slots.items())
