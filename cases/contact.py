"""Correct a supplier's contact: the row and its audit event, then every open case of the supplier is told
(`contact_changed`), so an email the relay refused goes out again to the new address. CLI and console."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from cases.action_view import OPEN
from models.audit import AuditEvent
from models.corrective import CorrectiveAction
from models.enums import FINAL
from models.messages import ContactChanged
from models.supplier import Supplier, is_email_address
from models.survey import Survey

SIGNAL = "contact_changed"  # the survey and corrective-action workflows' signal


class ContactError(ValueError):
    """The change cannot be made; the message says why."""


@dataclass(frozen=True)
class ContactUpdate:
    """What changed on a supplier, and the workflows of its open cases to tell."""

    supplier_id: str
    email: str
    changed: dict[str, tuple[str, str]] = field(default_factory=dict)  # field -> (before, after)
    workflows: list[str] = field(default_factory=list)


def apply_changes(
    session: Session, supplier: Supplier, values: Mapping[str, Any], actor: str
) -> dict[str, Any]:
    """Set the values that differ, with a `supplier.updated` audit event; returns the old values changed."""
    before = {k: getattr(supplier, k) for k, v in values.items() if getattr(supplier, k) != v}
    if not before:
        return before
    for key in before:
        setattr(supplier, key, values[key])
    after = {k: values[k] for k in before}
    subject = f"supplier:{supplier.supplier_id}"
    session.add(
        AuditEvent(actor=actor, action="supplier.updated", subject=subject, before=before, after=after)
    )
    return before


def open_workflows(session: Session, supplier: Supplier) -> list[str]:
    """The workflow ids of the supplier's open surveys and of their open corrective actions."""
    actions = session.scalars(
        select(CorrectiveAction.workflow_id)
        .join(Survey, Survey.id == CorrectiveAction.survey_id)
        .where(Survey.supplier_id == supplier.id, CorrectiveAction.status.in_(OPEN))
        .order_by(CorrectiveAction.id)
    ).all()
    with_actions = select(CorrectiveAction.survey_id).where(CorrectiveAction.status.in_(OPEN))
    surveys = session.scalars(
        select(Survey.workflow_id)
        .where(Survey.supplier_id == supplier.id)
        .where(or_(Survey.stage.not_in([s.value for s in FINAL]), Survey.id.in_(with_actions)))
        .order_by(Survey.id)
    ).all()
    return [*surveys, *actions]


def update_contact(
    factory: sessionmaker[Session],
    supplier_id: str,
    actor: str,
    *,
    email: str | None = None,
    name: str | None = None,
    contact: str | None = None,
) -> ContactUpdate:
    """Correct a supplier's email, name or contact person (audited); says which workflows to tell."""
    values: dict[str, str] = {}
    if email is not None:
        email = email.strip().lower()
        if not is_email_address(email):
            raise ContactError(f"{email!r} is not an email address (name@domain.tld)")
        values["email"] = email
    if name is not None:
        if not name.strip():
            raise ContactError("the supplier's name cannot be empty")
        values["name"] = name.strip()
    if contact is not None:
        values["contact_name"] = contact.strip()
    if not values:
        raise ContactError("nothing to change: give --email, --name or --contact")
    with factory.begin() as session:
        supplier = session.scalar(select(Supplier).where(Supplier.supplier_id == supplier_id))
        if supplier is None:
            raise ContactError(f"no supplier {supplier_id!r}; see `minerals suppliers list`")
        before = apply_changes(session, supplier, values, actor)
        changed = {k: (str(v), str(values[k])) for k, v in before.items()}
        # Told even when the address was already this one: running the command again reaches the cases
        # a first run could not (Temporal away); a case with nothing refused ignores it.
        workflows = open_workflows(session, supplier) if email is not None else []
        return ContactUpdate(supplier.supplier_id, supplier.email, changed, workflows)


async def tell_workflows(client: Client, update: ContactUpdate, actor: str) -> tuple[list[str], list[str]]:
    """Signal the new address to each open case; returns (told, problems). A workflow that has finished
    meanwhile has nothing to resend and is not a problem."""
    told: list[str] = []
    problems: list[str] = []
    change = ContactChanged(email=update.email, actor=actor)
    for workflow_id in update.workflows:
        try:
            await client.get_workflow_handle(workflow_id).signal(SIGNAL, change)
            told.append(workflow_id)
        except RPCError as exc:
            if exc.status != RPCStatusCode.NOT_FOUND:
                problems.append(f"{workflow_id}: {exc.message}")
    return told, problems
