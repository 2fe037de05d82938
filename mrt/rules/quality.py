"""Declaration checks beyond the Checker: answer lists, emails, dates, placeholders, damaged text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from mrt.model import Declaration, Field, Issue
from mrt.rules import found
from mrt.rules.answers import answer_field, company_field, minerals
from mrt.rules.checker import URL_TOPIC, checker_reads_comment, misspelt_survey
from mrt.rules.values import (
    answer_key,
    canonical,
    has_whitespace_damage,
    is_email,
    is_placeholder,
    looks_like_formula,
    only_spaces,
)

OLDEST_DATE = dt.date(2007, 1, 1)  # the template's own date validation: after 31-Dec-2006


def _choices(values: tuple[str, ...]) -> str:
    return " / ".join(values)


def answer_lists(declaration: Declaration) -> list[Issue]:
    """Answers that are none of the template's list values, once spelling variants are forgiven."""
    layout = declaration.layout
    issues = []
    scope = company_field(declaration, "scope")
    choices = layout.scope_choices
    if scope and scope.value and choices and not canonical(scope.value, scope.raw, choices):
        issues.append(_invalid(scope, layout.scope_choices, field="scope"))
    for q in layout.questions:
        for mineral in minerals(declaration):
            f = answer_field(declaration, q, mineral)
            if f.cell and f.value and q.choices and not canonical(f.value, f.raw, q.choices):
                issues.append(_invalid(f, q.choices, question=q.key, mineral=mineral))
    for cq in layout.company_questions:
        keys = [f"{cq.key}:{m}" for m in minerals(declaration)] if cq.per_mineral else [cq.key]
        for key in keys:
            given = declaration.company_answers.get(key)
            if given and given.value and cq.choices and not canonical(given.value, given.raw, cq.choices):
                on = key.split(":", 1)[1] if ":" in key else None
                issues.append(_invalid(given, cq.choices, question=cq.key, mineral=on))
    return issues


def spaces_only(declaration: Declaration) -> list[Issue]:
    """Required cells holding only spaces: the Checker counts them as filled in (its `=0` is false for
    any text), so they are no `missing-required`, but they say nothing."""
    layout = declaration.layout
    cells: list[tuple[Field | None, dict[str, object]]] = [
        (declaration.company.get(spec.key), {"field": spec.key})
        for spec in layout.company
        if spec.required and not spec.key.endswith("_email")  # without an '@' it counts as missing
    ]
    for q in layout.questions:
        cells += [
            (answer_field(declaration, q, m), {"question": q.key, "mineral": m})
            for m in minerals(declaration)
        ]
    for cq in layout.company_questions:
        keys = [f"{cq.key}:{m}" for m in minerals(declaration)] if cq.per_mineral else [cq.key]
        for key in keys:
            f = declaration.company_answers.get(key)
            if f is not None and misspelt_survey(declaration, cq, f) is None:  # else counted as missing
                cells.append(
                    (f, {"question": cq.key, "mineral": key.split(":", 1)[1] if ":" in key else None})
                )
    return [found("blank-text", f.sheet, f.cell, **params) for f, params in cells if f and only_spaces(f.raw)]


def _invalid(f: Field, choices: tuple[str, ...], **params: object) -> Issue:
    return found("invalid-choice", f.sheet, f.cell, value=f.value, choices=_choices(choices), **params)


def company_values(declaration: Declaration, today: dt.date) -> list[Issue]:
    """Placeholders in required fields, malformed emails and impossible effective dates."""
    issues = []
    required = {spec.key for spec in declaration.layout.company if spec.required}
    for spec in declaration.layout.company:
        f = declaration.company.get(spec.key)
        if f is None or f.value is None:
            continue
        unchecked_email = spec.key.endswith("_email") and "@" not in f.value  # the Checker counts it
        if spec.key in required and is_placeholder(f.value) and not unchecked_email:
            issues.append(found("placeholder", f.sheet, f.cell, field=spec.key, value=f.value))
        elif spec.key.endswith("_email") and ("@" in f.value or spec.key not in required):
            if not is_email(f.value):
                issues.append(found("invalid-email", f.sheet, f.cell, field=spec.key, value=f.value))
        elif spec.key == "effective_date":
            issues.extend(_date(declaration, f, today))
    return issues


def _date(declaration: Declaration, f: Field, today: dt.date) -> list[Issue]:
    date = declaration.effective_date
    if date is None and isinstance(f.raw, dt.date):
        date = f.raw.date() if isinstance(f.raw, dt.datetime) else f.raw
    if date is None or date < OLDEST_DATE:
        return [found("invalid-date", f.sheet, f.cell, field="effective_date", value=f.value)]
    if date > today:
        return [found("future-date", f.sheet, f.cell, field="effective_date", value=date.isoformat())]
    return []


def comments(declaration: Declaration) -> list[Issue]:
    """Answers that ask for a description (E: "other format") but have none."""
    issues = []
    for cq in declaration.layout.company_questions:
        f = declaration.company_answers.get(cq.key)
        if cq.topic == URL_TOPIC or not cq.comment_cell or f is None or f.value is None:
            continue
        if checker_reads_comment(declaration):
            continue  # counted as missing-required
        if any(answer_key(f.value) == answer_key(a) for a in cq.comment_required_for):
            comment = declaration.company_comments.get(cq.key)
            if comment is None or comment.value is None:
                issues.append(
                    found("comment-required", f.sheet, cq.comment_cell, question=cq.key, value=f.value)
                )
    return issues


def _declaration_cells(declaration: Declaration) -> Iterator[tuple[Field, dict[str, str]]]:
    for key, f in declaration.company.items():
        yield f, {"field": key}
    for qkey, by_mineral in declaration.mineral_answers.items():
        for mineral, f in by_mineral.items():
            yield f, {"question": qkey, "mineral": mineral}
    for key, f in declaration.company_answers.items():
        yield f, {"question": key.split(":", 1)[0]}
    for key, f in declaration.company_comments.items():
        yield f, {"question": key, "comment": "1"}


def text_damage(declaration: Declaration) -> list[Issue]:
    """Tabs and stray spaces around values, and text that a spreadsheet would run as a formula."""
    issues = []
    for f, params in _declaration_cells(declaration):
        if has_whitespace_damage(f.raw):
            issues.append(found("whitespace", f.sheet, f.cell, **params))
        if isinstance(f.raw, str) and looks_like_formula(f.value):
            issues.append(found("formula-text", f.sheet, f.cell, value=f.value, **params))
    if declaration.macro_enabled:
        issues.append(found("macro-enabled", None, None))
    return issues


def quality_issues(declaration: Declaration, today: dt.date) -> list[Issue]:
    """Every declaration-level check beyond the Checker."""
    return [
        *answer_lists(declaration),
        *spaces_only(declaration),
        *company_values(declaration, today),
        *comments(declaration),
        *text_damage(declaration),
    ]
