"""Declaration answers by topic, spelled as the template's answer lists spell them."""

from __future__ import annotations

from mrt.model import Declaration, Field
from mrt.rules.values import canonical


def answer(decl: Declaration, topic: str, metal: str) -> tuple[Field | None, str | None]:
    """The answer cell of the per-metal question about `topic`, and its canonical value."""
    for q in decl.layout.questions:
        if q.topic == topic:
            f = decl.mineral_answers.get(q.key, {}).get(metal)
            return f, (canonical(f.value, f.raw, q.choices) or f.value) if f else None
    return None, None


def company_answer(decl: Declaration, topic: str) -> tuple[Field | None, str | None]:
    """The answer cell of the company-level question about `topic`, and its canonical value."""
    for q in decl.layout.company_questions:
        if q.topic == topic and not q.per_mineral:
            f = decl.company_answers.get(q.key)
            return f, (canonical(f.value, f.raw, q.choices) or f.value) if f else None
    return None, None


def in_scope(decl: Declaration, metal: str) -> bool:
    """A metal is in scope when used (Q1 Yes) and not declared absent from the product (Q2 No)."""
    return answer(decl, "intentional", metal)[1] == "Yes" and answer(decl, "remains", metal)[1] != "No"


def minerals(decl: Declaration) -> list[str]:
    """The minerals the declaration answers for, in the template's order."""
    return list(decl.minerals or decl.layout.minerals)
