"""An upload arriving between a campaign recording a case's request and starting its survey waits for the
survey (real Temporal test server and worker); one whose survey never comes is refused as not started."""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflows"))

import test_portal_evidence  # noqa: E402
from sqlalchemy import select  # noqa: E402
from survey_kit import Kit, complete_filling, workbook  # noqa: E402
from test_portal_evidence import CADENCE, DAY, Portal  # noqa: E402

import console.portal  # noqa: E402
from activities.records import RecordActivities  # noqa: E402
from models.enums import CheckStatus, Stage  # noqa: E402
from models.files import StoredFile  # noqa: E402
from models.messages import SurveyInput, first_request  # noqa: E402
from models.survey import Survey  # noqa: E402

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
kit, sessions, smtp = test_portal_evidence.kit, test_portal_evidence.sessions, test_portal_evidence.smtp
portal = test_portal_evidence.portal


async def requested_case(kit: Kit, supplier_id: str) -> tuple[SurveyInput, str]:
    """A case whose request the campaign recorded and sent; its survey workflow not started yet."""
    inp, workflow_id = await kit.survey(supplier_id, CADENCE, due_in=10 * DAY)
    RecordActivities(kit.sessions).apply(first_request(workflow_id, inp)[0])
    return inp.model_copy(update={"requested": True, "request_sent": True}), workflow_id


async def upload(portal: Portal, case: int, data: bytes) -> tuple[int, str]:
    token = portal.token(case)
    csrf = CSRF.search((await portal.http.get(f"/upload/{token}")).text)
    assert csrf
    sent = await portal.http.post(
        f"/upload/{token}", data={"csrf": csrf.group(1)}, files={"file": ("cmrt.xlsx", data)}
    )
    return sent.status_code, sent.text


def files(kit: Kit, case: int) -> list[str]:
    with kit.sessions() as session:
        return list(session.scalars(select(StoredFile.check_status).where(StoredFile.survey_id == case)))


async def test_an_upload_just_before_its_survey_starts_waits_for_it_and_is_checked(
    portal: Portal, kit: Kit
) -> None:
    inp, workflow_id = await requested_case(kit, "W1")
    data = workbook(complete_filling((await kit.env.get_current_time()).date()))
    async with kit.worker():
        sending = asyncio.create_task(upload(portal, inp.survey_id, data))
        await asyncio.sleep(1.0)  # the supplier was quicker than the campaign's start
        await kit.start(inp, workflow_id)
        status, _ = await sending
    assert status == 303
    assert files(kit, inp.survey_id) == [CheckStatus.COMPLETE.value]
    with kit.sessions() as session:
        assert session.scalar(select(Survey.stage).where(Survey.id == inp.survey_id)) != Stage.REQUESTED


async def test_an_upload_whose_survey_never_starts_is_refused_as_not_started(
    portal: Portal, kit: Kit, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(console.portal, "SURVEY_START_WAIT", 0.5)
    inp, _ = await requested_case(kit, "W2")
    async with kit.worker():
        status, page = await upload(portal, inp.survey_id, b"PK\x03\x04 data")
    assert status == 409 and "has not started yet" in page
    assert files(kit, inp.survey_id) == [CheckStatus.REFUSED.value]
    with kit.sessions() as session:
        assert session.scalar(select(Survey.stage).where(Survey.id == inp.survey_id)) == Stage.REQUESTED
