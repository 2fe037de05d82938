"""`minerals campaign pause|resume NAME`: recorded on the campaign, told to each open case, whose reminders
wait until resumed; a campaign not started yet, or unknown, is refused in plain words."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from mail_relay import Relay
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from survey_kit import Kit, add_supplier, make_campaign, until
from survey_kit import test_server as temporal_test_server
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from typer.testing import CliRunner

from cases.campaigns import reminders_paused
from cli.main import app
from models.audit import AuditEvent
from models.campaign import Campaign
from models.enums import CampaignStatus
from models.messages import Cadence

runner = CliRunner()
DAY = dt.timedelta(days=1)
CADENCE = Cadence(reminder_every="2d", reminders=2, escalation_after="2d", reopen_window="1d")


def cli(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, " ".join(result.output.split())


def _env(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {"MINERALS_DATA_DIR": str(tmp_path / "data"), "MINERALS_DATABASE_URL": database_url}


def _events(sessions: sessionmaker[Session], action: str) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).where(AuditEvent.action == action)) or 0


def test_an_unknown_or_unstarted_campaign_is_refused(
    tmp_path: Path, sessions: sessionmaker[Session], database_url: str
) -> None:
    env = _env(tmp_path, database_url)
    add_supplier(sessions, "S1")
    make_campaign(sessions, "C1", ["S1"], dt.datetime(2030, 3, 31, tzinfo=dt.UTC), CADENCE)
    code, out = cli(env, "campaign", "pause", "NOPE")
    assert code == 2 and "no campaign named 'NOPE' (campaigns: C1)" in out
    code, out = cli(env, "campaign", "pause", "C1")
    assert code == 2 and "campaign C1 is created" in out and "(1 not yet)" in out
    assert _events(sessions, "campaign.reminders-paused") == 0


async def test_pause_holds_every_open_case_until_resume(
    tmp_path: Path, sessions: sessionmaker[Session], relay: Relay, database_url: str
) -> None:
    env = _env(tmp_path, database_url)
    async with await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=temporal_test_server(), data_converter=pydantic_data_converter
    ) as temporal:
        kit = Kit(temporal, sessions, relay, tmp_path / "files")  # type: ignore[arg-type]  # a sink by its port
        inp, workflow_id = await kit.survey("P1", CADENCE, due_in=30 * DAY)
        with sessions.begin() as session:
            campaign = session.scalar(select(Campaign).where(Campaign.name == "c-P1"))
            assert campaign is not None
            campaign.status = CampaignStatus.STARTED.value  # the survey is started by the test itself
            campaign_id = campaign.id
        env["MINERALS_TEMPORAL_ADDRESS"] = temporal.client.service_client.config.target_host
        async with kit.worker():
            await kit.start(inp, workflow_id)
            await until(lambda: len(relay.messages) == 1, "the request")
            code, out = await asyncio.to_thread(
                cli, env, "campaign", "pause", "c-P1", "--reason", "audit week"
            )
            assert code == 0 and "Campaign c-P1: reminders paused on 1 running case(s)" in out
            with sessions() as session:
                assert reminders_paused(session, campaign_id)
            await until(lambda: _events(sessions, "survey.reminders-paused") == 1, "the case paused")
            code, out = await asyncio.to_thread(cli, env, "campaign", "status", "c-P1", "--no-wait")
            assert "Reminders are paused: minerals campaign resume c-P1" in out
            await temporal.sleep(9 * DAY)  # two reminders and the escalation were due by day 8
            assert [m["X-Minerals-Kind"] for m in relay.messages] == ["request"]

            code, out = await asyncio.to_thread(cli, env, "campaign", "resume", "c-P1")
            assert code == 0 and "reminders resumed on 1 running case(s)" in out
            with sessions() as session:
                assert not reminders_paused(session, campaign_id)
            await until(lambda: _events(sessions, "survey.reminders-resumed") == 1, "the case resumed")
            await temporal.sleep(2 * DAY)
            await until(lambda: len(relay.messages) == 2, "the first reminder, two days after the resume")
            assert relay.messages[1]["X-Minerals-Kind"] == "reminder"
