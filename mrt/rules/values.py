"""Value tests shared by the rules: answer matching, placeholders, emails, whitespace, formula text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_NOT_KEY = re.compile(r"[^\w%]+")
# Spellings seen in real files or older template lists, keyed like `answer_key`.
_VARIANTS = {
    "yes100%": "100%",  # CMRT 3.x Q5
    "1": "100%",  # a "100%" cell stored as the number 1
    "100": "100%",
}
_PLACEHOLDERS = {
    "",  # only punctuation: "-", "--", "?", "."
    "na",
    "nil",
    "none",
    "tbd",
    "tba",
    "tbc",
    "same",
    "sameasabove",
    "asabove",
    "x",
    "xx",
    "xxx",
    "unknown",
    "notapplicable",
}
_ADDRESS_PART = r"[^\s@,;:<>()\[\]\"']+"
_EMAIL = re.compile(rf"^{_ADDRESS_PART}@(?:[^\s@,;:<>()\[\]\"'.]+\.)+[^\s@,;:<>()\[\]\"'.]{{2,}}$")
_EMAIL_SEPARATORS = re.compile(r"[;,\s/]+")
_PHONE_LIKE = re.compile(r"^[+\-][\d\s().\-/]+(?:\s*(?:ext\.?|x|#)\s*\d+)?$", re.IGNORECASE)
CID = re.compile(r"^CID\d{6}$")


@lru_cache(maxsize=8192)  # the same few answers, metals and aliases come back on every row
def answer_key(text: str) -> str:
    """Comparison key of an answer: case, spacing, punctuation and brackets ignored."""
    return _NOT_KEY.sub("", text.casefold()).replace("_", "")


def canonical(value: str | None, raw: object, choices: Iterable[str]) -> str | None:
    """The allowed answer that `value` means, or None when it matches none of `choices`."""
    if value is None:
        return None
    by_key = _keyed(tuple(choices))
    number = isinstance(raw, int | float) and not isinstance(raw, bool)
    key = "1" if number and raw == 1 else answer_key(value)
    if key in by_key:
        return by_key[key]
    return by_key.get(_VARIANTS.get(key, key))


@lru_cache(maxsize=256)
def _keyed(choices: tuple[str, ...]) -> dict[str, str]:
    return {answer_key(c): c for c in choices}


def only_spaces(raw: object) -> bool:
    """A text cell holding nothing but spaces (or other whitespace)."""
    return isinstance(raw, str) and raw != "" and not raw.strip()


def checker_blank(raw: object) -> bool:
    """What the Checker counts as not filled in: its test is `IF(B4=0,1,0)` on `B4 = Declaration!D8`,
    and an empty cell reads as 0, so does the number 0; any text, even spaces only, is not 0 (the
    `<>""` and LEN(...)>1 tests of some rows agree on spaces)."""
    if raw is None:
        return True
    return isinstance(raw, int | float) and not isinstance(raw, bool) and raw == 0


def same_answer(a: str | None, b: str) -> bool:
    """True when answer `a` is `b`, spelling aside."""
    return a is not None and answer_key(a) == answer_key(b)


def excel_equals(raw: object, text: str) -> bool:
    """Excel's `=` between a cell and a list answer: case aside, every character counts (spaces too)."""
    return isinstance(raw, str) and raw.lower() == text.lower()


def misspelt(raw: object, choices: Iterable[str]) -> str | None:
    """Why Excel's `=` finds none of `choices` in a filled cell: "spaces" when only spaces around it
    differ, "unlisted" when it is no list answer at all; None when it matches one (or is blank)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if any(excel_equals(raw, c) for c in choices):
        return None
    if isinstance(raw, str) and any(excel_equals(raw.strip(), c) for c in choices):
        return "spaces"
    return "unlisted"


def is_placeholder(value: str | None) -> bool:
    """True for fillers such as "same", "N/A", "-" or "TBD" typed instead of a real answer."""
    return value is not None and answer_key(value) in _PLACEHOLDERS


def is_email(value: str) -> bool:
    """True when every address in `value` (separated by ';', ',' or spaces) is well formed."""
    parts = [p for p in _EMAIL_SEPARATORS.split(value) if p]
    return bool(parts) and all(_EMAIL.match(p) for p in parts)


def has_whitespace_damage(raw: object) -> bool:
    """True when text carries tabs or leading/trailing spaces that the template does not expect."""
    return isinstance(raw, str) and raw.strip() != "" and (raw != raw.strip() or "\t" in raw)


def looks_like_formula(value: str | None) -> bool:
    """True for text that a spreadsheet would run as a formula (=, @, or +/- not a phone number)."""
    if value is None or len(value) < 2:
        return False
    first = value[0]
    return first in "=@" or (first in "+-" and not _PHONE_LIKE.match(value))
