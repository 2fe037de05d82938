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
