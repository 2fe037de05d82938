"""`minerals audit`: verify the hash chain, read the log, export it for auditors, anchor its head."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session, sessionmaker

from cli.audit_export import FORMATS, read_export, write_export
from cli.context import DataDir, acting, err, fail, out, sessions, settings_for
from models.audit import AuditChainHead, AuditEvent
from models.audit_chain import ANCHOR_ACTION, GENESIS, iso_at, lock_head
from models.audit_query import AuditFilter, events_query, parse_moment
from models.audit_verify import COLUMNS, Outcome, verify_database, walk

app = typer.Typer(help="The tamper-evident audit trail: verify, log, export, anchor.", no_args_is_help=True)
Since = Annotated[str | None, typer.Option("--since", help="From this date or time (UTC unless given).")]
Until = Annotated[str | None, typer.Option("--until", help="Before this date or time (exclusive).")]


def _moment(text: str | None) -> dt.datetime | None:
    try:
        return parse_moment(text) if text else None
    except ValueError as exc:
        fail(str(exc), 2)


def _anchors(values: list[str]) -> dict[int, str]:
    found: dict[int, str] = {}
    for value in values:
        seq, _, digest = value.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            fail(f"--anchor {value!r}: use SEQ:HASH as printed by `minerals audit anchor`", 2)
        found[int(seq)] = digest.lower()
    return found


def verify_file(path: Path, anchors: dict[int, str]) -> tuple[Outcome, dict[str, object]]:
    """Check an export offline: its events link to each other (and to genesis when it starts at seq 1)."""
    try:
        head, rows = read_export(path)
    except (ValueError, KeyError, IndexError, OSError) as exc:
        fail(f"cannot read {path.name} as an audit export: {exc}")
    start = (0, GENESIS) if not rows or rows[0]["seq"] == 1 else (rows[0]["seq"] - 1, rows[0]["prev_hash"])
    outcome = walk(rows, start, {s: h for s, h in anchors.items() if s <= (rows[-1]["seq"] if rows else 0)})
    return outcome, head


@app.command()
def verify(
    file: Annotated[
        Path | None, typer.Option("--file", exists=True, dir_okay=False, help="Verify an export offline.")
    ] = None,
    anchor: Annotated[
        list[str], typer.Option("--anchor", help="SEQ:HASH kept outside the database; repeatable.")
    ] = [],  # noqa: B006
    data_dir: DataDir = None,
) -> None:
    """Recompute every hash; exit 1 naming the first broken link (row id and what changed)."""
    anchors = _anchors(anchor)
    if file is not None:
        outcome, head = verify_file(file, anchors)
    else:
        with sessions(settings_for(data_dir))() as session:
            outcome = verify_database(session, anchors)
            head = {"seq": outcome.seq, "hash": outcome.hash}
    if outcome.broken is not None:
        b = outcome.broken
        where = f"row id {b.row_id} (seq {b.seq})" if b.row_id is not None else f"seq {b.seq}"
        err.print(f"BROKEN at {where}: {b.problem}", highlight=False, markup=False, soft_wrap=True)
        err.print(
            f"{outcome.checked} event(s) before it verified; last good seq {outcome.seq}", highlight=False
        )
        raise typer.Exit(1)
    out.print(
        f"audit trail OK: {outcome.checked} event(s), head {outcome.seq}:{outcome.hash}", soft_wrap=True
    )
    if file is not None and head.get("seq") != outcome.seq:
        out.print(
            f"(the export ends before the chain head at export time: {head.get('seq')}:{head.get('hash')})"
        )
    elif file is not None and head.get("hash") != outcome.hash:
        err.print("BROKEN: the last event is not the chain head the export names")
        raise typer.Exit(1)


@app.command("log")
def log(
    case: Annotated[int | None, typer.Option("--case", help="Events of this case (survey id).")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Events by this actor.")] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="e.g. user:3, campaign:1.")] = None,
    action: Annotated[str | None, typer.Option("--action", help="Action or its prefix, e.g. user.")] = None,
    since: Since = None,
    until: Until = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Audit events, oldest first, filtered by case, actor, subject, action and time."""
    chosen = AuditFilter(case, actor, subject, action, _moment(since), _moment(until))
    with sessions(settings_for(data_dir))() as session:
        for ev in session.scalars(events_query(chosen), execution_options={"yield_per": 2000}):
            if as_json:
                typer.echo(json.dumps({n: _value(ev, n) for n in COLUMNS}, ensure_ascii=False))
                continue
            change = json.dumps(ev.after, ensure_ascii=False) if ev.after else ""
            line = f"{iso_at(ev.at)[:19]}  #{ev.seq:<6} {ev.action:<26} {ev.subject:<16} {ev.actor}  {change}"
            out.print(line, markup=False, highlight=False, soft_wrap=True)


def _value(ev: AuditEvent, name: str) -> object:
    return iso_at(ev.at) if name == "at" else getattr(ev, name)


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv or xlsx.")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Default audit-<date>.<format>.")
    ] = None,
    since: Since = None,
    until: Until = None,
    data_dir: DataDir = None,
) -> None:
    """Write events with the chain head, for an auditor to verify offline (`audit verify --file`)."""
    if fmt not in FORMATS:
        fail(f"--format {fmt!r}: use one of {', '.join(FORMATS)}", 2)
    path = output or Path(f"audit-{dt.date.today():%Y-%m-%d}.{fmt}")
    chosen = AuditFilter(since=_moment(since), until=_moment(until))
    factory = sessions(settings_for(data_dir))
    with factory() as session:
        head = session.get(AuditChainHead, 1)
        info = {"seq": head.seq if head else 0, "hash": head.hash if head else GENESIS,
                "exported_at": iso_at(dt.datetime.now(dt.UTC))}  # fmt: skip
        events = session.scalars(events_query(chosen), execution_options={"yield_per": 2000})
        count = write_export(path, fmt, info, ({n: _value(e, n) for n in COLUMNS} for e in events))
    out.print(f"{count} event(s) written to {path}; chain head {info['seq']}:{info['hash']}", soft_wrap=True)


def anchor_head(factory: sessionmaker[Session], actor: str) -> tuple[int, str]:
    """Record the current head as an `audit.anchored` event (itself chained); returns the head."""
    with factory.begin() as session:
        seq, digest = lock_head(session.connection())
        session.add(AuditEvent(actor=actor, action=ANCHOR_ACTION, subject="audit:chain",
                               after={"seq": seq, "hash": digest}))  # fmt: skip
    return seq, digest


@app.command()
def anchor(
    by: Annotated[str, typer.Option("--by", help="Who anchors (default: the OS user).")] = "",
    data_dir: DataDir = None,
) -> None:
    """Print the chain head and store it in the chain; keep the printed line outside the database."""
    seq, digest = anchor_head(sessions(settings_for(data_dir)), acting(by))
    out.print(f"{iso_at(dt.datetime.now(dt.UTC))} audit head {seq}:{digest}", highlight=False, soft_wrap=True)
