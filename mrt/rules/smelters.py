"""Smelter List checks beyond the Checker: metals vs answers, ids, duplicates, damaged text."""

from __future__ import annotations

from mrt.model import NOT_IDENTIFIED, NOT_LISTED, Declaration, Issue, SmelterRow
from mrt.rules import found
from mrt.rules.answers import in_scope, minerals
from mrt.rules.values import (
    CID,
    answer_key,
    canonical,
    has_whitespace_damage,
    looks_like_formula,
    same_answer,
)

LEGACY_ID_GENERATIONS = ("cmrt-1", "cmrt-2")  # smelter ids before CMRT 3 were "1AUS046", not CIDs
# Before CMRT 4 the file carried only standard names; its dropdown offered other spellings too.
NO_ALIAS_GENERATIONS = ("cmrt-1", "cmrt-2", "cmrt-3")
_INPUT_COLUMNS = ("A", "B", "C", "D", "E")
_TEXT_COLUMNS = ("D", "K", "L", "M", "N", "O", "Q")


def _special(lookup: str | None) -> bool:
    return same_answer(lookup, NOT_LISTED) or same_answer(lookup, NOT_IDENTIFIED)


def metals(declaration: Declaration) -> list[Issue]:
    """Rows without a metal or with a metal the template does not cover."""
    sheet = declaration.layout.smelters.sheet
    allowed = minerals(declaration)
    issues = []
    for r in declaration.smelters:
        if r.metal is None:
            if r.lookup or r.name or r.id_input:
                issues.append(found("missing-smelter-metal", sheet, f"B{r.row}", row=r.row))
        elif not canonical(r.metal, r.metal, allowed):
            issues.append(
                found(
                    "invalid-choice",
                    sheet,
                    f"B{r.row}",
                    field="metal",
                    value=r.metal,
                    choices=" / ".join(allowed),
                )
            )
    return issues


def scope(declaration: Declaration) -> list[Issue]:
    """Metals in scope whose rows name no smelter yet, and rows for metals answered out of scope."""
    sheet = declaration.layout.smelters.sheet
    issues = []
    for mineral in minerals(declaration):
        rows = [r for r in declaration.smelters if same_answer(r.metal, mineral)]
        if not rows:
            continue  # in scope: the Checker's own rule reports it
        if not in_scope(declaration, mineral):
            issues.append(
                found("smelter-out-of-scope", sheet, f"B{rows[0].row}", mineral=mineral, count=len(rows))
            )
        elif all(same_answer(r.lookup, NOT_IDENTIFIED) or not r.lookup for r in rows):
            issues.append(found("metal-without-smelters", sheet, f"C{rows[0].row}", mineral=mineral))
    return issues


def identifiers(declaration: Declaration) -> list[Issue]:
    """Ids that are not CIDs, or that the file's own Smelter Look-up does not know; unknown names."""
    sheet = declaration.layout.smelters.sheet
    known_ids = {e.smelter_id.upper() for e in declaration.lookup if e.smelter_id}
    known_names: set[tuple[str, str]] = set()  # built on the first row that needs it
    check_format = not declaration.layout.generation.startswith(LEGACY_ID_GENERATIONS)
    check_names = bool(declaration.lookup) and not declaration.layout.generation.startswith(
        NO_ALIAS_GENERATIONS
    )
    issues = []
    for r in declaration.smelters:
        typed, column = (r.id_input, "A") if r.id_input else (r.smelter_id, "F")
        if typed:
            cell = f"{column}{r.row}"
            if check_format and not CID.match(typed.upper()):
                issues.append(found("invalid-smelter-id", sheet, cell, row=r.row, smelter_id=typed))
            elif known_ids and typed.upper() not in known_ids:
                issues.append(found("unknown-smelter-id", sheet, cell, row=r.row, smelter_id=typed))
        elif r.lookup and r.metal and check_names and not _special(r.lookup):
            known_names = known_names or {
                (answer_key(e.metal), answer_key(e.alias)) for e in declaration.lookup
            }
            if (answer_key(r.metal), answer_key(r.lookup)) not in known_names:
                issues.append(found("unknown-smelter-name", sheet, f"C{r.row}", row=r.row, value=r.lookup))
    return issues


def _identity(r: SmelterRow) -> tuple[str, ...] | None:
    metal = answer_key(r.metal or "")
    if r.smelter_id:
        return (metal, r.smelter_id.upper())
    if same_answer(r.lookup, NOT_IDENTIFIED):
        return None  # several "not yet identified" rows are legitimate
    name = r.name if same_answer(r.lookup, NOT_LISTED) else r.lookup
    if not name:
        return None
    return (metal, answer_key(name), answer_key(r.country or ""))


def duplicates(declaration: Declaration) -> list[Issue]:
    """The same smelter listed twice for the same metal."""
    sheet = declaration.layout.smelters.sheet
    first: dict[tuple[str, ...], int] = {}
    issues = []
    for r in declaration.smelters:
        key = _identity(r)
        if key is None:
            continue
        if key in first:
            issues.append(found("duplicate-smelter", sheet, f"A{r.row}", row=r.row, first_row=first[key]))
        else:
            first[key] = r.row
    return issues


def text_damage(declaration: Declaration) -> list[Issue]:
    """Tabs or stray spaces in the input columns, and formula-looking text anywhere in a row."""
    sheet = declaration.layout.smelters.sheet
    issues = []
    for r in declaration.smelters:
        for column in _INPUT_COLUMNS:
            if has_whitespace_damage(r.raw.get(column)):
                issues.append(found("whitespace", sheet, f"{column}{r.row}", row=r.row, kind="smelter"))
        for column in _TEXT_COLUMNS:
            raw = r.raw.get(column)
            if isinstance(raw, str) and looks_like_formula(raw.strip()):
                cell = f"{column}{r.row}"
                issues.append(
                    found("formula-text", sheet, cell, row=r.row, value=raw.strip(), kind="smelter")
                )
    return issues


def smelter_issues(declaration: Declaration) -> list[Issue]:
    """Every Smelter List check beyond the Checker."""
    return [
        *metals(declaration),
        *scope(declaration),
        *identifiers(declaration),
        *duplicates(declaration),
        *text_damage(declaration),
    ]
