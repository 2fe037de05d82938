"""/suppliers: the directory (search, pages), create, correct a contact, bulk upsert by supplier_id."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy import select

from cases.contact import ContactError, tell_workflows, update_contact
from cases.gateway import WorkflowUnavailable
from cases.supplier_directory import SORTS, find_suppliers
from cases.supplier_list import OPTIONAL, REQUIRED, SupplierRow, upsert_suppliers, validate_records
from console.api.auth import Analyst, Viewer
from console.api.problems import Problem
from console.state import state
from models.supplier import Supplier

router = APIRouter(prefix="/suppliers", tags=["suppliers"])
COLUMNS = [*REQUIRED, *OPTIONAL]


class SupplierIn(BaseModel):
    """A supplier as the import file has it (the same checks apply)."""

    supplier_id: str = Field(max_length=64)
    name: str = Field(max_length=300)
    email: str = Field(max_length=320)
    contact_name: str = Field("", max_length=200)
    language: str = Field("en", max_length=8)
    owner_email: str = Field("", max_length=320)
    minerals: list[str] = Field(default_factory=list, max_length=20)

    def cells(self) -> list[str]:
        """The supplier as one line of a supplier list."""
        values = self.model_dump()
        values["minerals"] = ";".join(self.minerals)
        return [str(values.get(column, "")) for column in COLUMNS]


class ContactIn(BaseModel):
    """Fields to correct; those left out stay as they are."""

    email: str | None = Field(None, max_length=320)
    name: str | None = Field(None, max_length=300)
    contact_name: str | None = Field(None, max_length=200)


def rows_of(suppliers: list[SupplierIn]) -> list[SupplierRow]:
    """Validated rows (item n is line n), or a 422 problem listing every bad item."""
    result = validate_records([(0, COLUMNS), *((n, s.cells()) for n, s in enumerate(suppliers, 1))])
    if not result.ok:
        errors = [{"item": e.line, "message": e.reason} for e in result.errors]
        text = "; ".join(f"item {e.line}: {e.reason}" if e.line else e.reason for e in result.errors[:20])
        raise Problem(422, f"nothing was saved: {text}", "invalid-suppliers", errors=errors)
    return result.rows


def _one(request: Request, supplier_id: str) -> dict[str, object]:
    with state(request).sessions() as session:
        found = session.scalar(select(Supplier).where(Supplier.supplier_id == supplier_id))
        if found is None:
            raise Problem(404, f"there is no supplier {supplier_id}")
        fields = ("supplier_id", "name", "email", "contact_name", "language", "owner_email", "minerals")
        return {f: getattr(found, f) for f in fields}


@router.get("")
def list_suppliers(
    request: Request,
    caller: Viewer,
    q: Annotated[str, Query(max_length=100)] = "",
    sort: Annotated[str, Query(pattern="^(" + "|".join(SORTS) + ")$")] = "id",
    desc: bool = False,
    after: Annotated[str, Query(max_length=400)] = "",
) -> dict[str, object]:
    """Suppliers whose id, name, contact or email contains `q`, a page at a time (`after` = `next_after`)."""
    with state(request).sessions() as session:
        found = find_suppliers(session, q, sort=sort, desc=desc, after=after)
    return {"items": [asdict(row) for row in found.rows], "next_after": found.next_after}


@router.get("/{supplier_id}")
def show_supplier(request: Request, supplier_id: str, caller: Viewer) -> dict[str, object]:
    """One supplier."""
    return _one(request, supplier_id)


@router.post("", status_code=201)
def create_supplier(request: Request, supplier: SupplierIn, caller: Analyst) -> dict[str, object]:
    """Add a supplier; 409 when its supplier_id exists (use PATCH or the bulk upsert)."""
    rows = rows_of([supplier])
    with state(request).sessions() as session:
        if session.scalar(select(Supplier.id).where(Supplier.supplier_id == rows[0].supplier_id)):
            raise Problem(409, f"supplier {rows[0].supplier_id} exists already", "supplier-exists")
    upsert_suppliers(state(request).sessions, rows, actor=caller.actor)
    return _one(request, rows[0].supplier_id)


@router.put("")
def upsert(
    request: Request, suppliers: Annotated[list[SupplierIn], Field(max_length=10_000)], caller: Analyst
) -> dict[str, int]:
    """Create or update suppliers by supplier_id in one transaction; nothing is saved when any is bad."""
    rows = rows_of(suppliers)
    created, updated = upsert_suppliers(state(request).sessions, rows, actor=caller.actor)
    return {
        "received": len(rows),
        "created": created,
        "updated": updated,
        "unchanged": len(rows) - created - updated,
    }


@router.patch("/{supplier_id}")
async def correct_contact(
    request: Request, supplier_id: str, change: ContactIn, caller: Analyst
) -> dict[str, object]:
    """Correct a supplier's email, name or contact person; a new email reaches its open cases."""
    factory = state(request).sessions
    try:
        update = await run_in_threadpool(
            update_contact,
            factory,
            supplier_id,
            caller.actor,
            email=change.email,
            name=change.name,
            contact=change.contact_name,
        )
    except ContactError as exc:
        status = 404 if str(exc).startswith("no supplier") else 422
        raise Problem(status, str(exc)) from None
    untold: list[str] = []
    if update.workflows:
        try:
            _, untold = await tell_workflows(await state(request).gateway.client(), update, caller.actor)
        except (WorkflowUnavailable, RuntimeError):
            untold = ["Temporal is not reachable: PATCH again to tell the open cases"]
    body = await run_in_threadpool(_one, request, supplier_id)
    return {**body, "changed": sorted(update.changed), "untold": untold}
