"""The company's own answers, derived from its suppliers' complete declarations by written rules."""

from __future__ import annotations

import re

from mrt.layout import Layout
from mrt.layouts.common import RESPONSE_SHARES
from reports.declared import Declared
from reports.kpi import KpiRow
from reports.smelters import GAP_NOT_LISTED, Consolidated

YES, NO, UNKNOWN = "Yes", "No", "Unknown"

# Written into the roll-up's documentation and the CLI help: how each answer is derived.
RULES = (
    "Q1 (intentionally added): Yes when any supplier declares Yes for the metal, else No.",
    "Q2 (remains in product): Yes when any supplier with Q1 Yes declares Yes, else No.",
    "Q3-Q8 are answered only for metals with Q1 and Q2 Yes, over the suppliers declaring both:",
    "  covered countries / CAHRA: Yes when any supplier says Yes, Unknown when any says Unknown or "
    "leaves it blank, else No;",
    "  100% recycled: Yes only when every supplier says Yes, No when any says No, else Unknown;",
    "  supplier response: our own response rate for the metal (responded / suppliers in scope);",
    "  all smelters identified: Yes only when every supplier in scope sent a complete declaration "
    "answering Yes and no row of the metal is 'Smelter not yet identified' or unmatched, else No;",
    "  all information reported: Yes, since the roll-up lists every smelter received.",
    "Smelter List: every smelter identified by CID (by its id when the template's look-up lists it, else as "
    "'Smelter not listed' with id, name and country), every named 'Smelter not listed' row once, and a "
    "'Smelter not yet identified' row for a metal in scope that has such rows or no smelter at all.",
    "Company questions come from the company profile; without it E (survey), F (review) and G "
    "(corrective action) are Yes, since this system runs them.",
)


def _band(choice: str) -> float | None:
    """The response rate a choice starts above: 1 for all, -1 for none, 0 for "less than", None: no rate."""
    text = choice.lower()
    if text in ("none", "no - none"):
        return -1.0
    if "100%" in text or text == "yes":
        return 1.0
    number = re.search(r"(\d+)\s*%", text)
    if number is None:
        return None
    if "greater" in text or ">" in text:
        return int(number.group(1)) / 100
    return 0.0 if "less" in text or "<" in text else None


def response_answer(rate: float | None, choices: tuple[str, ...]) -> str | None:
    """The answer in the template's own list for a response rate (CMRT, EMRT, CRT and AMRT lists alike)."""
    bands = sorted(((b, c) for c in choices if (b := _band(c)) is not None), reverse=True)
    if not rate:
        return next((c for b, c in bands if b < 0), None)
    if rate >= 1:
        return next((c for b, c in bands if b >= 1), None)
    return next((c for b, c in bands if 0 <= b < rate), None)


def response_bucket(rate: float | None) -> str:
    """The CMRT 6 Q6 answer for a response rate."""
    return response_answer(rate, RESPONSE_SHARES) or "None"


def _any_then(values: list[str | None], first: str) -> str:
    """`first` when any value is it, Unknown when any is Unknown or blank, else No."""
    if first in values:
        return first
    return UNKNOWN if any(v in (None, UNKNOWN) for v in values) else NO


def _recycled(values: list[str | None]) -> str:
    if values and all(v == YES for v in values):
        return YES
    return NO if NO in values else UNKNOWN


def _derive(
    topic: str, values: list[str | None], row: KpiRow | None, gaps: bool, choices: tuple[str, ...]
) -> str | None:
    """The company's answer to one Q3-Q8 topic from the declaring suppliers' answers to it."""
    if topic in ("covered_countries", "cahra"):
        return _any_then(values, YES)
    if topic == "recycled":
        return _recycled(values)
    if topic == "supplier_response":
        return response_answer(row.response_rate if row else None, choices)
    if topic == "all_smelters_identified":
        everyone = row is not None and row.complete == row.suppliers_in_scope
        return YES if everyone and not gaps and all(v == YES for v in values) else NO
    if topic == "all_info_reported":
        return YES
    return None


def mineral_answers(
    layout: Layout,
    minerals: list[str],
    declared: list[Declared],
    rows: dict[str, KpiRow],
    found: Consolidated,
) -> dict[str, dict[str, str]]:
    """Question key -> mineral -> the company's answer, for the layout's per-mineral questions."""
    keys = {q.topic: q.key for q in layout.questions}
    out: dict[str, dict[str, str]] = {q.key: {} for q in layout.questions}
    q1, q2 = keys.get("intentional"), keys.get("remains")
    if q1 is None or q2 is None:
        return out
    for metal in minerals:
        users = [d for d in declared if d.answer(q1, metal) == YES]
        out[q1][metal] = YES if users else NO
        inside = [d for d in users if d.answer(q2, metal) == YES]
        if users:
            out[q2][metal] = YES if inside else NO
        if not inside:
            continue
        gaps = any(g.metal == metal and g.kind != GAP_NOT_LISTED for g in found.gaps)
        for q in layout.questions:
            values = [d.answer(q.key, metal) for d in inside]
            answer = _derive(q.topic, values, rows.get(metal), gaps, q.choices)
            if answer in q.choices:
                out[q.key][metal] = answer
    return out


def per_mineral_company_answers(
    layout: Layout, answers: dict[str, str], minerals: list[str]
) -> dict[str, str]:
    """A profile's answer to a per-mineral company question (EMRT C), given for each mineral in scope."""
    out: dict[str, str] = {}
    for cq in layout.company_questions:
        answer = answers.get(cq.key)
        if cq.per_mineral and answer in cq.choices:
            out.update({f"{cq.key}:{m}": answer for m in minerals if f"{cq.key}:{m}" not in answers})
    return out


def default_company_answers(layout: Layout) -> dict[str, str]:
    """Company questions this system answers by itself: it surveys, reviews, and runs corrective action."""
    out: dict[str, str] = {}
    for cq in layout.company_questions:
        if cq.per_mineral:
            continue
        if cq.topic == "survey":
            choice = next((c for c in cq.choices if c.startswith("Yes, in conformance")), None)
            if choice:
                out[cq.key] = choice
        elif cq.topic in ("review", "corrective_action") and YES in cq.choices:
            out[cq.key] = YES
    return out
