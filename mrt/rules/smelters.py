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
from mrt.smelter_rows import first_by_id, id_metal_conflict

LEGACY_ID_GENERATIONS = ("cmrt-1", "cmrt-2")  # smelter ids before CMRT 3 were "1AUS046", not CIDs
# Before CMRT 4 the file carried only standard names; its dropdown offered other spellings too.
NO_ALIAS_GENERATIONS = ("cmrt-1", "cmrt-2", "cmrt-3")
# Fields the supplier types (stray spaces matter), and free-text fields (formula-looking text).
_INPUT_FIELDS = ("id_input", "metal", "lookup", "name", "country")
_TEXT_FIELDS = tuple("name contact_name contact_email next_steps mine_name mine_country comments".split())


def _special(lookup: str | None) -> bool:
    return same_answer(lookup, NOT_LISTED) or same_answer(lookup, NOT_IDENTIFIED)


def names_smelter(declaration: Declaration, r: SmelterRow) -> bool:
    """Whether a row names a smelter: a look-up value other than "not yet identified", or, in a list
    without a look-up column (AMRT 1.2), a typed name."""
    if not declaration.layout.smelters.has("lookup"):
        return bool(r.name)
    return bool(r.lookup) and not same_answer(r.lookup, NOT_IDENTIFIED)


def metals(declaration: Declaration) -> list[Issue]:
    """Rows without a metal or with a metal the template does not cover."""
    table = declaration.layout.smelters
    sheet, column = table.sheet, table.column("metal", "B")
    allowed = minerals(declaration)
    issues = []
    for r in declaration.smelters:
        if r.metal is None:
            if r.lookup or r.name or r.id_input:
                issues.append(found("missing-smelter-metal", sheet, f"{column}{r.row}", row=r.row))
        elif not canonical(r.metal, r.metal, allowed):
            issues.append(
                found(
                    "invalid-choice",
                    sheet,
                    f"{column}{r.row}",
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
        elif not any(names_smelter(declaration, r) for r in rows):
            column = declaration.layout.smelters.column("lookup", "B")
            issues.append(found("metal-without-smelters", sheet, f"{column}{rows[0].row}", mineral=mineral))
    return issues


def identifiers(declaration: Declaration) -> list[Issue]:
    """Ids that are not CIDs, or that the file's own Smelter Look-up does not know; unknown names."""
    table = declaration.layout.smelters
    sheet = table.sheet
    known_ids = {e.smelter_id.upper() for e in declaration.lookup if e.smelter_id}
    known_names: set[tuple[str, str]] = set()  # built on the first row that needs it
    check_format = not declaration.layout.generation.startswith(LEGACY_ID_GENERATIONS)
    check_names = bool(declaration.lookup) and not declaration.layout.generation.startswith(
        NO_ALIAS_GENERATIONS
    )
    issues = []
    for r in declaration.smelters:
        typed, column = (
            (r.id_input, table.column("id_input", "A"))
            if r.id_input
            else (r.smelter_id, table.column("smelter_id", "F"))
        )
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
                cell = f"{table.column('lookup', 'C')}{r.row}"
                issues.append(found("unknown-smelter-name", sheet, cell, row=r.row, value=r.lookup))
    return issues


def id_metals(declaration: Declaration) -> list[Issue]:
    """A CID in column A with another metal typed over column B's formula: the template then looks
    the row up by that metal and column C, so it names another facility or none."""
    rows = [r for r in declaration.smelters if r.id_input and r.metal]
    if not rows:
        return []
    sheet = declaration.layout.smelters.sheet
    by_id = first_by_id(declaration.lookup, {r.id_input or "" for r in rows})
    issues = []
    for r in rows:
        entry = by_id.get((r.id_input or "").strip().upper())
        if entry is None or not id_metal_conflict(r.metal, entry):
            continue
        issues.append(
            found(
                "smelter-id-metal-mismatch",
                sheet,
                f"{declaration.layout.smelters.column('metal', 'B')}{r.row}",
                kind="resolved" if r.smelter_id else "unresolved",
                row=r.row,
                smelter_id=(r.id_input or "").strip(),
                id_name=entry.standard_name or entry.alias,
                id_metal=entry.metal,
                mineral=r.metal,
                lookup=r.lookup,
                resolved_id=r.smelter_id,
                resolved_name=r.standard_name or r.lookup,
            )
        )
    return issues


def _identity(r: SmelterRow, typed_names: bool) -> tuple[str, ...] | None:
    metal = answer_key(r.metal or "")
    if r.smelter_id:
        return (metal, r.smelter_id.upper())
    if same_answer(r.lookup, NOT_IDENTIFIED):
        return None  # several "not yet identified" rows are legitimate
    name = r.name if typed_names or same_answer(r.lookup, NOT_LISTED) else r.lookup
    if not name:
        return None
    return (metal, answer_key(name), answer_key(r.country or ""))


def duplicates(declaration: Declaration) -> list[Issue]:
    """The same smelter listed twice for the same metal."""
    sheet = declaration.layout.smelters.sheet
    first: dict[tuple[str, ...], int] = {}
    issues = []
    for r in declaration.smelters:
        key = _identity(r, typed_names=not declaration.layout.smelters.has("lookup"))
        if key is None:
            continue
        if key in first:
            issues.append(found("duplicate-smelter", sheet, f"A{r.row}", row=r.row, first_row=first[key]))
        else:
            first[key] = r.row
    return issues


def text_damage(declaration: Declaration) -> list[Issue]:
    """Tabs or stray spaces in the input columns, and formula-looking text anywhere in a row."""
    table = declaration.layout.smelters
    inputs = [table.column(f) for f in _INPUT_FIELDS if table.has(f)]
    texts = [table.column(f) for f in _TEXT_FIELDS if table.has(f)]
    issues = []
    for r in declaration.smelters:
        for column in inputs:
            if has_whitespace_damage(r.raw.get(column)):
                issues.append(found("whitespace", table.sheet, f"{column}{r.row}", row=r.row, kind="smelter"))
        for column in texts:
            raw = r.raw.get(column)
            if isinstance(raw, str) and looks_like_formula(raw.strip()):
                cell = f"{column}{r.row}"
                issues.append(
                    found("formula-text", table.sheet, cell, row=r.row, value=raw.strip(), kind="smelter")
                )
    return issues


def smelter_issues(declaration: Declaration) -> list[Issue]:
    """Every Smelter List check beyond the Checker."""
    return [
        *metals(declaration),
        *scope(declaration),
        *identifiers(declaration),
        *id_metals(declaration),
        *duplicates(declaration),
        *text_damage(declaration),
    ]
