"""Answer lists and column maps shared by several layouts."""

from __future__ import annotations

from mrt.layout import Gate, TableLayout

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
PRODUCT_LIST = TableLayout(
    "Product List", 5, 6, 2505, (("number", "B"), ("name", "C"), ("comments", "D"))
)

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
