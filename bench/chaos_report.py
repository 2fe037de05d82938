"""What bench/chaos.py found: lost, stuck and duplicate email, the bounced case, the portal's answers."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from chaos_stack import Received, Upload
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

from models.audit import AuditEvent
from models.campaign import Campaign
from models.corrective import CorrectiveAction
from models.enums import Stage
from models.outbox import EmailMessage
from models.supplier import Supplier
from models.survey import Survey

SETTLED = {s.value for s in Stage if s.final} | {Stage.OVERDUE.value}
ALIVE = (WorkflowExecutionStatus.RUNNING, WorkflowExecutionStatus.COMPLETED)
# Steps whose email has the step's own key (workflow id/round/step).
MAILED = {
    s.action
    for s in (
        Stage.REQUESTED,
        Stage.REMINDED,
        Stage.ESCALATED,
        Stage.FIX_REQUESTED,
        Stage.ACCEPTED,
        Stage.RISK_FOUND,
    )
}


@dataclass
class Timeline:
    """When each fault happened (time.time())."""

    kills: list[float] = field(default_factory=list)
    lock: tuple[float, float] | None = None
    outage: tuple[float, float] | None = None
    temporal_kill: float | None = None


@dataclass
class Records:
    """The campaign as the database has it."""

    campaign_id: int
    enrolled: list[Survey]
    codes: dict[int, str]  # survey id -> supplier code
    emails: list[EmailMessage]
    actions: dict[int, list[str]]  # survey id -> audit actions
    steps: dict[str, int]  # idempotency key -> survey id, of the steps that send the supplier an email
    corrective: list[tuple[int, str]]  # (survey id, workflow id)


def read_records(sessions: sessionmaker[Session], campaign: str) -> Records:
    """Read the campaign's cases, outbox, audit actions and corrective actions."""
    with sessions() as session:
        camp = session.scalar(select(Campaign).where(Campaign.name == campaign))
        assert camp is not None, f"campaign {campaign} is missing"
        surveys = list(session.scalars(select(Survey).where(Survey.campaign_id == camp.id)))
        ids = {s.id for s in surveys}
        query = (
            select(Survey.id, Supplier.supplier_id)
            .join(Supplier, Survey.supplier_id == Supplier.id)
            .where(Survey.campaign_id == camp.id)
        )
        codes = {survey_id: code for survey_id, code in session.execute(query)}
        emails = [e for e in session.scalars(select(EmailMessage)) if e.survey_id in ids]
        actions: dict[int, list[str]] = defaultdict(list)
        steps: dict[str, int] = {}
        for subject, action, key in session.execute(
            select(AuditEvent.subject, AuditEvent.action, AuditEvent.idempotency_key).where(
                AuditEvent.subject.like("survey:%")
            )
        ):
            survey_id = int(subject.partition(":")[2])
            if survey_id in ids:
                actions[survey_id].append(action)
                if action in MAILED and key:
                    steps[key] = survey_id
        corrective = [
            (a.survey_id, a.workflow_id)
            for a in session.scalars(select(CorrectiveAction))
            if a.survey_id in ids
        ]
    return Records(camp.id, surveys, codes, emails, dict(actions), steps, corrective)


def bare_id(message_id: str) -> str:
    """A Message-ID without its angle brackets and domain."""
    return message_id.strip().strip("<>").partition("@")[0]


def row_message_id(row: EmailMessage) -> str:
    """The Message-ID an outbox row is sent with (a stored one, else the hash of its key)."""
    stored = getattr(row, "message_id", None)
    if isinstance(stored, str) and stored:
        return bare_id(stored)
    return hashlib.sha256(row.idempotency_key.encode()).hexdigest()[:40]


def aware(moment: dt.datetime | None) -> float | None:
    """A database time as time.time() (naive values are UTC)."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).timestamp()


def refused_only(row: EmailMessage, refused: str) -> bool:
    """True for a row whose every recipient is the address the relay refuses."""
    return all(a.lower() == refused for a in [*row.to, *row.cc])


def duplicates(records: Records, received: list[Received], timeline: Timeline) -> dict[str, Any]:
    """Message-IDs received more than once, split into resends after a kill in the send-to-mark window
    and the rest; and how many kills landed while a message was accepted but not yet marked sent."""
    by_id: dict[str, list[float]] = defaultdict(list)
    for got in received:
        by_id[bare_id(got.message_id)].append(got.at)
    rows = {row_message_id(r): r for r in records.emails}
    marked = {mid: aware(r.sent_at) for mid, r in rows.items()}
    kills, in_window = sorted(timeline.kills), 0
    for before, kill in zip([0.0, *kills], kills, strict=False):
        # Messages the killed worker had handed over (since the kill before) and not yet marked sent.
        handed = (mid for mid, times in by_id.items() if mid in marked and before < times[0] < kill)
        if any((marked[mid] or kill + 1) > kill for mid in handed):
            in_window += 1
    after_kill, unexpected, others = 0, 0, []
    for mid, times in by_id.items():
        if len(times) < 2:
            continue
        first, mark = times[0], marked.get(mid)
        # The kill of the worker that sent it first, landing before the mark.
        killed = next((k for k in kills if k >= first), None)
        if killed is not None and killed <= times[-1] and (mark is None or mark > killed):
            after_kill += len(times) - 1
        else:
            unexpected += len(times) - 1
            row = rows.get(mid)
            others.append(
                {
                    "message_id": mid,
                    "times": len(times),
                    "key": row.idempotency_key if row else "",
                    "during": _phase(first, timeline),
                }
            )
    return {
        "total": sum(len(t) - 1 for t in by_id.values()),
        "after_kill_in_window": after_kill,
        "kills_in_window": in_window,
        "unexpected": unexpected,
        "unexpected_detail": others[:20],
    }


def _phase(at: float, timeline: Timeline) -> str:
    if timeline.lock and timeline.lock[0] - 5 <= at <= timeline.lock[1] + 35:
        return "lock"
    if timeline.outage and timeline.outage[0] - 5 <= at <= timeline.outage[1] + 5:
        return "relay outage"
    if timeline.temporal_kill and timeline.temporal_kill - 5 <= at <= timeline.temporal_kill + 60:
        return "temporal kill"
    return "other"


def lost(records: Records, received: list[Received], refused: str) -> dict[str, Any]:
    """Cases missing a request, steps recorded without their email, and outbox rows (not only to the
    refused address) whose Message-ID never arrived."""
    arrived = {bare_id(r.message_id) for r in received}
    unreceived = [
        r for r in records.emails if not refused_only(r, refused) and row_message_id(r) not in arrived
    ]
    requested = {r.survey_id for r in records.emails if r.kind == "request"}
    no_request = [s for s in records.enrolled if s.id not in requested]
    stored = {r.idempotency_key for r in records.emails}
    unmailed = {key: case for key, case in records.steps.items() if key not in stored}
    cases = {r.survey_id for r in unreceived} | {s.id for s in no_request} | set(unmailed.values())
    known = {row_message_id(r) for r in records.emails}
    detail = [f"{records.codes.get(r.survey_id or 0)} {r.kind} {r.idempotency_key}" for r in unreceived]
    detail += [f"{records.codes.get(s.id)}: no request email (stage {s.stage})" for s in no_request]
    detail += [
        f"{records.codes.get(case)}: step {key} recorded, its email never stored"
        for key, case in unmailed.items()
    ]
    return {
        "cases": len(cases),
        "emails": len(unreceived) + len(unmailed),
        "cases_without_request": len(no_request),
        "steps_without_email": len(unmailed),
        "unknown_received": len(arrived - known),
        "detail": detail[:30],
    }


async def _inspect(client: Client, workflow_id: str, query: bool) -> tuple[str, list[str], str | None]:
    """(status, pending activities, the workflow's own stage) of one run; status 'missing' when none."""
    handle = client.get_workflow_handle(workflow_id)
    try:
        desc = await handle.describe()
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return "missing", [], None
        return f"unreadable ({exc.message})", [], None
    pending = [
        f"{p.activity_type.name} attempt {p.attempt}: {p.last_failure.message[:160]}"
        for p in desc.raw_description.pending_activities
    ]
    status = desc.status.name if desc.status else "UNKNOWN"
    stage = None
    if query and desc.status in ALIVE:
        try:
            state = await handle.query("state")
            stage = str(state.get("stage")) if isinstance(state, dict) else str(getattr(state, "stage", ""))
        except Exception as exc:  # noqa: BLE001 (any failure to answer is the finding)
            stage = f"query failed: {exc}"
    return status, pending, stage


async def stuck(client: Client, records: Records, due: dt.datetime) -> dict[str, Any]:
    """Cases that make no progress: workflow gone or failed, an activity still pending after the system
    went quiet, a stage that is neither final nor overdue after the due date, or record and workflow
    disagreeing; corrective actions likewise (status and pending activities)."""
    gate = asyncio.Semaphore(20)
    past_due = dt.datetime.now(dt.UTC) > due

    async def case(survey: Survey) -> tuple[str, list[str]]:
        async with gate:
            status, pending, stage = await _inspect(client, survey.workflow_id, query=True)
        problems = [f"workflow {status}"] if status not in ("RUNNING", "COMPLETED") else []
        problems += [f"pending {p}" for p in pending]
        if past_due and survey.stage not in SETTLED:
            problems.append(f"stage {survey.stage} after the due date")
        if stage is not None and stage != survey.stage:
            problems.append(f"workflow says {stage}, record says {survey.stage}")
        return status, problems

    async def action(workflow_id: str) -> list[str]:
        async with gate:
            status, pending, _ = await _inspect(client, workflow_id, query=False)
        problems = [f"workflow {status}"] if status not in ("RUNNING", "COMPLETED") else []
        return problems + [f"pending {p}" for p in pending]

    results = await asyncio.gather(*(case(s) for s in records.enrolled))
    action_results = await asyncio.gather(*(action(w) for _, w in records.corrective))
    detail = [
        f"{records.codes.get(s.id)} ({s.workflow_id}): {'; '.join(p)}"
        for s, (_, p) in zip(records.enrolled, results, strict=True)
        if p
    ]
    detail += [
        f"{w}: {'; '.join(p)}" for (_, w), p in zip(records.corrective, action_results, strict=True) if p
    ]
    return {
        "started": sum(status != "missing" for status, _ in results),
        "missing": sum(status == "missing" for status, _ in results),
        "cases": sum(bool(p) for _, p in results) + sum(bool(p) for p in action_results),
        "detail": detail[:30],
    }


def bounced(records: Records, received: list[Received], supplier: str, owner: str) -> dict[str, Any]:
    """Whether the case the relay refused was handled: bounce recorded, owner told, escalated, overdue."""
    survey = next((s for s in records.enrolled if records.codes.get(s.id) == supplier), None)
    if survey is None:
        return {"supplier": supplier, "handled": False, "found": False}
    actions = records.actions.get(survey.id, [])
    bounce_ids = {row_message_id(r) for r in records.emails if r.survey_id == survey.id}
    told = any(
        owner in (a.lower() for a in got.rcpts)
        and got.kind == "bounce-notice"
        and bare_id(got.message_id) in bounce_ids
        for got in received
    )
    found = {
        "recorded": "survey.email-bounced" in actions,  # the case's own step, not only the outbox's
        "owner_told": told,
        "escalated": Stage.ESCALATED.action in actions,
        "overdue": survey.stage == Stage.OVERDUE.value,
    }
    return {"supplier": supplier, "stage": survey.stage, **found, "handled": all(found.values())}


def uploads(done: list[Upload], relay_back: float) -> dict[str, Any]:
    """How the portal answered the uploads made while the relay was down."""
    times = [u.seconds for u in done if u.seconds is not None]
    return {
        "made": len(done),
        "answered": len(times),
        "answered_while_down": sum(u.answered_at is not None and u.answered_at < relay_back for u in done),
        "worst_s": round(max(times), 2) if times else None,
        "median_s": round(statistics.median(times), 2) if times else None,
        "codes": dict(Counter(str(u.status) for u in done)),
        "errors": [f"{u.supplier}: {u.error}" for u in done if u.error][:10],
    }


def failed(report: dict[str, Any]) -> bool:
    """Lost, stuck or unexplained duplicates."""
    return bool(
        report["lost"]["cases"]
        or report["lost"]["emails"]
        or report["stuck"]["cases"]
        or report["duplicates"]["unexpected"]
    )


def summary(report: dict[str, Any]) -> str:
    """The figures, one line each."""
    c, e, d = report["conditions"], report["emails"], report["duplicates"]
    lo, st, b, w = report["lost"], report["stuck"], report["bounced_case"], report["worker"]
    up, base = report["portal_uploads_during_outage"], report["portal_uploads_baseline"]
    load = report["load_average"]
    yes = {True: "yes", False: "NO"}
    checks = ("recorded", "owner_told", "escalated", "overdue")
    lines = [
        f"conditions       {c['suppliers']} suppliers on {c['database']}; {c['worker_kills']} worker "
        f"SIGKILLs ({c['aimed_kills']} aimed), relay down {c['relay_outage_s']:.0f} s, "
        f"Temporal SIGKILL {yes[c['temporal_kill']]}, "
        f"write lock {c['lock_s']:.0f} s; {c['cadence']} (it passed {c['due_date_fell']})",
        f"enrolled         {report['enrolled']}",
        f"surveys started  {report['surveys_started']}",
        f"emails received  {e['received_unique']} unique Message-IDs ({e['deliveries']} deliveries; "
        f"{e['outbox_rows']} outbox rows; {e['refused_at_rcpt']} RCPT refusals with 550)",
        f"duplicates       {d['total']}: {d['after_kill_in_window']} resent after a worker kill between "
        f"relay acceptance and the mark ({d['kills_in_window']} of {c['worker_kills']} kills landed in "
        f"such a window), {d['unexpected']} unexpected",
        f"lost             {lo['cases']} cases, {lo['emails']} emails",
        f"stuck            {st['cases']}",
        f"bounced case     {b['supplier']} (stage {b.get('stage')}): "
        + ", ".join(f"{name.replace('_', ' ')} {yes[bool(b.get(name))]}" for name in checks),
        f"portal uploads   {up['made']} during the relay outage: {up['answered']} answered, "
        f"{up['answered_while_down']} before the relay was back; worst {up['worst_s']} s, "
        f"median {up['median_s']} s; HTTP {up['codes']}",
        f"portal baseline  {base['answered']} of {base['made']} uploads answered with everything up and "
        f"quiet: worst {base['worst_s']} s, median {base['median_s']} s",
        f"worker           {w['starts']} starts ({w['kills']} SIGKILLs, {w['exited_by_itself']} exits by "
        f"itself); log {w['log_lines']} lines, {w['tracebacks']} tracebacks",
        f"took             {report['took_s']:.0f} s (quiet {report['settled_after_due_s']:.0f} s after the "
        f"due date); load average median {load['median']}, max {load['max']} on {load['cores']} cores",
    ]
    details = (("duplicate", d["unexpected_detail"]), ("lost", lo["detail"]), ("stuck", st["detail"]))
    for name, part in details:
        lines += [f"  {name}: {item}" for item in part]
    lines += [f"  upload: {item}" for item in up["errors"] + base["errors"]]
    return "\n".join(lines)
