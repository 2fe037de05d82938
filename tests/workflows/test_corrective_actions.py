"""Corrective actions under time-skipping: opened from findings, followed up, escalated, decided, resolved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from survey_kit import Kit, complete_filling, survey_of, until, workbook
from temporalio.client import WorkflowFailureError, WorkflowHandle, WorkflowUpdateFailedError

from models.corrective import ActionEvent, ActionEvidence, CorrectiveAction
from models.enums import ActionStatus, Decision, Stage
from models.messages import ActionDecision, ActionInput, Cadence, CloseCase, ContactChanged, SubmitEvidence
from models.outbox import EmailMessage
from models.supplier import Supplier
from workflows import CorrectiveActionWorkflow, SurveyWorkflow

DAY = dt.timedelta(days=1)
CADENCE = Cadence(reminder_every="2d", reminders=3, escalation_after="1d", reopen_window="1d")


def risky(today: dt.date, policy: bool = False) -> bytes:
    """Tin from covered countries (a high finding) and, unless `policy`, no sourcing policy (medium)."""
    filling = complete_filling(today)
    filling.answers["Q3"]["Tin"] = "Yes"
    filling.company_answers["A"] = "Yes" if policy else "No"
    return workbook(filling)


def actions(kit: Kit, survey_id: int) -> dict[str, CorrectiveAction]:
    with kit.sessions() as session:
        rows = session.scalars(select(CorrectiveAction).where(CorrectiveAction.survey_id == survey_id))
        return {a.kind: a for a in rows}


def timeline(kit: Kit, action_id: int) -> list[str]:
    with kit.sessions() as session:
        query = select(ActionEvent.event).where(ActionEvent.action_id == action_id).order_by(ActionEvent.id)
        return list(session.scalars(query))


def outbox(kit: Kit, survey_id: int) -> list[tuple[str, list[str]]]:
    with kit.sessions() as session:
        query = select(EmailMessage).where(EmailMessage.survey_id == survey_id).order_by(EmailMessage.id)
        return [(m.kind, m.to) for m in session.scalars(query)]


def child(kit: Kit, supplier: str, n: int) -> WorkflowHandle[Any, Any]:
    if f"capa-c-{supplier}-{supplier}-{n}" not in kit.tracked:  # its history joins the replay corpus
        kit.tracked.append(f"capa-c-{supplier}-{supplier}-{n}")
    return kit.client.get_workflow_handle_for(
        CorrectiveActionWorkflow.run, f"capa-c-{supplier}-{supplier}-{n}"
    )


async def decide(handle: WorkflowHandle[Any, Any], decision: Decision, **kw: Any) -> Any:
    return await handle.execute_update(
        CorrectiveActionWorkflow.decide, ActionDecision(decision=decision, actor="staff@company.test", **kw)
    )


async def test_risky_declaration_opens_actions_that_follow_up_escalate_and_close_only_by_decision(
    kit: Kit,
) -> None:
    inp, wid = await kit.survey("C1", CADENCE, due_in=10 * DAY)
    async with kit.worker():
        handle = await kit.start(inp, wid)
        today = (await kit.env.get_current_time()).date()
        outcome = await handle.execute_update(
            SurveyWorkflow.submit_upload, kit.upload(inp.survey_id, risky(today))
        )
        assert outcome.stage == Stage.RISK_FOUND
        opened = actions(kit, inp.survey_id)
        assert {k: (a.n, a.severity) for k, a in opened.items()} == {
            "sourcing-risk": (1, "high"),
            "sourcing-policy": (2, "medium"),
        }
        assert opened["sourcing-policy"].required_outcome == "Provide a responsible minerals sourcing policy."
        await kit.env.sleep(31 * DAY)  # past the high action's 30 days: follow-ups, then escalation
        await handle.signal(SurveyWorkflow.close, CloseCase(actor="staff", reason="done?"))
        assert (await handle.query(SurveyWorkflow.state)).open_actions == 2  # open actions: no closing
        high, medium = child(kit, "C1", 1), child(kit, "C1", 2)
        with pytest.raises(WorkflowUpdateFailedError):
            await decide(medium, Decision.WAIVE, reason="  ")  # a waiver needs a justification
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await decide(medium, Decision.ACCEPT, reason="")  # so does an acceptance: why it is enough
        assert "to accept an action, give a reason" in str(refused.value.cause)
        await decide(medium, Decision.ASSIGN, owner="lead@company.test")
        await decide(medium, Decision.NOTE, reason="called the supplier")
        new_due = await kit.env.get_current_time() + 20 * DAY
        await decide(medium, Decision.EXTEND, due_at=new_due, reason="policy in board review")
        doc = kit.upload(inp.survey_id, b"%PDF-1.4 policy letter", "policy.pdf")
        evidence = SubmitEvidence(file_id=doc.file_id, sha256=doc.sha256, size=doc.size, note="our policy")
        pending = await medium.execute_update(CorrectiveActionWorkflow.submit_evidence, evidence)
        assert pending.evidence_pending == 1 and pending.status == ActionStatus.OPEN
        await decide(medium, Decision.ACCEPT, reason="policy letter is sufficient")
        await decide(high, Decision.WAIVE, reason="supplier exits tin next quarter")
        high_end, medium_end = await high.result(), await medium.result()
        result = await handle.result()
    assert (high_end.status, high_end.follow_ups, high_end.escalated) == (ActionStatus.WAIVED, 3, True)
    assert (medium_end.status, medium_end.escalated) == (ActionStatus.ACCEPTED, False)
    assert medium_end.owner == "lead@company.test"
    assert result.stage == Stage.CLOSED and result.open_actions == 0  # one action was waived
    mails = outbox(kit, inp.survey_id)
    kinds = [k for k, _ in mails]
    assert kinds[:4] == ["request", "risk-found", "action-request", "action-request"]
    assert kinds.count("action-follow-up") == 3 + 3 and kinds.count("action-escalation") == 1
    assert kinds.count("action-closed") == 2
    assert dict(mails)["action-escalation"] == ["buyer@company.test"]  # to the internal owner only
    rows = actions(kit, inp.survey_id)
    assert rows["sourcing-risk"].justification == "supplier exits tin next quarter"
    assert timeline(kit, rows["sourcing-policy"].id) == [
        "action.opened",
        "action.follow-up",
        "action.follow-up",
        "action.follow-up",
        "action.assigned",
        "action.note",
        "action.extended",
        "action.evidence-received",
        "action.accepted",
    ]
    with kit.sessions() as session:
        reviewed = session.scalars(select(ActionEvidence.review)).all()
    assert reviewed == ["accepted"]
    assert survey_of(kit.sessions, wid).stage == Stage.CLOSED


async def test_fixed_reupload_resolves_its_action_and_a_rejected_response_restarts_the_clock(
    kit: Kit,
) -> None:
    inp, wid = await kit.survey("C2", CADENCE, due_in=10 * DAY)
    async with kit.worker():
        handle = await kit.start(inp, wid)
        today = (await kit.env.get_current_time()).date()
        await handle.execute_update(SurveyWorkflow.submit_upload, kit.upload(inp.survey_id, risky(today)))
        await kit.env.sleep(3 * DAY)
        fixed = kit.upload(inp.survey_id, risky(today, policy=True), "cmrt-v2.xlsx")
        outcome = await handle.execute_update(SurveyWorkflow.submit_upload, fixed)
        assert outcome.stage == Stage.RISK_FOUND  # tin from covered countries is still declared
        policy = await child(kit, "C2", 2).result()
        assert policy.status == ActionStatus.RESOLVED
        high = child(kit, "C2", 1)
        assert (await high.query(CorrectiveActionWorkflow.state)).remaining == 1
        before = await kit.env.get_current_time()
        rejected = await decide(high, Decision.REJECT, reason="name the smelters' RMAP status")
        assert rejected.status == ActionStatus.REJECTED and rejected.round == 1
        assert rejected.due_at - before > 29 * DAY  # a full 30 days again
        await decide(high, Decision.ACCEPT, reason="RMAP certificates received")
        result = await handle.result()
    assert result.stage == Stage.ACCEPTED  # resolved and accepted: nothing was waived
    rows = actions(kit, inp.survey_id)
    assert (rows["sourcing-policy"].status, rows["sourcing-policy"].resolved_file_id) == (
        "resolved",
        fixed.file_id,
    )
    assert rows["sourcing-risk"].status == "accepted"
    assert timeline(kit, rows["sourcing-risk"].id) == [
        "action.opened",
        "action.follow-up",
        "action.findings-remain",
        "action.rejected",
        "action.accepted",
    ]
    kinds = [k for k, _ in outbox(kit, inp.survey_id)]
    assert kinds.count("action-rejected") == 1 and kinds.count("action-closed") == 2
    rejected_mail = next(
        i for i, m in enumerate(kit.smtp.messages) if m["X-Minerals-Kind"] == "action-rejected"
    )
    assert "name the smelters' RMAP status" in kit.smtp.text(rejected_mail)


async def test_an_action_email_to_a_refused_address_is_recorded_and_resent_once_corrected(kit: Kit) -> None:
    kit.smtp.inbox.refused.add("c3@supplier.test")
    inp, wid = await kit.survey("C3", CADENCE, due_in=10 * DAY)
    async with kit.worker():
        handle = await kit.start(inp, wid)
        today = (await kit.env.get_current_time()).date()
        await handle.execute_update(
            SurveyWorkflow.submit_upload, kit.upload(inp.survey_id, risky(today, policy=True))
        )
        action = child(kit, "C3", 1)
        rows = actions(kit, inp.survey_id)
        await until(lambda: "action.email-bounced" in timeline(kit, rows["sourcing-risk"].id), "the bounce")
        assert (await action.query(CorrectiveActionWorkflow.state)).bounced == "action-request"
        with kit.sessions.begin() as session:
            supplier = session.scalars(select(Supplier).where(Supplier.supplier_id == "C3")).one()
            supplier.email = "quality@c3.test"
        await action.signal(
            CorrectiveActionWorkflow.contact_changed, ContactChanged(email="quality@c3.test", actor="staff")
        )
        await until(lambda: "action-request" in kit.smtp.kinds(), "the action request, sent again")
        await decide(action, Decision.ACCEPT, reason="RMAP certificates received")
        await handle.result()
    resent = kit.smtp.messages[kit.smtp.kinds().index("action-request")]
    assert resent["X-Envelope-To"] == "quality@c3.test"
    # The survey's request and the action's notice bounced: the owner is told of each, once.
    assert kit.smtp.kinds().count("bounce-notice") == 2
    events = timeline(kit, rows["sourcing-risk"].id)
    assert events[:2] == ["action.opened", "action.email-bounced"] and events[-1] == "action.accepted"


async def test_an_action_whose_row_is_gone_ends_saying_so_instead_of_retrying(kit: Kit) -> None:
    inp, _ = await kit.survey("C4", CADENCE, due_in=10 * DAY)
    now = await kit.env.get_current_time()
    gone = ActionInput(action_id=999, survey_id=inp.survey_id, n=1, due_at=now + 30 * DAY, cadence=CADENCE)
    async with kit.worker():
        handle = await kit.client.start_workflow(
            CorrectiveActionWorkflow.run, gone, id="capa-c-C4-C4-1", task_queue=kit.task_queue
        )
        with pytest.raises(WorkflowFailureError) as failed:
            await handle.result()
    assert "corrective action 999 does not exist" in str(failed.value.cause)
