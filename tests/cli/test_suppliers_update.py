"""`minerals suppliers update`: a corrected address is saved with its audit event and reaches the open
case, which sends the refused email again; `cases show` and `campaign status` show the bounce meanwhile."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest
from mail_relay import Relay
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from survey_kit import Kit, add_supplier, make_campaign, until
from survey_kit import test_server as temporal_test_server
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from typer.testing import CliRunner

from cases.contact import update_contact
from cli.main import app
from models.audit import AuditEvent
from models.corrective import CorrectiveAction
from models.enums import ActionStatus, Stage
from models.files import StoredFile
from models.messages import Cadence
from models.supplier import Supplier
from models.survey import Survey

runner = CliRunner()
CADENCE = Cadence(reminder_every="1d", reminders=2, escalation_after="1d", reopen_window="1d")


@pytest.fixture
def cli_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    """The CLI on the test's database (nothing listens at the Temporal address unless a test says so)."""
    return {"MINERALS_DATA_DIR": str(tmp_path / "data"), "MINERALS_DATABASE_URL": database_url}


def cli(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, " ".join(result.output.split())


def supplier(sessions: sessionmaker[Session], supplier_id: str) -> Supplier:
    with sessions() as session:
        found = session.scalar(select(Supplier).where(Supplier.supplier_id == supplier_id))
        assert found is not None
        return found


def test_a_bad_address_or_unknown_supplier_is_refused_and_changes_nothing(
    sessions: sessionmaker[Session], cli_env: dict[str, str]
) -> None:
    add_supplier(sessions, "S1", contact_name="Pat")
    code, out = cli(cli_env, "suppliers", "update", "S1", "--email", "orders at s1")
    assert code == 2 and "'orders at s1' is not an email address" in out
    code, out = cli(cli_env, "suppliers", "update", "S9", "--email", "a@s9.test")
    assert code == 2 and "no supplier 'S9'" in out
    code, out = cli(cli_env, "suppliers", "update", "S1")
    assert code == 2 and "nothing to change" in out
    assert supplier(sessions, "S1").email == "s1@supplier.test"


def test_a_correction_is_saved_with_its_audit_event(
    sessions: sessionmaker[Session], cli_env: dict[str, str]
) -> None:
    add_supplier(sessions, "S1", contact_name="Pat")
    code, out = cli(
        cli_env,
        "suppliers",
        "update",
        "S1",
        "--email",
        "Orders@S1.test",
        "--contact",
        "Kim",
        "--by",
        "ann@company.test",
    )
    assert code == 0, out
    assert "email s1@supplier.test -> orders@s1.test" in out and "contact_name Pat -> Kim" in out
    found = supplier(sessions, "S1")
    assert (found.email, found.contact_name) == ("orders@s1.test", "Kim")
    with sessions() as session:
        (event,) = session.scalars(select(AuditEvent).where(AuditEvent.action == "supplier.updated")).all()
    assert event.actor == "ann@company.test" and event.subject == "supplier:S1"
    assert event.before == {"email": "s1@supplier.test", "contact_name": "Pat"}
    code, out = cli(cli_env, "suppliers", "update", "S1", "--contact", "Kim")
    assert code == 0 and "already so, nothing changed" in out


async def test_a_bounce_is_shown_and_the_corrected_address_reaches_the_open_case(
    tmp_path: Path, sessions: sessionmaker[Session], relay: Relay, cli_env: dict[str, str]
) -> None:
    relay.refuse.add("b1@supplier.test")
    async with await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=temporal_test_server(), data_converter=pydantic_data_converter
    ) as env:
        kit = Kit(env, sessions, relay, tmp_path / "files")  # type: ignore[arg-type]  # a sink by its port
        inp, workflow_id = await kit.survey("B1", CADENCE, due_in=dt.timedelta(days=10))
        cli_env["MINERALS_TEMPORAL_ADDRESS"] = env.client.service_client.config.target_host
        async with kit.worker():
            await kit.start(inp, workflow_id)
            await until(lambda: relay.messages, "the owner is told of the bounce")
            assert [m["X-Minerals-Kind"] for m in relay.messages] == ["bounce-notice"]
            assert relay.messages[0]["X-Envelope-To"] == "buyer@company.test"

            code, out = await asyncio.to_thread(cli, cli_env, "cases", "show", str(inp.survey_id), "--json")
            shown = json.loads(out)
            assert shown["email_faults"]["bounced"] == 1 and "550" in shown["email_faults"]["last_error"]
            assert [e["kind"] for e in shown["emails"] if e["bounced_at"]] == ["request"]
            code, out = await asyncio.to_thread(cli, cli_env, "cases", "show", str(inp.survey_id))
            assert "1 bounced; last error: b1@supplier.test refused: 550" in out and "BOUNCED" in out
            assert "Correct the refused address: minerals suppliers update B1 --email NEW-ADDRESS" in out
            code, out = await asyncio.to_thread(cli, cli_env, "campaign", "status", "c-B1", "--json")
            assert json.loads(out)["emails"]["bounced"] == 1
            code, out = await asyncio.to_thread(cli, cli_env, "cases", "list", "--bounced", "--json")
            assert [c["id"] for c in json.loads(out)] == [inp.survey_id]
            code, out = await asyncio.to_thread(cli, cli_env, "campaign", "status", "c-B1")
            assert "Emails: 1 bounced; last error: b1@supplier.test refused: 550" in out
            assert "minerals cases list --campaign c-B1 --bounced" in out

            args = ("suppliers", "update", "B1", "--email", "orders@b1.test")
            code, out = await asyncio.to_thread(cli, cli_env, *args)
            assert code == 0 and f"1 open case(s) told of the new address: {workflow_id}" in out
            await until(lambda: len(relay.messages) == 2, "the refused request, sent again")
            resent = relay.messages[1]
            assert (resent["X-Minerals-Kind"], resent["X-Envelope-To"]) == ("request", "orders@b1.test")
            code, out = await asyncio.to_thread(cli, cli_env, "campaign", "status", "c-B1", "--json")
            assert json.loads(out)["emails"]["bounced"] == 0  # resolved by the email sent since
            code, out = await asyncio.to_thread(cli, cli_env, "cases", "list", "--bounced", "--json")
            assert json.loads(out) == []


def test_the_open_surveys_and_their_open_actions_are_the_ones_told(sessions: sessionmaker[Session]) -> None:
    add_supplier(sessions, "S1")
    for name in ("open", "risky", "done"):
        make_campaign(sessions, name, ["S1"], dt.datetime(2030, 3, 31, tzinfo=dt.UTC), CADENCE)
    with sessions.begin() as session:
        surveys = {s.workflow_id.split("-")[1]: s for s in session.scalars(select(Survey))}
        surveys["risky"].stage, surveys["done"].stage = Stage.RISK_FOUND.value, Stage.ACCEPTED.value
        stored = StoredFile(
            survey_id=surveys["risky"].id, sha256="0" * 64, size=1, path="x", original_name="f"
        )
        session.add(stored)
        session.flush()
        for n, status in ((1, ActionStatus.OPEN), (2, ActionStatus.WAIVED)):
            session.add(
                CorrectiveAction(
                    survey_id=surveys["risky"].id,
                    n=n,
                    workflow_id=f"capa-risky-S1-{n}",
                    kind="not-conformant",
                    group_key=f"k{n}",
                    severity="high",
                    required_outcome="x",
                    status=status.value,
                    opened_file_id=stored.id,
                )
            )
    change = update_contact(sessions, "S1", "ann@company.test", email="orders@s1.test")
    assert change.workflows == ["survey-open-S1", "survey-risky-S1", "capa-risky-S1-1"]
    assert update_contact(sessions, "S1", "ann@company.test", contact="Kim").workflows == []  # no new address
