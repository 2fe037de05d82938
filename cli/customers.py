"""`minerals customers requests add|list|show|answer`: customers' requests for our CMRT/EMRT."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.context import By, DataDir, Json, acting, fail, hint, out, sessions, settings_for

if TYPE_CHECKING:
    from models.customer_request import CustomerRequest
    from models.settings import Settings

app = typer.Typer(
    help="Customers: their requests for our CMRT/EMRT, answered with the roll-up.", no_args_is_help=True
)
requests_app = typer.Typer(
    help="Requests for our CMRT/EMRT: record, list, show, answer.", no_args_is_help=True
)
app.add_typer(requests_app, name="requests")


def _shown(r: CustomerRequest) -> dict[str, Any]:
    return {
        "id": r.id,
        "customer": r.customer,
        "contact_name": r.contact_name,
        "contact_email": r.contact_email,
        "template": r.template,
        "version": r.version or None,
        "scope": r.scope,
        "products": r.products,
        "due": r.due_date.isoformat(),
        "status": r.status,
        "overdue": r.status == "open" and r.due_date < dt.date.today(),
        "answered_at": r.answered_at.isoformat() if r.answered_at else None,
        "answer_file": r.answer_file_id,
        "note": r.note,
    }


def _request(session: Any, request_id: int, settings: Settings) -> CustomerRequest:
    from models.customer_request import CustomerRequest

    found = session.get(CustomerRequest, request_id)
    if found is None:
        listing = hint(settings, "minerals customers requests list")
        fail(f"no customer request {request_id} (see `{listing}`)", 2)
    return found


@requests_app.command("add")
def add(
    customer: Annotated[str, typer.Option("--customer", help="The customer's company name.")],
    email: Annotated[
        str, typer.Option("--email", help="The contact's email address (the answer goes there).")
    ],
    template: Annotated[str, typer.Option("--template", help="CMRT or EMRT.")],
    due: Annotated[str, typer.Option("--due", help="Answer due by (YYYY-MM-DD).")],
    contact: Annotated[str, typer.Option("--contact", help="The contact's name.")] = "",
    version: Annotated[
        str, typer.Option("--version", help="Template version asked for (default latest).")
    ] = "",
    product: Annotated[
        list[str] | None, typer.Option("--product", help="A part number for product scope (repeatable).")
    ] = None,
    note: Annotated[str, typer.Option("--note", help="Anything to remember about it.")] = "",
    by: By = "",
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Record a customer's request: company scope, or product scope with --product for each part."""
    from reports.customer_requests import RequestError, add_request

    settings = settings_for(data_dir)
    try:
        day = dt.date.fromisoformat(due)
    except ValueError:
        fail(f"--due {due!r} is not a date (YYYY-MM-DD)", 2)
    with sessions(settings)() as session:
        try:
            request = add_request(
                session, customer, email, template, day, acting(by), contact, version, product or [], note
            )
        except RequestError as exc:
            fail(str(exc), 2)
        session.commit()
        shown = _shown(request)
    if as_json:
        typer.echo(json.dumps(shown, ensure_ascii=False))
        return
    out.print(
        f"Request {shown['id']} recorded: {shown['template']} for {shown['customer']}, due {shown['due']}.",
        markup=False,
    )


@requests_app.command("list")
def list_(
    open_only: Annotated[bool, typer.Option("--open", help="Only requests not answered yet.")] = False,
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Every request, the earliest due first; overdue ones marked."""
    from sqlalchemy import select

    from models.customer_request import OPEN, CustomerRequest

    settings = settings_for(data_dir)
    with sessions(settings)() as session:
        query = select(CustomerRequest).order_by(CustomerRequest.due_date, CustomerRequest.id)
        if open_only:
            query = query.where(CustomerRequest.status == OPEN)
        rows = [_shown(r) for r in session.scalars(query)]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        flag = " OVERDUE" if r["overdue"] else ""
        line = (
            f"{r['id']}\t{r['customer']}\t{r['template']}\t{r['scope']}\tdue {r['due']}\t{r['status']}{flag}"
        )
        out.print(line, markup=False, highlight=False)


@requests_app.command("show")
def show(
    request_id: Annotated[int, typer.Argument(help="The request's number.")],
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """One request and its history in the audit trail."""
    from sqlalchemy import select

    from models.audit import AuditEvent

    settings = settings_for(data_dir)
    with sessions(settings)() as session:
        shown = _shown(_request(session, request_id, settings))
        events = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.subject == f"customer-request:{request_id}")
            .order_by(AuditEvent.id)
        )
        shown["history"] = [{"at": e.at.isoformat(), "actor": e.actor, "action": e.action} for e in events]
    if as_json:
        typer.echo(json.dumps(shown, ensure_ascii=False, indent=2))
        return
    for key, value in shown.items():
        if key != "history":
            out.print(f"{key}: {value}", markup=False, highlight=False)
    for event in shown["history"]:
        out.print(f"  {event['at']}  {event['action']}  by {event['actor']}", markup=False, highlight=False)


@requests_app.command("answer")
def answer(
    request_id: Annotated[int, typer.Argument(help="The request's number.")],
    campaign: Annotated[
        list[str] | None,
        typer.Option("--campaign", help="Campaign to answer from (default: the latest of the template)."),
    ] = None,
    template_file: Annotated[
        Path | None,
        typer.Option("--template-file", exists=True, dir_okay=False, help="Official blank to fill."),
    ] = None,
    company: Annotated[
        Path | None,
        typer.Option("--company", help="Company profile JSON (default: company.json in the data dir)."),
    ] = None,
    keep: Annotated[Path | None, typer.Option("--out", help="Also keep the workbook here.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Count at this date (default today).")] = None,
    by: By = "",
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Build our roll-up (company scope, or the suppliers of the requested parts), check it reads back
    complete, email it to the customer with the file attached, and mark the request answered."""
    import asyncio
    import shutil
    import tempfile

    import aiosmtplib

    from cli.smelters import parse_day, risk_config
    from mrt.model import Unreadable
    from reports.customer_requests import RequestError, build_answer, keep_answer, mark_answered
    from reports.request_mail import answer_message, send_answer
    from reports.rollup import CompanyProfile, ProfileError

    settings = settings_for(data_dir)
    day = parse_day(as_of) or dt.date.today()
    try:
        profile = CompanyProfile.load(company or Path(settings.data_dir) / "company.json")
    except ProfileError as exc:
        fail(str(exc), 2)
    actor = acting(by)
    with sessions(settings)() as session, tempfile.TemporaryDirectory() as tmp:
        request = _request(session, request_id, settings)
        if request.status != "open":
            fail(f"request {request_id} was answered on {request.answered_at:%Y-%m-%d}")
        name = f"{request.template}-{''.join(c for c in request.customer if c.isalnum())[:40]}-{day}.xlsx"
        path = Path(tmp) / name
        try:
            built = build_answer(
                session, request, campaign or [], day, settings.resolved_file_store_dir(), profile, path,
                template_file, risk_config(settings),
            )  # fmt: skip
        except (RequestError, ProfileError, Unreadable) as exc:
            fail(str(exc), 2)
        if keep is not None:
            shutil.copyfile(path, keep)
        if built.result.status != "complete":
            for issue in built.result.issues:
                if issue.severity == "error":
                    out.print(f"  {issue.sheet}!{issue.cell}: {issue.message}", markup=False, highlight=False)
            fail(f"the roll-up is {built.result.status}; nothing was sent (company block: see --company)")
        message = answer_message(settings, request, path, name)
        try:
            asyncio.run(send_answer(settings, message))
        except (aiosmtplib.SMTPException, OSError) as exc:
            fail(f"the mail relay {settings.smtp_host}:{settings.smtp_port} did not take the email ({exc})")
        stored = keep_answer(session, settings.resolved_file_store_dir(), built, name, actor)
        mark_answered(session, request, stored, str(message["Message-ID"]), actor)
        session.commit()
    shown = {
        "request": request_id,
        "file": stored.id,
        "suppliers": built.suppliers,
        "smelters": built.smelters,
    }
    if as_json:
        typer.echo(json.dumps({**shown, "status": "answered", "to": request.contact_email}))
        return
    out.print(
        f"Request {request_id} answered: {name} ({built.suppliers} supplier(s), {built.smelters} smelter(s)) "
        f"sent to {request.contact_email}.",
        markup=False,
    )
