"""`minerals campaign plan`, and the plan side of `campaign start --plan`: scope from purchases."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.context import By, DataDir, Json, acting, fail, out, sessions, settings_for

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from models.settings import Settings


@dataclass
class PlannedScope:
    """What a plan workbook starts: its plan, minerals and suppliers."""

    plan_id: int
    template: str
    minerals: tuple[str, ...]
    suppliers: list[str]


def plan(
    fiscal_year: Annotated[
        str, typer.Option("--fiscal-year", help="The campaign's fiscal year (2026 or FY2026).")
    ],
    template: Annotated[str, typer.Option("--template", help="CMRT, EMRT, CRT or AMRT.")],
    minerals: Annotated[
        str | None,
        typer.Option("--minerals", help="Minerals to plan for, ';' between (default: the template's own)."),
    ] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write the plan workbook (.xlsx).")] = None,
    by: By = "",
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """In-scope suppliers (bought from in the previous fiscal year, parts mapped to the template's
    minerals), why each is in scope, and the coverage statement; saved for `campaign start --plan`."""
    from reports.commodity_map import parse_minerals
    from reports.fiscal import parse_fiscal_year
    from reports.plan import build_plan, save_plan
    from reports.plan_book import write_plan_book
    from reports.scope import FAMILY_MINERALS

    settings = settings_for(data_dir)
    family = template.upper()
    if family not in FAMILY_MINERALS:
        fail(f"--template must be one of {', '.join(FAMILY_MINERALS)}", 2)
    try:
        year = parse_fiscal_year(fiscal_year)
    except ValueError as exc:
        fail(str(exc), 2)
    chosen, unknown = parse_minerals(minerals or "")
    if unknown:
        fail(f"--minerals: {', '.join(unknown)} is no mineral a template surveys", 2)
    chosen = chosen or list(FAMILY_MINERALS[family])
    if not chosen:
        fail(f"{family} names no minerals by itself: give --minerals", 2)
    with sessions(settings)() as session:
        draft = build_plan(session, family, year, chosen, settings.fiscal_year_start_month)
        saved = save_plan(session, draft, acting(by))
        session.commit()
    if out_file is not None:
        write_plan_book(draft, saved.id, out_file)
    c = draft.coverage
    if as_json:
        lines = [
            {
                "supplier_id": x.supplier_key,
                "name": x.name,
                "minerals": x.minerals,
                "parts": x.parts,
                "why": x.why,
            }
            for x in draft.lines
        ]
        shown = {
            "plan": saved.id,
            "template": family,
            "fiscal_year": year,
            "coverage": c.to_dict(),
            "suppliers": lines,
        }
        typer.echo(json.dumps(shown, ensure_ascii=False, indent=2))
        return
    out.print(f"Plan {saved.id}: {family} FY{year}, {', '.join(chosen)}", highlight=False)
    for line in draft.lines:
        note = "" if line.surveyable else "  (not in the supplier directory: not surveyed)"
        out.print(
            f"  {line.supplier_key}: {', '.join(line.minerals)} - {line.why}{note}",
            markup=False,
            highlight=False,
        )
    out.print(c.statement, markup=False, highlight=False)
    if c.unmapped:
        out.print(
            f"Commodities with no mineral in the map: {', '.join(c.unmapped)}", markup=False, highlight=False
        )
    if out_file is not None:
        out.print(f"Plan written to {out_file}; start it with: minerals campaign start --plan {out_file} ...")


def plan_scope(settings: Settings, plan_file: Path, template: str, campaign: str) -> PlannedScope:
    """Read a plan workbook and trim its saved plan to the rows kept; exit clearly when unusable."""
    from reports.plan_book import PlanBookError, apply_plan, read_plan_book

    try:
        plan_id, chosen = read_plan_book(plan_file)
        with sessions(settings)() as session:
            saved = apply_plan(session, plan_id, chosen, campaign)
            if saved.template != template:
                fail(f"plan {plan_id} is for {saved.template}, not {template}", 2)
            session.commit()
            return PlannedScope(plan_id, saved.template, tuple(saved.minerals), list(chosen))
    except PlanBookError as exc:
        fail(str(exc), 2)


def link_plan(factory: sessionmaker[Session], scope: PlannedScope, campaign_id: int, actor: str) -> None:
    """The campaign runs this plan: its cases take their minerals from it (audited)."""
    from models.audit import AuditEvent
    from models.scope_plan import ScopePlan

    with factory.begin() as session:
        saved = session.get(ScopePlan, scope.plan_id)
        assert saved is not None
        saved.campaign_id = campaign_id
        after = {"plan": scope.plan_id, "suppliers": len(scope.suppliers), "minerals": list(scope.minerals)}
        session.add(
            AuditEvent(actor=actor, action="campaign.scoped", subject=f"campaign:{campaign_id}", after=after)
        )
