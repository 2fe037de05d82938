"""Answer access and the Checker's gates: which questions a mineral needs, and which count as answered."""

from __future__ import annotations

from mrt.layout import CompanyQuestion, Gate, MineralQuestion
from mrt.model import Declaration, Field
from mrt.rules.values import canonical, excel_equals, misspelt, only_spaces, same_answer


def mineral_cell(declaration: Declaration, question: MineralQuestion, mineral: str) -> str | None:
    """The answer cell of `question` for `mineral`, from the layout."""
    minerals = declaration.minerals or list(declaration.layout.minerals)
    if mineral in minerals and minerals.index(mineral) < len(question.cells):
        return question.cells[minerals.index(mineral)]
    return None


def answer_field(declaration: Declaration, question: MineralQuestion, mineral: str) -> Field:
    """The answer cell as read, or a blank cell at the layout's address when the reader had none."""
    found = declaration.mineral_answers.get(question.key, {}).get(mineral)
    if found is not None:
        return found
    sheet = declaration.layout.declaration_sheet
    return Field(sheet, mineral_cell(declaration, question, mineral) or "", None)


def company_field(declaration: Declaration, key: str) -> Field | None:
    """A company-block cell as read, or a blank cell at the layout's address."""
    found = declaration.company.get(key)
    if found is not None:
        return found
    for spec in declaration.layout.company:
        if spec.key == key:
            return Field(declaration.layout.declaration_sheet, spec.cell, None)
    return None


def company_answer_field(declaration: Declaration, question: CompanyQuestion, key: str, cell: str) -> Field:
    """A company question's answer cell as read, or blank at `cell`."""
    found = declaration.company_answers.get(key)
    return found if found is not None else Field(declaration.layout.declaration_sheet, cell, None)


def question(declaration: Declaration, key: str) -> MineralQuestion | None:
    """The per-mineral question with this key in the declaration's layout."""
    return next((q for q in declaration.layout.questions if q.key == key), None)


# Layouts whose Checker reads a later answer only when the earlier ones are "Yes" (CMRT 6:
# Q2 = IF(Q1="Yes", D32, 0)); the CMRT 2/3, EMRT, CRT and AMRT Checkers read every answer cell directly.
GATED_READING = ("cmrt-6",)
READ_WHEN = "Yes"


def checker_value(f: Field) -> object:
    """What the Checker's `=` compares: the cell as stored (a field built in code: its text)."""
    return f.value if f.raw is None else f.raw


def read(declaration: Declaration, key: str, mineral: str) -> Field | None:
    """The answer cell as the Checker reads it: None when blank or, in CMRT 6, when a question it
    depends on is not exactly "Yes" (Excel's `=`: case aside, spaces count)."""
    q = question(declaration, key)
    if q is None:
        return None
    f = answer_field(declaration, q, mineral)
    if f.value is None and not only_spaces(f.raw):  # spaces are an answer to the Checker's `=0`
        return None
    if declaration.layout.generation in GATED_READING:
        for gate in q.unless:
            upstream = read(declaration, gate.key, mineral)
            if upstream is None or not excel_equals(checker_value(upstream), READ_WHEN):
                return None
    return f


def effective(declaration: Declaration, key: str, mineral: str) -> str | None:
    """The answer as the Checker sees it (see `read`), spelt as the template's list spells it; a cell
    of spaces only is an answer (no list answer) as the Checker counts."""
    q = question(declaration, key)
    f = read(declaration, key, mineral)
    if q is None or f is None:
        return None
    return canonical(f.value, f.raw, q.choices) or f.value or str(f.raw)


def needed(declaration: Declaration, key: str, mineral: str) -> bool:
    """True when the template requires question `key` for `mineral` (no gate closes it)."""
    q = question(declaration, key)
    if q is None or not q.required or mineral_cell(declaration, q, mineral) is None:
        return False  # no answer cell: the template does not ask it for this mineral (EMRT 1 Q4 mica)
    holds = [_holds(declaration, gate, mineral) for gate in q.unless_all]
    if holds and all(holds):
        return False
    return not any(_holds(declaration, gate, mineral) for gate in q.unless)


def _holds(declaration: Declaration, gate: Gate, mineral: str) -> bool:
    """The Checker's IF(Qn="No", ...): true only for an answer Excel's `=` takes as a gate value."""
    upstream = read(declaration, gate.key, mineral)
    return upstream is not None and any(excel_equals(checker_value(upstream), v) for v in gate.values)


def misread_gate(
    declaration: Declaration, q: MineralQuestion, mineral: str
) -> tuple[MineralQuestion, Field, str] | None:
    """The earlier answer that makes the Checker count `q` as missing although the supplier meant a
    list answer ("Yes " or "Y" for "Yes"): its question, its cell, and why ("spaces", "unlisted", or
    "blank": only spaces, which the Checker takes as answered, though not as "Yes")."""
    answered = answer_field(declaration, q, mineral).value is not None
    gated_reading = declaration.layout.generation in GATED_READING
    for gate in (*q.unless, *q.unless_all):
        upstream_q = question(declaration, gate.key)
        upstream = read(declaration, gate.key, mineral)
        if upstream_q is None or upstream is None:
            continue
        why = "blank" if only_spaces(upstream.raw) else misspelt(checker_value(upstream), upstream_q.choices)
        if why is None:
            continue
        meant = canonical(upstream.value, upstream.raw, upstream_q.choices)
        # It is the cause when it stops the answer being read, or when the answer it stands for
        # would have closed the question; a blank question that stays required keeps its plain message.
        if answered or gated_reading or meant in gate.values:
            return upstream_q, upstream, why
    return None


def scope_key(declaration: Declaration) -> str | None:
    """The question whose requirement puts a mineral in scope (CMRT 6: Q3) for company questions and
    the Smelter List; None when the layout has no gated question."""
    layout = declaration.layout
    if layout.company_required_with and question(declaration, layout.company_required_with):
        return layout.company_required_with
    return next((q.key for q in layout.questions if q.unless or q.unless_all), None)


def in_scope(declaration: Declaration, mineral: str) -> bool:
    """True when the template requires smelters and the company questions for this mineral."""
    key = scope_key(declaration)
    if key is not None:
        return needed(declaration, key, mineral)
    # No gated question (AMRT): any answer to Q1 but its first choice ("Yes") leaves the mineral out.
    first = declaration.layout.questions[0] if declaration.layout.questions else None
    if first is None:
        return True
    answer = effective(declaration, first.key, mineral)
    return not any(same_answer(answer, v) for v in first.choices[1:])


def minerals(declaration: Declaration) -> list[str]:
    """The minerals the declaration answers for, in the template's order."""
    return list(declaration.minerals or declaration.layout.minerals)
