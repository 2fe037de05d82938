"""`minerals outbox`: every email the system stored and sent."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from cases.case_view import email_row, email_state
from cli.context import DataDir, out, sessions, settings_for
from models.outbox import EmailMessage


def outbox(
    case: Annotated[int | None, typer.Option("--case", min=1, help="Only this case's emails.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Every email: case, kind, recipients, subject, sent time, idempotency key, links."""
    query = select(EmailMessage).order_by(EmailMessage.id)
    if case is not None:
        query = query.where(EmailMessage.survey_id == case)
    with sessions(settings_for(data_dir))() as session:
        rows = [email_row(m) for m in session.scalars(query)]
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table()
    for column in ("case", "kind", "to", "subject", "sent", "idempotency key", "links"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            str(r["case"] or ""),
            r["kind"],
            ", ".join(r["to"] + r["cc"]),
            r["subject"],
            email_state(r),
            r["idempotency_key"],
            "\n".join(r["links"]),
        )
    out.print(table)
    out.print(f"{len(rows)} email(s)")
