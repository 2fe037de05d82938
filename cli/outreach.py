"""`minerals smelters outreach`: non-conformant smelters by dependent suppliers, and the outreach to them."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from cases.action_view import outreach_list
from cli.context import By, DataDir, Json, acting, fail, out, sessions, settings_for
from cli.tables import wrapping_table
from models.audit import AuditEvent
from models.corrective import SmelterOutreach


def outreach(
    record: Annotated[
        str | None, typer.Option("--record", help="Record an outreach to this smelter (CID).")
    ] = None,
    note_: Annotated[str, typer.Option("--note", help="What was said or sent.")] = "",
    channel: Annotated[str, typer.Option("--channel", help="email, call, visit, letter...")] = "email",
    include_closed: Annotated[bool, typer.Option("--all", help="Include closed actions.")] = False,
    by: By = "",
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Non-conformant smelters by number of dependent suppliers, with their actions; record an outreach."""
    factory = sessions(settings_for(data_dir))
    if record is not None:
        if not note_.strip():
            fail("--note must say what the outreach was", 2)
        with factory.begin() as session:
            session.add(SmelterOutreach(smelter_id=record, actor=acting(by), channel=channel, note=note_))
            session.add(
                AuditEvent(
                    actor=acting(by),
                    action="smelter.outreach",
                    subject=f"smelter:{record}",
                    after={"channel": channel, "note": note_},
                )
            )
    with factory() as session:
        rows = outreach_list(session, include_closed)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if record is not None:
        out.print(f"Outreach to {record} recorded")
    table = wrapping_table("smelter", "metal", "name", "suppliers", "actions", "last outreach")
    for r in rows:
        last = r["outreach"][-1] if r["outreach"] else None
        table.add_row(
            r["smelter_id"],
            r["metal"] or "",
            r["name"] or "",
            str(r["suppliers"]),
            ", ".join(f"{d['supplier_id']} {d['number']}" for d in r["dependents"]),
            f"{last['at'][:10]} {last['channel']}" if last else "",
        )
    out.print(table)
    out.print(f"{len(rows)} non-conformant smelter(s)")
