"""Customers' requests for our CMRT/EMRT in the console: open ones first, overdue ones marked."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import case, select

from console.render import page
from console.security import Staff, require
from console.state import state
from models.customer_request import OPEN, CustomerRequest
from models.users import Role

router = APIRouter()
Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]


@router.get("/customer-requests", response_class=HTMLResponse)
def customer_requests(request: Request, staff: Viewer) -> HTMLResponse:
    """Every request: open ones by due date, then answered ones, newest first."""
    with state(request).sessions() as session:
        rows = list(
            session.scalars(
                select(CustomerRequest)
                .order_by(case((CustomerRequest.status == OPEN, 0), else_=1), CustomerRequest.due_date)
                .limit(500)
            )
        )
    context = {"staff": staff, "requests": rows, "today": dt.date.today(), "open": OPEN}
    return page(request, "customer_requests.html", context)
