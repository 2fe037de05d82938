"""`minerals mail preview`: what suppliers receive, any email kind in any language."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

import typer

from cli.context import DataDir, fail, say, sessions, settings_for

app = typer.Typer(help="Emails as suppliers receive them: preview any kind in any language.")


def sample_context() -> dict[str, Any]:
    """A made-up case with one of each thing an email can show (issue, finding, action, bounce)."""
    from risk import wording as w

    finding = w.NO_STATUS.format(metal="Tin", name="Sample Smelter (CID000001)", on="2030-01-31")
    return {
        "name": "Pat Example",
        "supplier": "Example Parts Co.",
        "campaign": "2030 survey",
        "template": "CMRT",
        "due": dt.date(2030, 3, 31),
        "upload_url": "https://portal.example/upload/1.sig",
        "template_url": "https://www.responsiblemineralsinitiative.org/reporting-templates/",
        "reminder": 1,
        "reminders": 1,
        "fixing": False,
        "file_name": "cmrt.xlsx",
        "issue": ("missing-required", {"kind": "company", "field": "name"}, "Declaration", "D8"),
        "findings": [{"message": finding}],
        "finding_count": 1,
        "action": {"n": 1, "number": "1/1", "status": "open", "required_outcome": w.OUTCOMES[0]},
        "reason": "the letter names no smelter",
        "supplier_id": "S-1",
        "refused": "old@example.com",
        "error": "550 5.1.1 mailbox unknown",
        "fix_command": "minerals suppliers update S-1 --email NEW-ADDRESS",
        "case_url": "https://console.example/cases/1",
    }


def render_sample(kind: str, language: str) -> tuple[str, str]:
    """Subject and text of a kind for the sample case, in a language."""
    from activities.compose import EmailRenderer
    from i18n import local_date
    from models.enums import EmailKind
    from mrt.messages import render
    from risk.wording import translate

    context = sample_context()
    code, params, sheet, cell = context.pop("issue")
    context["due"] = local_date(context["due"], language)
    message = render(code, params, language, sheet, cell)
    context["issues"] = [{"sheet": sheet, "cell": cell, "message": message}]
    context["issue_count"] = 1
    context["findings"] = [{"message": translate(f["message"], language)} for f in context["findings"]]
    action = context["action"]
    action["required_outcome"] = translate(action["required_outcome"], language)
    action["findings"] = context["findings"]
    mail = EmailRenderer().render(EmailKind(kind), language, context)
    return mail.subject, mail.text


def render_case(case: int, kind: str, language: str, data_dir: str | None) -> tuple[str, str]:
    """Subject and text of a kind for a stored case (its latest file and first action), in a language."""
    from sqlalchemy import select

    from activities.compose import EmailRenderer, compose
    from activities.links import LinkSigner
    from models.corrective import CorrectiveAction
    from models.enums import EmailKind
    from models.messages import EmailRequest
    from models.survey import Survey

    settings = settings_for(data_dir)
    with sessions(settings)() as session:
        survey = session.get(Survey, case)
        if survey is None:
            fail(f"no case {case}; `minerals cases list` shows them", 2)
        first = select(CorrectiveAction.id).where(CorrectiveAction.survey_id == case)
        action_id = session.scalar(first.order_by(CorrectiveAction.n)) if kind.startswith("action-") else None
        if kind.startswith("action-") and action_id is None:
            fail(f"case {case} has no corrective action to preview a {kind} email with", 2)
        due = survey.due_at or dt.datetime.now(dt.UTC)
        due = due if due.tzinfo else due.replace(tzinfo=dt.UTC)  # SQLite keeps no offset
        req = EmailRequest(
            survey_id=case,
            key="preview",
            kind=EmailKind(kind),
            due_at=due,
            file_id=survey.last_file_id,
            reminders=1,
            action_id=action_id,
        )
        # A preview's links are signed with a key of its own: they show the shape, they open nothing.
        links = LinkSigner("a preview link opens no case", settings.public_base_url)
        now = dt.datetime.now(dt.UTC)
        composed = compose(session, req, EmailRenderer(), links, dt.timedelta(days=90), now, language)
    return composed.rendered.subject, composed.rendered.text


@app.command()
def preview(
    kind: Annotated[str, typer.Argument(help="The email kind as the outbox names it (request, reminder…).")],
    language: Annotated[str, typer.Option("--language", "-l", help="Language code (en, ja, zh, …).")] = "en",
    case: Annotated[int | None, typer.Option("--case", min=1, help="Render for this case.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Print the subject and text body of an email kind for a case (a sample case without --case)."""
    from i18n import available
    from models.enums import EmailKind

    kinds = [k.value for k in EmailKind]
    if kind not in kinds:
        fail(f"unknown email kind {kind!r}; one of: {', '.join(kinds)}", 2)
    if language not in available():
        fail(f"no catalog for language {language!r}; one of: {', '.join(available())}", 2)
    subject, text = render_case(case, kind, language, data_dir) if case else render_sample(kind, language)
    if as_json:
        payload = {"kind": kind, "language": language, "case": case, "subject": subject, "text": text}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    say(f"Subject: {subject}")
    say("")
    say(text.rstrip("\n"))
