"""A small campaign end to end: real dev server, real worker, aiosmtpd and SQLite, driven through the CLI."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli.demo_data import Answer, demo_suppliers, write_answer, write_supplier_csv
from cli.main import app
from worker.mail_capture import captured_mail
from worker.stack import Stack

runner = CliRunner()


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    """The embedded stack (headless) on free ports, its event loop in a background thread."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    running = Stack(tmp_path / "data", ui=False)
    try:
        asyncio.run_coroutine_threadsafe(running.start(), loop).result(90)
        yield running
    finally:
        asyncio.run_coroutine_threadsafe(running.stop(), loop).result(60)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


def cli(stack: Stack, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, [*args, "--data-dir", str(stack.data_dir)])
    assert result.exit_code == code, result.output
    return result.output


def show(stack: Stack, case: int) -> dict[str, Any]:
    return json.loads(cli(stack, "cases", "show", str(case), "--json"))


def wait_for(
    fetch: Callable[[], dict[str, Any]], done: Callable[[dict[str, Any]], bool], timeout: float = 45
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        detail = fetch()
        if done(detail) or time.monotonic() > deadline:
            return detail
        time.sleep(0.5)


def wait_for_stage(stack: Stack, case: int, stage: str, timeout: float = 45) -> dict[str, Any]:
    return wait_for(lambda: show(stack, case), lambda d: d["stage"] == stage, timeout)


def test_campaign_through_the_cli(stack: Stack, tmp_path: Path) -> None:
    pattern = (Answer.COMPLETE, Answer.MISTAKES, Answer.SILENT, Answer.SILENT)
    suppliers = demo_suppliers(4, pattern)
    csv_path = write_supplier_csv(suppliers, tmp_path / "suppliers.csv")
    complete, mistakes, silent, exempted = suppliers

    out = cli(
        stack, "campaign", "start", "--name", "E2E", "--template", "cmrt", "--suppliers", str(csv_path),
        "--due", "+16s", "--reminder-every", "3s", "--reminders", "2", "--escalate-after", "2s",
    )  # fmt: skip
    assert "4 supplier(s) enrolled" in out
    # Starting the same campaign again enrols nobody twice and sends no second request.
    assert "0 supplier(s) enrolled" in cli(
        stack, "campaign", "start", "--name", "E2E", "--template", "CMRT", "--suppliers", str(csv_path),
        "--due", "+22s",
    )  # fmt: skip
    assert "total" in cli(stack, "campaign", "status", "E2E")
    cases = {r["supplier_id"]: r["id"] for r in json.loads(cli(stack, "cases", "list", "--json"))}
    assert len(cases) == 4

    answers = tmp_path / "answers"
    first = write_answer(complete, Answer.COMPLETE, answers)
    out = cli(stack, "cases", "submit", str(cases[complete.supplier_id]), str(first))
    assert "is complete" in out and "now accepted" in out
    case = cases[mistakes.supplier_id]
    out = cli(stack, "cases", "submit", str(case), str(write_answer(mistakes, Answer.MISTAKES, answers)))
    # 3 company fields, Tin Q7, the invalid Gold Q2 and, as the Checker counts, Gold Q3–Q8 behind it
    assert "is incomplete (11 issue(s))" in out and "fix-requested" in out
    out = cli(stack, "cases", "submit", str(case), str(write_answer(mistakes, Answer.COMPLETE, answers)))
    assert "now accepted" in out
    # A finished case refuses a new file with a clear message.
    cli(stack, "cases", "submit", str(case), str(answers / f"{mistakes.supplier_id}-complete.xlsx"), code=1)
    cli(stack, "cases", "exempt", str(cases[exempted.supplier_id]), "--reason", "no 3TG in our parts")

    detail = show(stack, case)
    assert [f["check_status"] for f in detail["files"]] == ["incomplete", "complete"]
    assert {i["cell"] for i in detail["files"][0]["issues"]} >= {"D16", "D18", "D22"}
    actions = [e["action"] for e in detail["history"] if e["action"].startswith("survey.")]
    assert actions[0] == "survey.requested" and actions[-1] == "survey.accepted"
    assert "survey.fix-requested" in actions
    assert wait_for_stage(stack, cases[exempted.supplier_id], "exempted")["stage"] == "exempted"
    assert wait_for_stage(stack, cases[silent.supplier_id], "overdue")["stage"] == "overdue"

    emails = json.loads(cli(stack, "outbox", "--json"))
    by_case = {c: [e["kind"] for e in emails if e["case"] == c] for c in cases.values()}
    assert by_case[cases[silent.supplier_id]] == ["request", "reminder", "reminder", "escalation"]
    assert by_case[cases[mistakes.supplier_id]][-2:] == ["fix-request", "accepted"]
    assert by_case[cases[complete.supplier_id]][-1] == "accepted"
    assert all(e["sent_at"] for e in emails)
    assert all("/upload/" in e["links"][0] for e in emails if e["kind"] in ("request", "reminder"))
    # The emailed link opens the supplier's upload page on the stack's console.
    link = next(e["links"][0] for e in emails if e["case"] == cases[silent.supplier_id])
    assert link.startswith(stack.addresses.console)
    with urllib.request.urlopen(link, timeout=10) as page:  # noqa: S310 (our own 127.0.0.1 console)
        assert page.status == 200 and b"<form" in page.read()

    mail = captured_mail(stack.data_dir / "mail")
    ids = Counter(m.header("Message-ID") for m in mail)
    assert len(mail) == len(emails) and max(ids.values()) == 1  # nothing lost, nothing twice
    escalation = next(m for m in mail if m.header("X-Minerals-Kind") == "escalation")
    assert set(escalation.rcpt_tos) == {silent.email, silent.owner_email}


def test_risky_supplier_goes_through_corrective_action_to_closure(stack: Stack, tmp_path: Path) -> None:
    (risky,) = suppliers = demo_suppliers(1, (Answer.RISKY,))
    csv_path = write_supplier_csv(suppliers, tmp_path / "suppliers.csv")
    cli(
        stack, "campaign", "start", "--name", "E2E-CAPA", "--template", "cmrt", "--suppliers", str(csv_path),
        "--due", "+60s", "--reminder-every", "2s", "--reminders", "1", "--escalate-after", "30s",
    )  # fmt: skip
    (case,) = [r["id"] for r in json.loads(cli(stack, "cases", "list", "--json"))]
    wait_for_stage(stack, case, "requested")
    answers = tmp_path / "answers"
    out = cli(stack, "cases", "submit", str(case), str(write_answer(risky, Answer.RISKY, answers)))
    assert "now risk-found" in out
    opened = show(stack, case)["actions"]
    assert opened and all(a["status"] == "open" for a in opened)
    assert json.loads(cli(stack, "cases", "list", "--open-actions", "--json"))[0]["id"] == case

    def kinds() -> list[str]:
        """The kinds of this case's emails the relay has taken (an outbox row is written before sending)."""
        outbox = json.loads(cli(stack, "outbox", "--json"))
        return [e["kind"] for e in outbox if e["case"] == case and e["sent_at"]]

    def wait_for_kind(kind: str, count: int = 1) -> None:
        deadline = time.monotonic() + 30
        while kinds().count(kind) < count and time.monotonic() < deadline:
            time.sleep(0.5)

    wait_for_kind("action-follow-up")
    out = cli(stack, "cases", "submit", str(case), str(write_answer(risky, Answer.COMPLETE, answers)))
    assert "now accepted" in out
    wait_for_stage(stack, case, "accepted")
    # Each action closes in its own workflow once the survey tells it nothing remains: a moment later.
    detail = wait_for(
        lambda: show(stack, case), lambda d: all(a["status"] == "resolved" for a in d["actions"])
    )
    assert [a["status"] for a in detail["actions"]] == ["resolved"] * len(opened)
    timeline = [e["event"] for e in detail["actions"][0]["timeline"]]
    assert (
        timeline[0] == "action.opened"
        and "action.follow-up" in timeline
        and timeline[-1] == "action.resolved"
    )
    wait_for_kind("action-closed", len(opened))  # each action mails its closing as it ends
    sent = kinds()
    assert sent.count("action-request") == sent.count("action-closed") == len(opened)
    assert "action-follow-up" in sent
    text = cli(stack, "cases", "show", str(case))
    assert "action.resolved" in text and "expected:" in text
    mail = captured_mail(stack.data_dir / "mail")
    assert {m.header("X-Minerals-Kind") for m in mail} >= {
        "action-request",
        "action-follow-up",
        "action-closed",
    }
