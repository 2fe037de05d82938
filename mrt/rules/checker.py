"""The template's own Checker tab, rule for rule: each missing required field is one `missing-required`."""

from __future__ import annotations

from mrt.layout import CompanyQuestion, MineralQuestion, TableLayout
from mrt.model import NOT_LISTED, Declaration, Field, Issue, SmelterRow
from mrt.rules import found
from mrt.rules.answers import (
    answer_field,
    checker_value,
    company_answer_field,
    company_field,
    effective,
    in_scope,
    minerals,
    misread_gate,
    needed,
    read,
)
from mrt.rules.values import canonical, checker_blank, excel_equals, misspelt, only_spaces, same_answer

URL_TOPIC = "policy_public"  # the company comment every Checker requires (the policy's web address)
COMMENT_COUNTED = ("EMRT", "CRT")
# CRT 2.x Checker: smelter rows only once Q1 or Q2 is "Yes"; its not-listed row is outside its total.
SMELTERS_WHEN_YES = {"CRT": ("Q1", "Q2")}
NOT_LISTED_UNCOUNTED = ("CRT",)
URL_NEEDS_WWW = ("cmrt-3",)  # the CMRT 3.0x Checker accepts a policy URL only if it contains "www"
SURVEY_READ_EXACTLY = ("emrt-1", "crt-2")  # their Checker reads the survey answer through nested IFs


def _missing(kind: str, sheet: str | None, cell: str | None, **params: object) -> Issue:
    return found("missing-required", sheet, cell, kind=kind, **params)


def company_block(declaration: Declaration) -> list[Issue]:
    """Required company fields (a cell of spaces counts as filled, as in the Checker: `=0` is false
    for any text); an email counts only when it holds an '@'."""
    issues = []
    for spec in declaration.layout.company:
        f = company_field(declaration, spec.key)
        if not spec.required or f is None:
            continue
        email = spec.key.endswith("_email")
        empty = checker_blank(checker_value(f)) if not email else f.value is None or "@" not in f.value
        if empty:
            issues.append(_missing("company", f.sheet, f.cell, field=spec.key))
    issues.extend(_scope_description(declaration))
    return issues


def _scope_description(declaration: Declaration) -> list[Issue]:
    layout = declaration.layout
    scope = company_field(declaration, "scope")
    description = company_field(declaration, "scope_description")
    if (
        scope is None
        or checker_blank(checker_value(scope))
        or description is None
        or not checker_blank(checker_value(description))
    ):
        return []
    others = [c for c in layout.scope_choices if c != layout.scope_user_defined] or [layout.scope_product]
    if any(excel_equals(checker_value(scope), c) for c in others):
        return []
    return [_missing("description", description.sheet, description.cell, field="scope_description")]


def mineral_scope(declaration: Declaration) -> list[Issue]:
    """Templates where the supplier picks the minerals (EMRT 2, AMRT) need at least one."""
    cells = declaration.layout.mineral_cells
    if not cells or declaration.minerals:
        return []
    return [_missing("minerals", declaration.layout.declaration_sheet, cells[0])]


def mineral_questions(declaration: Declaration) -> list[Issue]:
    """Q1 for every mineral, later questions unless a gate (Q1 or Q2 = No) closes them."""
    issues = []
    for q in declaration.layout.questions:
        for mineral in minerals(declaration):
            if not needed(declaration, q.key, mineral):
                continue
            if effective(declaration, q.key, mineral) is None:
                issues.append(_missing_answer(declaration, q, mineral))
    return issues


def _missing_answer(declaration: Declaration, q: MineralQuestion, mineral: str) -> Issue:
    """A missing answer, saying which earlier answer the template did not take as spelt, if any."""
    f = answer_field(declaration, q, mineral)
    cause = misread_gate(declaration, q, mineral)
    if cause is None:
        return _missing("answer", f.sheet, f.cell, question=q.key, mineral=mineral)
    upstream_q, upstream, why = cause
    return _missing(
        f"answer-{why}",
        f.sheet,
        f.cell,
        question=q.key,
        mineral=mineral,
        upstream=upstream_q.key.removeprefix("Q"),
        upstream_cell=upstream.cell,
        value=checker_value(upstream),
        meant=canonical(upstream.value, upstream.raw, upstream_q.choices),
    )


def company_questions(declaration: Declaration) -> list[Issue]:
    """A-H when any mineral is in scope, and the policy URL when B = Yes."""
    scoped = [m for m in minerals(declaration) if in_scope(declaration, m)]
    if not scoped:
        return []
    issues = []
    for q in declaration.layout.company_questions:
        if q.per_mineral:
            for i, mineral in enumerate(minerals(declaration)):
                if mineral in scoped and i < len(q.cells):
                    f = company_answer_field(declaration, q, f"{q.key}:{mineral}", q.cells[i])
                    if checker_blank(checker_value(f)):
                        issues.append(
                            _missing("company-answer", f.sheet, f.cell, question=q.key, mineral=mineral)
                        )
            continue
        f = company_answer_field(declaration, q, q.key, q.cell)
        why = misspelt_survey(declaration, q, f)
        if checker_blank(checker_value(f)):
            issues.append(_missing("company-answer", f.sheet, f.cell, question=q.key))
        elif why:
            meant = canonical(f.value, f.raw, q.choices)
            value = checker_value(f)
            issues.append(
                _missing(f"company-answer-{why}", f.sheet, f.cell, question=q.key, value=value, meant=meant)
            )
        elif q.comment_cell and _requires_comment(f, q.comment_required_for):
            comment = declaration.company_comments.get(q.key)
            if q.topic == URL_TOPIC and not _is_url(declaration, _as_typed(comment)):
                issues.append(_missing("url", f.sheet, q.comment_cell, question=q.key))
            elif (
                q.topic != URL_TOPIC
                and checker_reads_comment(declaration)
                and (not comment or checker_blank(checker_value(comment)))
            ):
                issues.append(_missing("comment", f.sheet, q.comment_cell, question=q.key, value=f.value))
    return issues


def misspelt_survey(declaration: Declaration, q: CompanyQuestion, f: Field) -> str | None:
    """Why the EMRT 1.x / CRT Checker reads 0 for the survey answer (its IF(D79="No", ...,
    IF(D79="Yes, Using Other Format (Describe)", G79, 0)) takes list answers only: spaces only
    read 0 too), or None."""
    if declaration.layout.generation not in SURVEY_READ_EXACTLY or not q.comment_cell:
        return None
    if q.topic == URL_TOPIC:
        return None
    return "blank" if only_spaces(f.raw) else misspelt(checker_value(f), q.choices)


def _as_typed(f: Field | None) -> str | None:
    """A cell's text as the Checker's LEN and FIND see it: spaces kept."""
    if f is None or f.raw is None:
        return f.value if f else None
    return f.raw if isinstance(f.raw, str) else f.value


def _is_url(declaration: Declaration, value: str | None) -> bool:
    if value is None or len(value) <= 1:
        return False
    return declaration.layout.generation not in URL_NEEDS_WWW or "www" in value


def checker_reads_comment(declaration: Declaration) -> bool:
    """EMRT and CRT Checkers count "other format" answers without a description as missing; CMRT's
    does not (we still report it, as `comment-required`)."""
    return declaration.family in COMMENT_COUNTED


def _requires_comment(answer: Field, answers: tuple[str, ...]) -> bool:
    # The Checker reads the comment only for an answer its `=` takes as one of these (B55="Yes").
    return any(excel_equals(checker_value(answer), a) for a in answers)


def product_list(declaration: Declaration) -> list[Issue]:
    """Scope B needs the Product List, starting on its first row."""
    layout = declaration.layout
    scope = company_field(declaration, "scope")
    table = layout.products
    if table is None or scope is None or not excel_equals(checker_value(scope), layout.scope_product):
        return []
    if any(p.row == table.first_row and p.number for p in declaration.products):
        return []
    column = dict(table.columns).get("number", "B")
    return [_missing("products", table.sheet, f"{column}{table.first_row}")]


def smelter_list(declaration: Declaration) -> list[Issue]:
    """A smelter row (metal and look-up value) per in-scope mineral; name and country when not listed."""
    table = declaration.layout.smelters
    sheet = table.sheet
    issues = []
    for mineral in minerals(declaration):
        if not _smelters_needed(declaration, mineral):
            continue
        if not any(same_answer(r.metal, mineral) and _counted(table, r) for r in declaration.smelters):
            issues.append(_missing("smelters", sheet, None, mineral=mineral))
    # X5 = IF(AND(C5="Smelter not listed", OR(LEN(D5)=0, LEN(E5)=0)), 1, 0): spaces have a length.
    name, country = table.column("name", "D"), table.column("country", "E")
    incomplete = [
        r
        for r in declaration.smelters
        if _not_listed(r.lookup) and not (_typed(r, name, r.name) and _typed(r, country, r.country))
    ]
    counted = declaration.family not in NOT_LISTED_UNCOUNTED
    for i, r in enumerate(incomplete):
        cell = f"{country if _typed(r, name, r.name) else name}{r.row}"
        # The Checker counts all such rows as one; each further row still gets its own line.
        if i == 0 and counted:
            issues.append(_missing("not-listed", sheet, cell, row=r.row))
        else:
            issues.append(found("not-listed-incomplete", sheet, cell, row=r.row))
    return issues


def _typed(r: SmelterRow, column: str, value: str | None) -> bool:
    """LEN(cell) > 0, spaces included (the cell as read; a row built in code has only its values)."""
    return (r.raw.get(column) if r.raw else value) is not None


def _counted(table: TableLayout, r: SmelterRow) -> bool:
    """Whether the Checker counts the row for its metal: a look-up value; without a look-up column
    (AMRT 1.2) a name and a country that are not blank (U5 = OR(ISBLANK(B5), ISBLANK(C5)): a cell
    holding only spaces is not blank)."""
    if table.has("lookup"):
        return bool(r.lookup)
    return _typed(r, table.column("name"), r.name) and _typed(r, table.column("country"), r.country)


def _smelters_needed(declaration: Declaration, mineral: str) -> bool:
    keys = SMELTERS_WHEN_YES.get(declaration.family)
    if keys is None:
        return in_scope(declaration, mineral)
    return any(_is_yes(read(declaration, k, mineral)) for k in keys)


def _is_yes(f: Field | None) -> bool:
    return f is not None and excel_equals(checker_value(f), "Yes")


def _not_listed(lookup: str | None) -> bool:
    return same_answer(lookup, NOT_LISTED)


def checker_issues(declaration: Declaration) -> list[Issue]:
    """Everything the template's Checker tab counts, in the tab's order."""
    return [
        *company_block(declaration),
        *mineral_scope(declaration),
        *mineral_questions(declaration),
        *company_questions(declaration),
        *product_list(declaration),
        *smelter_list(declaration),
    ]
