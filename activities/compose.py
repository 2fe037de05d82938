"""Compose a case's email from the database and the Jinja2 templates, in the supplier's language."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import select
from sqlalchemy.orm import Session

from activities.action_mail import action_context, action_recipients
from activities.errors import missing_row
from activities.links import LinkSigner
from i18n import N_, language_for, local_date, sentence_gap, translations
from models.campaign import Campaign
from models.enums import EmailKind
from models.files import StoredFile
from models.messages import EmailRequest
from models.outbox import EmailMessage
from models.supplier import Supplier
from models.survey import Finding, Survey
from risk.wording import translate

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "email"
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
REFUSED = N_("refused by the mail relay")  # a bounce without the relay's own reason


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
    """Renders `{kind}.txt.j2` (subject + text) and `{kind}.html.j2`, translated through the catalogs."""

    def __init__(self, directory: Path = TEMPLATES) -> None:
        self._directory = directory

    @cache  # noqa: B019 - one renderer lives as long as the worker; few languages, two formats
    def _env(self, language: str, html: bool) -> Environment:
        # Everything suppliers wrote is escaped in HTML; plain text has nothing to escape. One environment
        # per language and format: shared macros compile with the right escaping, translations stay apart.
        env = Environment(
            loader=FileSystemLoader(self._directory),
            autoescape=html,  # noqa: S701 - the text part is plain text, never HTML
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            extensions=["jinja2.ext.i18n"],
        )
        env.policies["ext.i18n.trimmed"] = True
        env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
        return env

    def render(self, kind: EmailKind, language: str | None, context: dict[str, Any]) -> Rendered:
        """Render one kind in the supplier's language (English when we have no catalog for it)."""
        language = language_for(language)
        context = dict(context, language=language, gap=sentence_gap(language))
        text = self._env(language, False).get_template(f"{kind.value}.txt.j2")
        ctx = text.new_context(context)
        subject = _SPACE.sub(" ", "".join(text.blocks["subject"](ctx))).strip()  # no header injection
        body = "".join(text.blocks["body"](ctx)).strip() + "\n"
        html = (
            self._env(language, True)
            .get_template(f"{kind.value}.html.j2")
            .render(dict(context, subject=subject))
        )
        return Rendered(language, subject, body, html)


def compose(
    session: Session,
    req: EmailRequest,
    renderer: EmailRenderer,
    links: LinkSigner,
    link_valid_after_due: dt.timedelta,
    now: dt.datetime,
    language: str | None = None,
) -> Composed:
    """Gather a case's facts and render the email a request asks for (in `language` when given, else in
    the supplier's)."""
    survey = session.get(Survey, req.survey_id)
    if survey is None:
        raise missing_row(f"survey {req.survey_id}")
    supplier = session.get(Supplier, survey.supplier_id)
    campaign = session.get(Campaign, survey.campaign_id)
    if supplier is None or campaign is None:
        raise missing_row(f"the supplier or campaign of survey {survey.id}")
    upload_url = ""
    if req.kind in WITH_UPLOAD_LINK:
        upload_url = links.upload_url(survey.id, max(req.due_at, now) + link_valid_after_due)
    stored = session.get(StoredFile, req.file_id) if req.file_id else None
    issues = sorted(stored.issues if stored else [], key=lambda i: i.get("severity") != "error")
    of_file = (Finding.survey_id == survey.id) & (Finding.file_id == req.file_id)
    findings = session.scalars(select(Finding).where(of_file).order_by(Finding.id)).all()
    language = language_for(language or supplier.language)
    context: dict[str, Any] = {
        "name": supplier.contact_name or supplier.name,
        "supplier": supplier.name,
        "campaign": campaign.name,
        "template": campaign.template,
        "due": local_date(req.due_at, language),
        "upload_url": upload_url,
        "template_url": RMI_TEMPLATES_URL,
        "reminder": req.reminders,
        "reminders": req.reminders,
        "fixing": req.fixing,
        "file_name": stored.original_name if stored else "",
        "issues": issues,
        "issue_count": len(issues),
        "findings": [
            {"message": translate(f.message, language), "metal": f.metal, "smelter_id": f.smelter_id}
            for f in findings
        ],
        "finding_count": len(findings),
    }
    cc = [supplier.owner_email] if req.copy_owner and supplier.owner_email else []
    to = [supplier.email]
    if req.action_id is not None:  # a corrective action's email
        context.update(action_context(session, req, language))
        to, cc = action_recipients(session, req, supplier) or (to, cc)
    if req.kind == EmailKind.BOUNCE_NOTICE:
        context.update(bounce_context(session, survey, supplier, req, links, language))
        to, cc = [owner_of(supplier, context.get("action", {}).get("owner"))], []
    rendered = renderer.render(req.kind, language, context)
    return Composed(to, cc, rendered, [upload_url] if upload_url else [])


def owner_of(supplier: Supplier, action_owner: str | None = None) -> str:
    """Who is told about a supplier's refused address: the action's owner, else the supplier's (buyer);
    MissingRow when neither is set."""
    owner = action_owner or supplier.owner_email
    if not owner:
        raise missing_row(f"an owner email for supplier {supplier.supplier_id} (set it with owner_email)")
    return owner


def bounce_context(
    session: Session,
    survey: Survey,
    supplier: Supplier,
    req: EmailRequest,
    links: LinkSigner,
    language: str = "en",
) -> dict[str, Any]:
    """What a bounce notice says: the refused address, the relay's reason, and how to correct it."""
    query = (
        select(EmailMessage)
        .where(EmailMessage.survey_id == survey.id, EmailMessage.bounced_at.is_not(None))
        .order_by(EmailMessage.bounced_at.desc(), EmailMessage.id.desc())
        .limit(1)
    )
    last = session.scalar(query)
    return {
        "supplier_id": supplier.supplier_id,
        "refused": ", ".join(last.to) if last else supplier.email,
        "error": (last.last_error if last else None) or req.reason or translations(language).gettext(REFUSED),
        "fix_command": f"minerals suppliers update {supplier.supplier_id} --email NEW-ADDRESS",
        "case_url": links.page_url(f"/cases/{survey.id}"),
    }
