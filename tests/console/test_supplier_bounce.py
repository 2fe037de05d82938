"""A supplier's email the relay refused, corrected on its page in the console: the open case sends the
refused request again to the new address (real Temporal test server, real relay, real activities)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import httpx
from console_kit import PASSWORD, SECRET

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / d) for d in ("workflows", "activities")]

from mail_relay import Relay, relay  # noqa: E402, F401
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402
from survey_kit import Kit, sessions, until  # noqa: E402, F401
from survey_kit import test_server as temporal_test_server  # noqa: E402
from temporalio.contrib.pydantic import pydantic_data_converter  # noqa: E402
from temporalio.testing import WorkflowEnvironment  # noqa: E402

from console.app import create_app  # noqa: E402
from models.messages import Cadence  # noqa: E402
from models.settings import Settings  # noqa: E402
from models.users import User  # noqa: E402

CADENCE = Cadence(reminder_every="1d", reminders=2, escalation_after="1d", reopen_window="1d")
CSRF = 'name="csrf" value="'


def _csrf(page: str) -> str:
    return page.split(CSRF, 1)[1].split('"', 1)[0]


async def test_a_corrected_email_on_the_supplier_page_resends_the_refused_request(
    tmp_path: Path,
    sessions: sessionmaker[Session],  # noqa: F811  # the fixture imported above
    relay: Relay,  # noqa: F811
    password_hash: str,
) -> None:
    relay.refuse.add("b1@supplier.test")
    with sessions.begin() as session:
        session.add(User(email="analyst@company.test", role="analyst", password_hash=password_hash))
    async with await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=temporal_test_server(), data_converter=pydantic_data_converter
    ) as env:
        kit = Kit(env, sessions, relay, tmp_path / "files")  # type: ignore[arg-type]  # a sink by its port
        inp, workflow_id = await kit.survey("B1", CADENCE, due_in=dt.timedelta(days=10))
        settings = Settings(data_dir=str(tmp_path), upload_secret=SECRET, public_base_url="http://testserver")
        app = create_app(settings, sessions=sessions, client=env.client)
        async with (
            kit.worker(),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://testserver"
            ) as browser,
        ):
            await kit.start(inp, workflow_id)
            await until(lambda: relay.messages, "the owner is told of the bounce")
            assert [m["X-Minerals-Kind"] for m in relay.messages] == ["bounce-notice"]

            login = (await browser.get("/login")).text
            form = {"email": "analyst@company.test", "password": PASSWORD, "csrf": _csrf(login), "next": "/"}
            assert (await browser.post("/login", data=form)).status_code == 303
            listed = (await browser.get("/suppliers?bounced=1")).text
            assert "B1" in listed and "bounced (1)" in listed

            page = (await browser.get("/suppliers/B1")).text
            form = {"csrf": _csrf(page), "name": "Supplier B1", "contact": "", "email": "orders@b1.test"}
            saved = await browser.post("/suppliers/B1", data=form, follow_redirects=True)
            assert "its open cases send a refused email again" in saved.text
            await until(lambda: len(relay.messages) == 2, "the refused request, sent again")
            resent = relay.messages[1]
            assert (resent["X-Minerals-Kind"], resent["X-Envelope-To"]) == ("request", "orders@b1.test")

            async def resolved() -> bool:  # by the resend, marked sent just after the relay took it
                return "B1" not in (await browser.get("/suppliers?bounced=1")).text

            await until(resolved, "the bounce resolved by the resend")
