"""The supplier directory (search, a page at a time) and contact corrections, from a supplier's page or a
case page: an email change makes the open cases send a refused email again to the new address."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from cases.contact import ContactError, ContactUpdate, tell_workflows, update_contact
from cases.gateway import WorkflowUnavailable
from cases.supplier_directory import SORTS, find_suppliers, supplier_cases
from console.render import page
from console.security import Staff, check_csrf, require
from console.state import state
from models.supplier import Supplier
from models.survey import Survey
from models.users import Role

router = APIRouter()
Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]
Analyst = Annotated[Staff, Depends(require(Role.ANALYST))]
NOTICES = {
    "saved": "Supplier saved.",
    "told": "Supplier saved; its open cases send a refused email again to the new address.",
    "untold": "Supplier saved, but not every open case could be told (Temporal away): save again to retry.",
}


@router.get("/suppliers", response_class=HTMLResponse)
def directory(
    request: Request,
    staff: Viewer,
    q: str = "",
    bounced: str = "",
    sort: str = "id",
    dir: str = "",  # noqa: A002  # the query parameter's name, as on the case list
    after: str = "",
) -> HTMLResponse:
    """The suppliers, searched by id, name, contact or email, sorted, a page at a time."""
    wanted = {
        "q": q.strip()[:100],
        "bounced": "1" if bounced in {"1", "on"} else "",
        "sort": sort if sort in SORTS else "id",
        "dir": "desc" if dir == "desc" else "",
    }
    with state(request).sessions() as session:
        found = find_suppliers(
            session,
            wanted["q"],
            bounced=bool(wanted["bounced"]),
            sort=wanted["sort"],
            desc=bool(wanted["dir"]),
            after=after[:700],
        )
    context = {"staff": staff, "f": wanted, "sorts": list(SORTS), "after": after, "found": found}
    return page(request, "suppliers.html", context)


def _supplier_page(request: Request, staff: Staff, supplier_id: str, **extra: object) -> HTMLResponse:
    with state(request).sessions() as session:
        found = supplier_cases(session, supplier_id)
        if found is None:
            raise HTTPException(404, f"there is no supplier {supplier_id}")
        session.expunge_all()
    supplier, cases = found
    context = {"staff": staff, "supplier": supplier, "cases": cases, "notice": "", "error": "", **extra}
    return page(request, "supplier.html", context, status_code=400 if extra.get("error") else 200)


@router.get("/suppliers/{supplier_id}", response_class=HTMLResponse)
def supplier_page(request: Request, supplier_id: str, staff: Viewer, done: str = "") -> HTMLResponse:
    """One supplier: its contact (editable by analysts) and its cases."""
    return _supplier_page(request, staff, supplier_id, notice=NOTICES.get(done, ""))


async def _tell(request: Request, change: ContactUpdate, actor: str) -> list[str]:
    """Tell the open cases of a changed address; the problems (none when all were told)."""
    if not change.workflows:
        return []
    try:
        _, problems = await tell_workflows(await state(request).gateway.client(), change, actor)
    except (WorkflowUnavailable, RuntimeError):
        problems = ["Temporal is not reachable"]
    return problems


@router.post("/suppliers/{supplier_id}", dependencies=[Depends(check_csrf)])
async def save_supplier(
    request: Request,
    supplier_id: str,
    staff: Analyst,
    name: Annotated[str, Form(max_length=300)],
    email: Annotated[str, Form(max_length=320)],
    contact: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Save the supplier's name, contact and email (audited); a new email is told to its open cases."""
    factory = state(request).sessions
    try:
        # The address is told to the open cases even when unchanged: saving again reaches those a first
        # try could not; a case with nothing refused ignores it.
        change = await run_in_threadpool(
            update_contact, factory, supplier_id, staff.email, email=email, name=name, contact=contact
        )
    except ContactError as exc:
        if str(exc).startswith("no supplier"):
            raise HTTPException(404, f"there is no supplier {supplier_id}") from None
        return await run_in_threadpool(_supplier_page, request, staff, supplier_id, error=str(exc))
    problems = await _tell(request, change, staff.email)
    done = "untold" if problems else ("told" if "email" in change.changed and change.workflows else "saved")
    return RedirectResponse(f"/suppliers/{supplier_id}?done={done}", status_code=303)


def _case_of(request: Request, supplier_id: str, case: int) -> None:
    """404 unless the case is this supplier's (the form names both)."""
    query = (
        select(Survey.id)
        .join(Supplier, Supplier.id == Survey.supplier_id)
        .where(Survey.id == case, Supplier.supplier_id == supplier_id)
    )
    with state(request).sessions() as session:
        if session.scalar(query) is None:
            raise HTTPException(404, f"case {case} is not a case of supplier {supplier_id}")


@router.post("/suppliers/{supplier_id}/contact", dependencies=[Depends(check_csrf)])
async def correct_contact(
    request: Request,
    supplier_id: str,
    staff: Analyst,
    case: Annotated[int, Form(ge=1)],
    email: Annotated[str, Form(max_length=320)],
    contact: Annotated[str | None, Form(max_length=200)] = None,
) -> Response:
    """Save the supplier's corrected address (audited) and tell its open cases."""
    await run_in_threadpool(_case_of, request, supplier_id, case)
    factory = state(request).sessions
    try:
        change = await run_in_threadpool(
            update_contact, factory, supplier_id, staff.email, email=email, contact=contact
        )
    except ContactError as exc:
        raise HTTPException(400, str(exc)) from None
    done = "contact-untold" if await _tell(request, change, staff.email) else "contact"  # again: tells them
    return RedirectResponse(f"/cases/{case}?done={done}#contact", status_code=303)
