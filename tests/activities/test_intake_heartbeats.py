"""Checking and assessing an upload heartbeat while they run, so a dead worker is noticed in seconds."""

from __future__ import annotations

import datetime as dt
import io
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from survey_kit import MAX_BYTES, add_supplier, complete_filling, make_campaign, workbook
from temporalio.testing import ActivityEnvironment

import activities.blocking
import activities.intake
from activities import IntakeActivities
from activities.filestore import store_upload
from models.enums import CheckStatus
from models.messages import Cadence, FileRef
from models.survey import Survey


def uploaded(sessions: sessionmaker[Session], store: Path) -> FileRef:
    add_supplier(sessions, "H1")
    make_campaign(sessions, "c-H1", ["H1"], dt.datetime(2030, 3, 31, tzinfo=dt.UTC), Cadence())
    with sessions() as session:
        survey_id = session.scalars(select(Survey.id)).one()
    data = workbook(complete_filling(dt.date.today()))
    upload = store_upload(sessions, store, survey_id, io.BytesIO(data), "cmrt.xlsx", max_bytes=MAX_BYTES)
    return FileRef(
        survey_id=survey_id,
        file_id=upload.file_id,
        sha256=upload.sha256,
        size=upload.size,
        max_bytes=MAX_BYTES,
    )


@pytest.mark.parametrize("step", ["check_upload", "assess_upload"])
async def test_check_and_assess_heartbeat_while_the_file_is_read(
    step: str, sessions: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = uploaded(sessions, tmp_path / "files")
    beats: list[Any] = []
    read = threading.Event()
    slow_reader = activities.intake.check_file

    def slow_check(*args: Any, **kwargs: Any) -> Any:  # a large file: reading takes a while
        read.wait(10)  # (without heartbeats the assertion below fails after this wait)
        return slow_reader(*args, **kwargs)

    monkeypatch.setattr(activities.intake, "check_file", slow_check)
    monkeypatch.setattr(activities.blocking, "HEARTBEAT_EVERY", 0.02)
    env = ActivityEnvironment()

    def heartbeat(*details: Any) -> None:
        beats.append(details)
        if len(beats) >= 3:
            read.set()

    env.on_heartbeat = heartbeat
    intake = IntakeActivities(sessions, tmp_path / "files")
    outcome = await env.run(getattr(intake, step), ref)
    assert len(beats) >= 3  # the file was read only after three heartbeats went out
    if step == "check_upload":
        assert outcome.status == CheckStatus.COMPLETE
