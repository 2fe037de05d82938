"""Every email kind, composed from a case as the worker composes it, in every language with a catalog:
findings, corrective actions and check messages included, no English sentence of ours in a translation."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from survey_kit import BASE_URL, SECRET, add_supplier, make_campaign

from activities.compose import EmailRenderer, compose
from activities.links import LinkSigner
from activities.notices import NoticeKind
from i18n import available, local_date
from models.corrective import CorrectiveAction
from models.enums import EmailKind
from models.files import StoredFile
from models.messages import Cadence, EmailRequest
from models.survey import Finding, Survey
from mrt.messages import render
from risk import wording as w

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "i18n"))
from english_kit import english_left  # noqa: E402

DUE = dt.datetime(2030, 3, 31, 23, 59, tzinfo=dt.UTC)
FINDING = w.NO_STATUS.format(metal="Tin", name="Smelter Z (CID000001)", on="2030-01-31")
OUTCOME = w.OUTCOMES[2].format(metal="Gold")


def case_with_everything(sessions: sessionmaker[Session], language: str) -> tuple[int, int, int]:
    """A case whose supplier reads `language`: a checked file with an issue, a finding, an action."""
    add_supplier(sessions, "L1", language, name="Supplier L", contact_name="Pat")
    make_campaign(sessions, "c1", ["L1"], DUE, Cadence())
    with sessions.begin() as session:
        survey_id = session.scalar(select(Survey.id))
        assert survey_id is not None
        message = render(
            "missing-required", {"kind": "company", "field": "name"}, language, "Declaration", "D8"
        )
        issue = {"sheet": "Declaration", "cell": "D8", "message": message, "severity": "error"}
        stored = StoredFile(
            survey_id=survey_id,
            sha256="0" * 64,
            size=1,
            path="x",
            original_name="cmrt.xlsx",
            issues=[issue],
            issue_count=1,
        )
        session.add(stored)
        session.flush()
        session.add(
            Finding(
                survey_id=survey_id,
                file_id=stored.id,
                code="smelter-not-conformant",
                severity="high",
                message=FINDING,
                metal="Tin",
                smelter_id="CID000001",
            )
        )
        action = CorrectiveAction(
            survey_id=survey_id,
            n=1,
            workflow_id="capa-c1-L1-1",
            kind="complete-smelter-list",
            group_key="complete-smelter-list:Gold",
            metal="Gold",
            severity="high",
            required_outcome=OUTCOME,
            findings=[{"code": "low-supplier-response", "message": w.LOW_RESPONSE.format(metal="Gold")}],
            opened_file_id=stored.id,
            status="open",
        )
        session.add(action)
        session.flush()
        return survey_id, stored.id, action.id


@pytest.mark.parametrize("language", available())
def test_every_kind_is_composed_in_the_supplier_language(
    sessions: sessionmaker[Session], language: str
) -> None:
    survey_id, file_id, action_id = case_with_everything(sessions, language)
    links = LinkSigner(SECRET, BASE_URL)
    for kind in EmailKind:
        req = EmailRequest(
            survey_id=survey_id,
            key=f"k/{kind}",
            kind=kind,
            due_at=DUE,
            file_id=file_id,
            reminders=1,
            action_id=action_id if kind.startswith("action-") else None,
        )
        with sessions() as session:
            mail = compose(session, req, EmailRenderer(), links, dt.timedelta(days=90), DUE).rendered
        assert mail.language == language and mail.subject, kind
        assert local_date(DUE, language) in mail.subject + mail.text or kind in (
            EmailKind.ACCEPTED,
            EmailKind.RISK_FOUND,
            EmailKind.ACTION_CLOSED,
            EmailKind.FIX_REQUEST,
        ), kind
        if language == "en":  # the check below finds our sentences where they are
            assert english_left(mail.text), kind
        else:
            assert english_left(mail.subject + "\n" + mail.text) == [], (kind, mail.text)
            assert english_left(mail.html) == [], (kind, mail.html)


def test_english_findings_and_actions_read_as_written(sessions: sessionmaker[Session]) -> None:
    survey_id, file_id, action_id = case_with_everything(sessions, "en")
    req = EmailRequest(
        survey_id=survey_id, key="k", kind=EmailKind.ACTION_REQUEST, due_at=DUE, action_id=action_id
    )
    with sessions() as session:
        mail = compose(
            session, req, EmailRenderer(), LinkSigner(SECRET, BASE_URL), dt.timedelta(days=90), DUE
        )
    assert OUTCOME in mail.rendered.text and "Mar 31, 2030" in mail.rendered.text


@pytest.mark.parametrize("language", available())
def test_outreach_letters_read_in_the_contact_language(language: str) -> None:
    context = {
        "name": "Lee",
        "smelter": "Acme Smelter",
        "smelter_id": "CID000001",
        "metal": "Tin",
        "suppliers": ["Supplier A", "Supplier B"],
        "follow_up": 1,
        "rmap_url": "https://rmi.test/rmap",
        "campaign": "RMAP",
        "template": "CID000001",
    }
    for kind in (NoticeKind.OUTREACH_LETTER, NoticeKind.OUTREACH_FOLLOW_UP):
        mail = EmailRenderer().render(cast(EmailKind, kind), language, context)
        assert "Acme Smelter" in mail.text and "Supplier A" in mail.html
        assert (english_left(mail.subject + "\n" + mail.text + mail.html) == []) == (language != "en"), kind
