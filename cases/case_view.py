"""Read models of cases and emails for the CLI: plain dicts, JSON-ready."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from cases.start import not_started
from models.audit import AuditEvent
from models.campaign import Campaign
from models.files import StoredFile
from models.outbox import EmailMessage, outbox_health
from models.supplier import Supplier
from models.survey import Finding, Survey
from reports.case_scope import planned_for


def iso(value: dt.datetime | dt.date | None) -> str | None:
    """ISO text of a date or time (None stays None); naive times are UTC."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat() if value is not None else None


def case_query() -> Select[Survey, Campaign, Supplier]:
    """Cases with their campaign and supplier."""
    return (
        select(Survey, Campaign, Supplier)
        .join(Campaign, Survey.campaign_id == Campaign.id)
        .join(Supplier, Survey.supplier_id == Supplier.id)
        .order_by(Survey.id)
    )


def case_row(survey: Survey, campaign: Campaign, supplier: Supplier) -> dict[str, Any]:
    """The summary of one case, as listed."""
    return {
        "id": survey.id,
        "campaign": campaign.name,
        "template": campaign.template,
        "supplier_id": supplier.supplier_id,
        "supplier": supplier.name,
        "stage": survey.stage,
        "due_at": iso(survey.due_at),
        "reminders_sent": survey.reminders_sent,
        "fix_rounds": survey.fix_rounds,
        "risk": survey.risk,
        "responded_at": iso(survey.responded_at),
        "workflow_id": survey.workflow_id,
    }


def email_row(message: EmailMessage) -> dict[str, Any]:
    """One outbox email, as listed."""
    return {
        "id": message.id,
        "case": message.survey_id,
        "kind": message.kind,
        "to": list(message.to),
        "cc": list(message.cc),
        "subject": message.subject,
        "language": message.language,
        "created_at": iso(message.created_at),
        "sent_at": iso(message.sent_at),
        "attempts": message.attempts,
        "attempted_at": iso(message.attempted_at),
        "bounced_at": iso(message.bounced_at),
        "last_error": message.last_error,
        "idempotency_key": message.idempotency_key,
        "links": list(message.links),
    }


def email_state(row: dict[str, Any]) -> str:
    """When an email was sent, or BOUNCED / not sent yet, as listed."""
    if row["sent_at"]:
        return str(row["sent_at"])[:19]
    return "BOUNCED" if row["bounced_at"] else "not sent"


def case_detail(session: Session, survey_id: int) -> dict[str, Any] | None:
    """Everything about one case: summary, history, files, findings and emails."""
    found = session.execute(case_query().where(Survey.id == survey_id)).first()
    if found is None:
        return None
    detail = case_row(*found)
    detail["not_started"] = not_started(session, found[0], found[1])
    detail["exempt_reason"] = found[0].exempt_reason
    detail["planned_minerals"] = list(planned_for(session, survey_id))  # empty: no plan, the template's all
    supplier = found[2]
    detail["supplier_contact"] = {"email": supplier.email, "contact_name": supplier.contact_name}
    detail["history"] = [
        {
            "id": e.id,
            "at": iso(e.at),
            "actor": e.actor,
            "action": e.action,
            "stage": (e.after or {}).get("stage"),
            "note": (e.after or {}).get("note", ""),
        }
        for e in session.scalars(
            select(AuditEvent).where(AuditEvent.subject == f"survey:{survey_id}").order_by(AuditEvent.id)
        )
    ]
    detail["files"] = [
        {
            "id": f.id,
            "name": f.original_name,
            "sha256": f.sha256,
            "size": f.size,
            "uploaded_by": f.uploaded_by,
            "check_status": f.check_status,
            "family": f.family,
            "version": f.version,
            "issues": list(f.issues),
        }
        for f in session.scalars(
            select(StoredFile).where(StoredFile.survey_id == survey_id).order_by(StoredFile.id)
        )
    ]
    detail["findings"] = [
        {
            "code": f.code,
            "severity": f.severity,
            "message": f.message,
            "metal": f.metal,
            "smelter_id": f.smelter_id,
        }
        for f in session.scalars(select(Finding).where(Finding.survey_id == survey_id).order_by(Finding.id))
    ]
    detail["emails"] = [
        email_row(m)
        for m in session.scalars(
            select(EmailMessage).where(EmailMessage.survey_id == survey_id).order_by(EmailMessage.id)
        )
    ]
    detail["email_faults"] = outbox_health(session, survey_id=survey_id).to_dict()
    return detail
