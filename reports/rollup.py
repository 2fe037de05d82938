"""The company's own CMRT/EMRT: its suppliers' smelters and derived answers, in the official layout."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from mrt.layout import Layout
from mrt.layouts.common import TITLES
from mrt.layouts.registry import layout_for
from mrt.model import NOT_IDENTIFIED, NOT_LISTED, LookupEntry
from mrt.reader import read
from mrt.workbook import open_book
from mrt.writer import Filling, Value, build_workbook, put, write_template
from reports.cached import keep_cached
from reports.kpi import KpiRow, count_row
from reports.rollup_answers import default_company_answers, mineral_answers, per_mineral_company_answers
from reports.scope import Scope, campaign_minerals, group_of
from reports.smelters import GAP_NOT_IDENTIFIED, GAP_NOT_LISTED, Consolidated
from risk.normalize import country_key, name_key

# The template version a generated roll-up is written in, per family (the latest RMI release we know).
DEFAULT_VERSIONS = {"CMRT": "6.5", "EMRT": "2.1", "CRT": "2.2", "AMRT": "1.3"}


class ProfileError(ValueError):
    """The company profile file cannot be used; the message says why."""


@dataclass
class CompanyProfile:
    """The company block and company-level answers, from configuration (a JSON file)."""

    company: dict[str, Value] = field(default_factory=dict)  # mrt.layout.COMPANY_KEYS -> value
    answers: dict[str, str] = field(default_factory=dict)  # "A".."H" -> answer
    comments: dict[str, str] = field(default_factory=dict)  # "B" -> policy URL

    @classmethod
    def load(cls, path: Path | None) -> CompanyProfile:
        """{"company": {...}, "answers": {...}, "comments": {...}}; an absent file gives an empty profile."""
        if path is None or not path.is_file():
            return cls()
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            company = {k: v for k, v in dict(data.get("company", {})).items() if v not in (None, "")}
            if isinstance(company.get("effective_date"), str):
                company["effective_date"] = dt.date.fromisoformat(company["effective_date"])
            return cls(company, dict(data.get("answers", {})), dict(data.get("comments", {})))
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            raise ProfileError(f"{path} is not a usable company profile: {exc}") from None


@dataclass
class Target:
    """Where the roll-up goes: layout, version, and the look-up its smelter rows refer to."""

    layout: Layout
    version: str
    lookup: list[LookupEntry]
    blank: Path | None = None
    preset: list[str] = field(default_factory=list)  # minerals the blank's scope cells already name


def target_for(family: str, blank: Path | None) -> Target:
    """The official blank's own layout and look-up, or the family's latest layout (generated)."""
    if blank is not None:
        decl = read(blank)
        if decl.family != family:
            raise ProfileError(f"{blank} is a {decl.family} template; this campaign collected {family}s")
        preset = decl.minerals if decl.layout.mineral_cells else []
        return Target(decl.layout, decl.version, decl.lookup, blank, preset)
    version = DEFAULT_VERSIONS[family]
    return Target(layout_for(family, version), version, [])


def _smelter_rows(
    found: Consolidated, target: Target, in_scope: list[str]
) -> tuple[list[dict[str, Value]], list[LookupEntry]]:
    """Identified smelters by CID, named not-listed ones, and a not-yet-identified row where one is due;
    with the look-up entries a generated workbook needs for its CIDs."""
    by_id = {e.smelter_id.upper(): e for e in reversed(target.lookup) if e.smelter_id}
    rows: list[dict[str, Value]] = []
    generated: list[LookupEntry] = []
    for line in sorted(found.lines.values(), key=lambda x: (x.metal, x.smelter_id)):
        entry = by_id.get(line.smelter_id)
        if entry is None and target.blank is None:
            name = line.name or line.smelter_id
            entry = LookupEntry(line.metal, name, name, line.country, line.smelter_id, "RMI")
            generated.append(entry)
        if entry is not None:
            rows.append({"id_input": line.smelter_id, "metal": entry.metal, "lookup": entry.alias})
        else:  # a CID the official blank does not list yet: declared as not listed, with its id
            rows.append(
                {
                    "id_input": line.smelter_id,
                    "metal": line.metal,
                    "lookup": NOT_LISTED,
                    "name": line.name or line.smelter_id,
                    "country": line.country,
                }
            )
    seen: set[tuple[str | None, str | None, str | None]] = set()
    for gap in found.gaps:
        key = (gap.metal, name_key(gap.name or ""), country_key(gap.country))
        if gap.kind == GAP_NOT_LISTED and gap.metal and gap.name and gap.country and key not in seen:
            seen.add(key)
            rows.append({"metal": gap.metal, "lookup": NOT_LISTED, "name": gap.name, "country": gap.country})
    named = {r["metal"] for r in rows}
    unknown = {g.metal for g in found.gaps if g.kind == GAP_NOT_IDENTIFIED}
    for metal in in_scope:
        if metal in unknown or metal not in named:
            rows.append({"metal": metal, "lookup": NOT_IDENTIFIED})
    return rows, generated


def rollup_filling(scope: Scope, found: Consolidated, profile: CompanyProfile, target: Target) -> Filling:
    """The Filling of the company's declaration, from the cases of one campaign."""
    layout = target.layout
    minerals = list(layout.minerals) or [m for c in scope.campaigns for m in campaign_minerals(c)]
    declared = [c.declared for c in scope.cases if c.declared is not None]
    rows: dict[str, KpiRow] = {m: count_row(group_of(m), m, scope.cases, {m}, found) for m in minerals}
    answers = mineral_answers(layout, minerals, declared, rows, found)
    remains = next((q.key for q in layout.questions if q.topic == "remains"), "")
    in_scope = [m for m in minerals if answers.get(remains, {}).get(m) == "Yes"]
    chosen = [m if m in in_scope else f"(Delete {m})" for m in target.preset]  # EMRT 2 blanks name all six
    chosen += [m for m in in_scope if m not in target.preset]
    company: dict[str, Value] = {"scope": layout.scope_choices[0] if layout.scope_choices else None}
    company["effective_date"] = min(scope.as_of, dt.date.today())
    company.update(profile.company)
    smelters, generated = _smelter_rows(found, target, in_scope)
    return Filling(
        version=target.version,
        company=company,
        minerals=chosen if layout.mineral_cells else [],
        answers={k: dict(v) for k, v in answers.items()},
        company_answers={
            **default_company_answers(layout),
            **profile.answers,
            **per_mineral_company_answers(layout, profile.answers, in_scope),
        },
        company_comments=dict(profile.comments),
        smelters=smelters,
        lookup=[*target.lookup, *generated],
    )


def _fill_blank(target: Target, filling: Filling, out: Path) -> None:
    """Copy the filling's input cells into the official blank; its formulas, look-up and sheets stay."""
    assert target.blank is not None
    layout = target.layout
    built = build_workbook(layout, replace(filling, lookup=[]))
    with warnings.catch_warnings():  # openpyxl drops the blank's few x14 conditional formats, as it says
        warnings.filterwarnings("ignore", "Conditional Formatting extension", UserWarning)
        book = load_workbook(target.blank)
    untouched = {(layout.declaration_sheet, "D2"), (layout.declaration_sheet, "J3")}
    if layout.language_cell:
        untouched.add((layout.declaration_sheet, layout.language_cell))
    sheets = [layout.declaration_sheet, layout.smelters.sheet]
    sheets += [t.sheet for t in (layout.products, layout.mines) if t is not None]
    for name in sheets:
        if name not in built.sheetnames or name not in book.sheetnames:
            continue
        for row in built[name].iter_rows():
            for cell in row:
                if cell.value is not None and (name, cell.coordinate) not in untouched:
                    put(book[name], cell.coordinate, cell.value)
    book.calculation.fullCalcOnLoad = True  # Excel recomputes every label and look-up on opening
    book.save(out)
    declaration = open_book(target.blank).sheet(layout.declaration_sheet)
    title = (declaration.value("D2") if declaration else None) or TITLES[layout.family]
    keep_cached(out, book.worksheets.index(book[layout.declaration_sheet]) + 1, "D2", title)


def write_rollup(filling: Filling, target: Target, out: Path) -> None:
    """Write the roll-up: into a copy of the official blank, or as a generated workbook of its layout."""
    if target.blank is not None:
        _fill_blank(target, filling, out)
    else:
        write_template(target.layout, filling, out)
