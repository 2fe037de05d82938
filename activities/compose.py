"""Compose a case's email from the database and the Jinja2 templates, in the supplier's language."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from activities.action_mail import action_context, action_recipients
from activities.links import LinkSigner
from models.campaign import Campaign
from models.enums import EmailKind
from models.files import StoredFile
from models.messages import EmailRequest
from models.supplier import Supplier
from models.survey import Finding, Survey

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "email"
LANGUAGES = ("en", "ja", "zh")
RMI_TEMPLATES_URL = "https://www.responsiblemineralsinitiative.org/reporting-templates/"
WITH_UPLOAD_LINK = frozenset(
    {
        EmailKind.REQUEST,
        EmailKind.REMINDER,
        EmailKind.ESCALATION,
        EmailKind.FIX_REQUEST,
        EmailKind.ACTION_REQUEST,
        EmailKind.ACTION_FOLLOW_UP,
        EmailKind.ACTION_REJECTED,
    }
)
_SPACE = re.compile(r"\s+")


def mail_language(language: str | None) -> str:
    """The template language for a supplier's language tag ("ja", "zh-CN"); English when we have none."""
    code = (language or "en").replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else "en"


@dataclass(frozen=True)
class Rendered:
    """One email's subject and bodies."""

    language: str
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Composed:
    """An email ready for the outbox."""

    to: list[str]
    cc: list[str]
    rendered: Rendered
    links: list[str] = field(default_factory=list)


class EmailRenderer:
    """Renders `{language}/{kind}.txt.j2` (subject + text) and `{kind}.html.j2`, English as fallback."""

    def __init__(self, directory: Path = TEMPLATES) -> None:
        self._env = Environment(
            loader=FileSystemLoader(directory),
            # Everything suppliers wrote is escaped in HTML; plain text has nothing to escape.
            autoescape=select_autoescape(
                enabled_extensions=("html.j2",), disabled_extensions=("txt.j2",), default=True
            ),
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )

    def render(self, kind: EmailKind, language: str, context: dict[str, Any]) -> Rendered:
        """Render one kind in `language`, falling back to English when that language lacks it."""
        language = mail_language(language)
        try:
            text = self._env.get_template(f"{language}/{kind.value}.txt.j2")
        except TemplateNotFound:
            language = "en"
            text = self._env.get_template(f"en/{kind.value}.txt.j2")
        ctx = text.new_context(dict(context, language=language))
        subject = _SPACE.sub(" ", "".join(text.blocks["subject"](ctx))).strip()  # no header injection
        body = "".join(text.blocks["body"](ctx)).strip() + "\n"
        html = self._env.get_template(f"{language}/{kind.value}.html.j2").render(
            dict(context, language=language, subject=subject)
        )
        return Rendered(language, subject, body, html)


def compose(
    session: Session,
    req: EmailRequest,
    renderer: EmailRenderer,
    links: LinkSigner,
    link_valid_after_due: dt.timedelta,
    now: dt.datetime,
) -> Composed:
    """Gather a case's facts and render the email a request asks for."""
    survey = session.get(Survey, req.survey_id)
    if survey is None:
        raise ValueError(f"survey {req.survey_id} does not exist")
    supplier = session.get(Supplier, survey.supplier_id)
    campaign = session.get(Campaign, survey.campaign_id)
    assert supplier is not None and campaign is not None  # foreign keys
    upload_url = ""
    if req.kind in WITH_UPLOAD_LINK:
        upload_url = links.upload_url(survey.id, max(req.due_at, now) + link_valid_after_due)
    stored = session.get(StoredFile, req.file_id) if req.file_id else None
    issues = sorted(stored.issues if stored else [], key=lambda i: i.get("severity") != "error")
    of_file = (Finding.survey_id == survey.id) & (Finding.file_id == req.file_id)
    findings = session.scalars(select(Finding).where(of_file).order_by(Finding.id)).all()
    context = {
        "name": supplier.contact_name or supplier.name,
        "supplier": supplier.name,
        "campaign": campaign.name,
        "template": campaign.template,
        "due": req.due_at.strftime("%Y-%m-%d"),
        "upload_url": upload_url,
        "template_url": RMI_TEMPLATES_URL,
        "reminder": req.reminders,
        "reminders": req.reminders,
        "fixing": req.fixing,
        "file_name": stored.original_name if stored else "",
        "issues": issues,
        "issue_count": len(issues),
        "findings": [{"message": f.message, "metal": f.metal, "smelter_id": f.smelter_id} for f in findings],
        "finding_count": len(findings),
    }
    cc = [supplier.owner_email] if req.copy_owner and supplier.owner_email else []
    to = [supplier.email]
    if req.action_id is not None:  # a corrective action's email
        context.update(action_context(session, req))
        to, cc = action_recipients(session, req, supplier) or (to, cc)
    rendered = renderer.render(req.kind, supplier.language, context)
    return Composed(to, cc, rendered, [upload_url] if upload_url else [])
