"""Case records and the file store: a retried transition is written once; oversized uploads leave nothing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from survey_kit import add_supplier, make_campaign

from activities import RecordActivities
from activities.filestore import TooLarge, store_upload
from models.audit import AuditEvent
from models.enums import Stage
from models.files import StoredFile
from models.messages import Cadence, Transition
from models.survey import Survey

DUE = dt.datetime(2030, 3, 31, tzinfo=dt.UTC)


def survey_id(sessions: sessionmaker[Session]) -> int:
    add_supplier(sessions, "R1")
    make_campaign(sessions, "c1", ["R1"], DUE, Cadence())
    with sessions() as session:
        found = session.scalar(select(Survey.id))
        assert found is not None
        return found


def test_a_transition_updates_the_case_and_audits_it_once(sessions: sessionmaker[Session]) -> None:
    sid = survey_id(sessions)
    change = Transition(
        survey_id=sid,
        key="survey-c1-R1/r0/reminder-1",
        action="survey.reminded",
        stage=Stage.REMINDED,
        due_at=DUE,
        reminders_sent=1,
    )
    records = RecordActivities(sessions)
    records.apply(change)
    records.apply(change.model_copy(update={"reminders_sent": 9}))  # a retry after a lost reply
    with sessions() as session:
        survey = session.get(Survey, sid)
        assert survey is not None and (survey.stage, survey.reminders_sent) == (Stage.REMINDED, 1)
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "survey.reminded")).one()
    assert event.before is not None and event.after is not None
    assert (event.action, event.before["stage"], event.after["stage"]) == (
        "survey.reminded",
        "pending",
        "reminded",
    )


def test_an_oversized_upload_is_refused_and_nothing_is_kept(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    sid = survey_id(sessions)
    store = tmp_path / "files"
    with pytest.raises(TooLarge):
        store_upload(sessions, store, sid, io.BytesIO(b"x" * 2048), "big.xlsx", max_bytes=1024)
    kept = store_upload(sessions, store, sid, io.BytesIO(b"x" * 10), "../../etc/ok.xlsx", max_bytes=1024)
    assert [p.name for p in store.rglob("*") if p.is_file()] == [kept.sha256]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(StoredFile)) == 1
        row = session.get(StoredFile, kept.file_id)
        assert row is not None and (row.original_name, row.size) == ("ok.xlsx", 10)
