"""Uploads a case does not take: a survey not started yet says so, a racing upload is marked refused."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from survey_kit import MAX_BYTES, Kit, complete_filling, survey_of, workbook
from temporalio import activity

from activities import IntakeActivities
from cases.case_view import case_detail
from cases.start import not_started
from cli.cases import SubmitRefused, submit_file
from models.campaign import Campaign
from models.enums import ActivityName, CampaignStatus, CheckStatus, Stage
from models.files import StoredFile
from models.messages import Cadence, CheckOutcome, FileRef
from models.settings import Settings
from models.survey import Survey

CADENCE = Cadence(reminder_every="10d", reminders=1, escalation_after="5d")


class HeldCheck:
    """The real check behind a gate: the first upload stays 'being checked' while a second arrives."""

    def __init__(self, kit: Kit) -> None:
        self._real = IntakeActivities(kit.sessions, kit.store)
        self.entered, self.release = asyncio.Event(), asyncio.Event()

    @activity.defn(name=ActivityName.CHECK_UPLOAD)
    async def check_upload(self, ref: FileRef) -> CheckOutcome:
        self.entered.set()
        await self.release.wait()
        return await self._real.check_upload(ref)


def settings_of(kit: Kit, database_url: str, tmp_path: Path) -> Settings:
    """The settings a staff member's CLI would have for this kit's database and file store."""
    return Settings(
        data_dir=str(tmp_path),
        database_url=database_url,
        file_store_dir=str(kit.store),
        max_upload_bytes=MAX_BYTES,
    )


async def template_file(kit: Kit, tmp_path: Path, name: str) -> Path:
    today = (await kit.env.get_current_time()).date()
    path = tmp_path / name
    path.write_bytes(workbook(complete_filling(today)))
    return path


def file_row(kit: Kit, file_id: int) -> StoredFile:
    with kit.sessions() as session:
        row = session.get(StoredFile, file_id)
        assert row is not None
        return row


async def test_an_upload_to_a_case_not_started_yet_says_so_and_stores_nothing(
    kit: Kit, database_url: str, tmp_path: Path
) -> None:
    inp, workflow_id = await kit.survey("NS1", CADENCE, dt.timedelta(days=30))  # enrolled, never started
    upload = await template_file(kit, tmp_path, "cmrt.xlsx")
    with pytest.raises(SubmitRefused) as refused:
        await submit_file(
            kit.client, settings_of(kit, database_url, tmp_path), inp.survey_id, workflow_id, upload, "staff"
        )
    said = str(refused.value)
    assert "not started yet" in said and "c-NS1" in said and "workflow not found" not in said
    with kit.sessions() as session:
        assert session.scalar(select(func.count()).select_from(StoredFile)) == 0
        detail = case_detail(session, inp.survey_id)
    assert detail is not None and "not started yet" in str(detail["not_started"])


async def test_a_case_waiting_for_its_turn_says_how_many_are_before_it_and_when(kit: Kit) -> None:
    for supplier_id in ("Q1", "Q2", "Q3"):
        await kit.survey(supplier_id, CADENCE, dt.timedelta(days=30))
    now = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)
    with kit.sessions.begin() as session:
        first = survey_of(kit.sessions, "survey-c-Q1-Q1")
        rows = session.scalars(select(Survey).order_by(Survey.id)).all()
        for row in rows:  # one campaign of three cases: the first has its request, two wait
            row.campaign_id = first.campaign_id
        rows[0].stage = Stage.REQUESTED.value
        campaign = session.get(Campaign, first.campaign_id)
        assert campaign is not None
        campaign.status, campaign.started_at = CampaignStatus.STARTING.value, now - dt.timedelta(seconds=10)
        said = not_started(session, rows[2], campaign, now)
        assert not_started(session, rows[0], campaign, now) is None
    # One case took 10 s; this one is second in line: about 20 s.
    assert said == (
        f"not started yet: campaign {campaign.name} is starting its surveys, 1 before this one; "
        "expected in about 20 s (around 09:00:20 UTC)"
    )


async def test_an_upload_racing_another_is_marked_refused_with_the_reason(
    kit: Kit, database_url: str, tmp_path: Path
) -> None:
    inp, workflow_id = await kit.survey("RACE1", CADENCE, dt.timedelta(days=30))
    settings = settings_of(kit, database_url, tmp_path)
    held = HeldCheck(kit)
    first_file = await template_file(kit, tmp_path, "first.xlsx")
    second_file = await template_file(kit, tmp_path, "second.xlsx")
    async with kit.worker(held.check_upload):
        await kit.start(inp, workflow_id)
        first = asyncio.create_task(
            submit_file(kit.client, settings, inp.survey_id, workflow_id, first_file, "staff")
        )
        await asyncio.wait_for(held.entered.wait(), 30)
        with pytest.raises(SubmitRefused) as refused:
            await submit_file(
                kit.client, settings, inp.survey_id, workflow_id, second_file, "supplier-contact"
            )
        held.release.set()
        outcome = await first
    assert "already being checked" in str(refused.value)  # the person who sent it is told
    with kit.sessions() as session:
        rows = session.scalars(select(StoredFile).order_by(StoredFile.id)).all()
    assert [r.check_status for r in rows] == [CheckStatus.COMPLETE, CheckStatus.REFUSED]
    assert outcome.file_id == rows[0].id
    reason = rows[1].issues[0]["message"]
    assert "already being checked" in reason and f"file {rows[1].id} refused" in str(refused.value)
