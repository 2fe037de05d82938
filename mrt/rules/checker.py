"""The template's own Checker tab, rule for rule: each missing required field is one `missing-required`."""

from __future__ import annotations

from mrt.model import NOT_LISTED, Declaration, Issue
from mrt.rules import found
from mrt.rules.answers import (
    answer_field,
    company_answer_field,
    company_field,
    effective,
    in_scope,
    minerals,
    needed,
)
from mrt.rules.values import answer_key, same_answer

URL_TOPIC = "policy_public"  # the company comment every Checker requires (the policy's web address)
COMMENT_COUNTED = ("EMRT", "CRT")
# CRT 2.x Checker: smelter rows only once Q1 or Q2 is "Yes"; its not-listed row is outside its total.
SMELTERS_WHEN_YES = {"CRT": ("Q1", "Q2")}
NOT_LISTED_UNCOUNTED = ("CRT",)
URL_NEEDS_WWW = ("cmrt-3",)  # the CMRT 3.0x Checker accepts a policy URL only if it contains "www"


def _missing(kind: str, sheet: str | None, cell: str | None, **params: object) -> Issue:
    return found("missing-required", sheet, cell, kind=kind, **params)


def company_block(declaration: Declaration) -> list[Issue]:
    """Required company fields; an email counts only when it holds an '@', as in the Checker."""
    issues = []
    for spec in declaration.layout.company:
        f = company_field(declaration, spec.key)
        if not spec.required or f is None:
            continue
        empty = f.value is None or (spec.key.endswith("_email") and "@" not in f.value)
        if empty:
            issues.append(_missing("company", f.sheet, f.cell, field=spec.key))
    issues.extend(_scope_description(declaration))
    return issues


def _scope_description(declaration: Declaration) -> list[Issue]:
    layout = declaration.layout
    scope = company_field(declaration, "scope")
    description = company_field(declaration, "scope_description")
    if scope is None or scope.value is None or description is None or description.value is not None:
        return []
    others = [c for c in layout.scope_choices if c != layout.scope_user_defined] or [layout.scope_product]
    if any(same_answer(scope.value, c) for c in others):
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
                f = answer_field(declaration, q, mineral)
                issues.append(_missing("answer", f.sheet, f.cell, question=q.key, mineral=mineral))
    return issues


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
                    if f.value is None:
                        issues.append(
                            _missing("company-answer", f.sheet, f.cell, question=q.key, mineral=mineral)
                        )
            continue
        f = company_answer_field(declaration, q, q.key, q.cell)
        if f.value is None:
            issues.append(_missing("company-answer", f.sheet, f.cell, question=q.key))
        elif q.comment_cell and _requires_comment(f.value, q.comment_required_for):
            comment = declaration.company_comments.get(q.key)
            if q.topic == URL_TOPIC and not _is_url(declaration, comment.value if comment else None):
                issues.append(_missing("url", f.sheet, q.comment_cell, question=q.key))
            elif (
                q.topic != URL_TOPIC
                and checker_reads_comment(declaration)
                and (not comment or not comment.value)
            ):
                issues.append(_missing("comment", f.sheet, q.comment_cell, question=q.key, value=f.value))
    return issues


def _is_url(declaration: Declaration, value: str | None) -> bool:
    if value is None or len(value) <= 1:
        return False
    return declaration.layout.generation not in URL_NEEDS_WWW or "www" in value


def checker_reads_comment(declaration: Declaration) -> bool:
    """EMRT and CRT Checkers count "other format" answers without a description as missing; CMRT's
    does not (we still report it, as `comment-required`)."""
    return declaration.family in COMMENT_COUNTED


def _requires_comment(answer: str, answers: tuple[str, ...]) -> bool:
    return any(answer_key(answer) == answer_key(a) for a in answers)


def product_list(declaration: Declaration) -> list[Issue]:
    """Scope B needs the Product List, starting on its first row."""
    layout = declaration.layout
    scope = company_field(declaration, "scope")
    table = layout.products
    if table is None or scope is None or not same_answer(scope.value, layout.scope_product):
        return []
    if any(p.row == table.first_row and p.number for p in declaration.products):
        return []
    column = dict(table.columns).get("number", "B")
    return [_missing("products", table.sheet, f"{column}{table.first_row}")]


def smelter_list(declaration: Declaration) -> list[Issue]:
    """A smelter row (metal and look-up value) per in-scope mineral; name and country when not listed."""
    sheet = declaration.layout.smelters.sheet
    issues = []
    for mineral in minerals(declaration):
        if not _smelters_needed(declaration, mineral):
            continue
        if not any(same_answer(r.metal, mineral) and r.lookup for r in declaration.smelters):
            issues.append(_missing("smelters", sheet, None, mineral=mineral))
    incomplete = [r for r in declaration.smelters if _not_listed(r.lookup) and not (r.name and r.country)]
    counted = declaration.family not in NOT_LISTED_UNCOUNTED
    for i, r in enumerate(incomplete):
        cell = f"{'D' if not r.name else 'E'}{r.row}"
        # The Checker counts all such rows as one; each further row still gets its own line.
        if i == 0 and counted:
            issues.append(_missing("not-listed", sheet, cell, row=r.row))
        else:
            issues.append(found("not-listed-incomplete", sheet, cell, row=r.row))
    return issues


def _smelters_needed(declaration: Declaration, mineral: str) -> bool:
    keys = SMELTERS_WHEN_YES.get(declaration.family)
    if keys is None:
        return in_scope(declaration, mineral)
    return any(same_answer(effective(declaration, k, mineral), "Yes") for k in keys)


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
