"""Customers' CMRT/EMRT requests: recorded, answered with our roll-up (company or product scope), tracked."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.audit import AuditEvent
from models.customer_request import OPEN, CustomerRequest
from models.files import StoredFile
from models.purchases import Purchase
from models.supplier import is_email_address
from mrt.layouts.registry import layout_for
from mrt.model import Unreadable
from mrt.report import FileResult, check_file
from reports.rollup import DEFAULT_VERSIONS, CompanyProfile, Target, rollup_filling, target_for, write_rollup
from reports.scope import Scope, find_campaigns, load_scope
from reports.smelters import consolidate
from risk import RiskConfig, load_registry

FAMILIES = ("CMRT", "EMRT")


class RequestError(ValueError):
    """A request that cannot be recorded or answered; the message says why."""


def add_request(
    session: Session,
    customer: str,
    contact_email: str,
    template: str,
    due: dt.date,
    actor: str,
    contact_name: str = "",
    version: str = "",
    products: list[str] | None = None,
    note: str = "",
) -> CustomerRequest:
    """Record a request (audited); the caller commits."""
    family = template.upper()
    if family not in FAMILIES:
        raise RequestError(f"template must be {' or '.join(FAMILIES)}, not {template!r}")
    if not customer.strip():
        raise RequestError("the customer's name is empty")
    if not is_email_address(contact_email.strip()):
        raise RequestError(f"{contact_email!r} is not one email address")
    if version:
        try:
            layout_for(family, version)
        except (Unreadable, KeyError, ValueError):
            raise RequestError(f"{family} version {version!r} is not one this system writes") from None
    parts = list(dict.fromkeys(p.strip() for p in products or [] if p.strip()))
    request = CustomerRequest(
        customer=customer.strip()[:300],
        contact_name=contact_name.strip()[:200],
        contact_email=contact_email.strip(),
        template=family,
        version=version,
        products=parts,
        due_date=due,
        note=note[:1000],
        created_by=actor,
    )
    session.add(request)
    session.flush()
    after = {"customer": request.customer, "template": family, "scope": request.scope, "due": due.isoformat()}
    session.add(
        AuditEvent(
            actor=actor,
            action="customer-request.added",
            subject=f"customer-request:{request.id}",
            after=after,
        )
    )
    return request


def overdue(session: Session, today: dt.date) -> list[CustomerRequest]:
    """Open requests whose due date has passed, the oldest first."""
    return list(
        session.scalars(
            select(CustomerRequest)
            .where(CustomerRequest.status == OPEN, CustomerRequest.due_date < today)
            .order_by(CustomerRequest.due_date, CustomerRequest.id)
        )
    )


def suppliers_of(session: Session, parts: list[str]) -> dict[str, str]:
    """part number -> description, for parts bought; RequestError names the parts never bought."""
    rows = session.execute(
        select(Purchase.part_number, Purchase.description, Purchase.supplier_key).where(
            Purchase.part_number.in_(parts)
        )
    ).all()
    unknown = sorted(set(parts) - {r.part_number for r in rows})
    if unknown:
        raise RequestError(f"no purchase of part(s) {', '.join(unknown[:10])}: import the purchases first")
    return {r.part_number: r.description for r in rows}


@dataclass
class Answer:
    """The roll-up written for a request and how it checked."""

    path: Path
    result: FileResult
    suppliers: int
    smelters: int


def _target(request: CustomerRequest, blank: Path | None) -> Target:
    target = target_for(request.template, blank)
    if blank is None and request.version and request.version != DEFAULT_VERSIONS[request.template]:
        return Target(layout_for(request.template, request.version), request.version, [])
    if blank is not None and request.version and target.version != request.version:
        raise RequestError(
            f"{blank.name} is version {target.version}; the customer asked for {request.version}"
        )
    return target


def build_answer(
    session: Session,
    request: CustomerRequest,
    campaigns: list[str],
    as_of: dt.date,
    file_store: Path | None,
    profile: CompanyProfile,
    out: Path,
    blank: Path | None = None,
    config: RiskConfig | None = None,
) -> Answer:
    """Our roll-up for the request: company scope, or only the suppliers of the requested parts with the
    Product List filled; written to `out` and checked like a supplier file."""
    chosen = [c for c in find_campaigns(session, campaigns) if c.template == request.template]
    if not chosen:
        raise RequestError(
            f"no {request.template} campaign to answer from: run one, or name it with --campaign"
        )
    scope = load_scope(session, chosen[-1:] if not campaigns else chosen, as_of, file_store)
    products: dict[str, str] = {}
    if request.products:
        products = suppliers_of(session, request.products)
        keys = set(
            session.scalars(select(Purchase.supplier_key).where(Purchase.part_number.in_(request.products)))
        )
        scope = Scope(
            scope.as_of, scope.campaigns, [c for c in scope.cases if c.supplier.supplier_id in keys]
        )
    found = consolidate(scope.cases, load_registry(session, as_of), as_of, config or RiskConfig())
    target = _target(request, blank)
    filling = rollup_filling(scope, found, profile, target)
    if products:
        company = {**filling.company, "scope": target.layout.scope_product}
        rows = [{"number": p, "name": products[p]} for p in request.products]
        filling = replace(filling, company=company, products=rows)  # type: ignore[arg-type]
    write_rollup(filling, target, out)
    suppliers = len({c.supplier.supplier_id for c in scope.cases})
    return Answer(out, check_file(out), suppliers, len(found.lines))


def keep_answer(session: Session, store: Path, answer: Answer, name: str, actor: str) -> StoredFile:
    """Put the answer file in the file store (content-addressed) and record it."""
    data = answer.path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    (store / sha[:2]).mkdir(parents=True, exist_ok=True)
    (store / sha[:2] / sha).write_bytes(data)
    decl = answer.result.declaration
    stored = StoredFile(
        survey_id=None,
        sha256=sha,
        size=len(data),
        path=f"{sha[:2]}/{sha}",
        original_name=name,
        uploaded_by=actor,
        check_status=answer.result.status,
        family=decl.family if decl else None,
        version=decl.version if decl else None,
    )
    session.add(stored)
    session.flush()
    return stored


def mark_answered(
    session: Session, request: CustomerRequest, stored: StoredFile, message_id: str, actor: str
) -> None:
    """The request is answered with this file, sent in this email (audited); the caller commits."""
    request.status = "answered"
    request.answered_at = dt.datetime.now(dt.UTC)
    request.answer_file_id = stored.id
    after = {
        "file": stored.id,
        "sha256": stored.sha256,
        "to": request.contact_email,
        "message_id": message_id,
    }
    session.add(
        AuditEvent(
            actor=actor,
            action="customer-request.answered",
            subject=f"customer-request:{request.id}",
            after=after,
        )
    )
