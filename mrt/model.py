"""Typed result of reading a Minerals Reporting Template: one `Declaration` for every family."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from mrt.layout import Layout

Family = Literal["CMRT", "EMRT", "CRT", "AMRT"]
Severity = Literal["error", "warning"]

NOT_LISTED = "Smelter not listed"
NOT_IDENTIFIED = "Smelter not yet identified"


@dataclass(frozen=True)
class Field:
    """One cell as the supplier left it: `value` is trimmed text (None when blank), `raw` untouched."""

    sheet: str
    cell: str
    value: str | None
    raw: object = None

    @property
    def blank(self) -> bool:
        """True when the cell holds nothing but whitespace."""
        return self.value is None


@dataclass
class SmelterRow:
    """One filled row of the Smelter List, inputs as typed and columns derived like the formulas."""

    row: int
    metal: str | None
    lookup: str | None  # column C, the look-up name or a special value
    name: str | None  # column D as typed
    country: str | None  # typed (not listed) or derived from the look-up
    smelter_id: str | None  # column A input, else derived from the look-up, else column F
    id_input: str | None = None  # column A as typed
    standard_name: str | None = None  # from the file's Smelter Look-up
    source: str | None = None
    street: str | None = None
    city: str | None = None
    state: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    next_steps: str | None = None
    mine_name: str | None = None
    mine_country: str | None = None
    recycled: str | None = None
    comments: str | None = None
    # Column letter -> the untouched cell value, for whitespace and placeholder checks.
    raw: dict[str, object] = field(default_factory=dict)


@dataclass
class ProductRow:
    """One filled row of the Product List."""

    row: int
    number: str | None
    name: str | None
    requester_number: str | None = None
    requester_name: str | None = None
    comments: str | None = None


@dataclass
class MineRow:
    """One filled row of the Mine List (EMRT 2.x, AMRT)."""

    row: int
    metal: str | None
    smelter_name: str | None
    mine_name: str | None
    mine_id: str | None = None
    id_source: str | None = None
    country: str | None = None
    street: str | None = None
    city: str | None = None
    state: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    next_steps: str | None = None
    comments: str | None = None


@dataclass(frozen=True)
class LookupEntry:
    """One row of the file's own `Smelter Look-up` (RMI's reference list at template release)."""

    metal: str
    alias: str
    standard_name: str | None
    country: str | None
    smelter_id: str | None
    source: str | None = None
    street: str | None = None
    city: str | None = None
    state: str | None = None


@dataclass
class Declaration:
    """Everything a supplier declared in one template file."""

    family: Family
    version: str  # as the file states it: "6.4", "2.03a", "2.2"
    layout: Layout
    language: str = "en"  # ISO 639-1 code of the language selected in the file
    company: dict[str, Field] = field(default_factory=dict)  # keys: see mrt.layout.COMPANY_KEYS
    minerals: list[str] = field(default_factory=list)  # in the order the template lists them
    # Question key ("Q1".."Q8") -> mineral -> answer cell.
    mineral_answers: dict[str, dict[str, Field]] = field(default_factory=dict)
    # Question key ("A".."J") -> answer cell; per-mineral company questions (EMRT C) use "C:<mineral>".
    company_answers: dict[str, Field] = field(default_factory=dict)
    # Question key -> comment cell (for B this is the policy URL).
    company_comments: dict[str, Field] = field(default_factory=dict)
    smelters: list[SmelterRow] = field(default_factory=list)
    products: list[ProductRow] = field(default_factory=list)
    mines: list[MineRow] = field(default_factory=list)
    lookup: list[LookupEntry] = field(default_factory=list)
    effective_date: dt.date | None = None  # parsed from company["effective_date"] when possible
    macro_enabled: bool = False  # the file carried a VBA project (never run)

    def answer(self, topic: str, mineral: str) -> str | None:
        """The answer to the per-mineral question about `topic` (see mrt.layout.TOPICS), or None."""
        for q in self.layout.questions:
            if q.topic == topic:
                f = self.mineral_answers.get(q.key, {}).get(mineral)
                return f.value if f else None
        return None

    def company_answer(self, topic: str) -> str | None:
        """The answer to the company-level question about `topic`, or None."""
        for q in self.layout.company_questions:
            if q.topic == topic and not q.per_mineral:
                f = self.company_answers.get(q.key)
                return f.value if f else None
        return None


@dataclass(frozen=True)
class Issue:
    """One thing to fix or look at, located by sheet and cell, worded for the supplier."""

    severity: Severity
    code: str
    sheet: str | None
    cell: str | None
    message: str
    params: dict[str, str] = field(default_factory=dict)  # to re-word the message in another language


class Unreadable(Exception):
    """A file that cannot be read as a supported template; `code` says why, `message` in words."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
