"""The KPI report's outreach figures: facilities engaged, letters sent, facilities that moved to Active or
Conformant during the year (from the outreach workflows' records), in `report kpi --json` and its notes."""

from __future__ import annotations

import datetime as dt
import json

from campaign_kit import World
from sqlalchemy.orm import sessionmaker
from test_kpi import _own_database, runner  # noqa: F401  (the autouse fixture)

from activities.outreach import OutreachActivities
from cases.outreach import engagement_figures
from cli.main import app
from models.refresh_messages import OutreachRecord

STEPS = [
    ("outreach.started", "started", None, 0),
    ("outreach.letter-sent", "letter-sent", None, 1),
    ("outreach.follow-up", "following-up", None, 2),
    ("outreach.closed", "closed", "conformant", 2),
]


def _engage(world: World, cid: str, steps: list[tuple[str, str, str | None, int]]) -> None:
    recording = OutreachActivities(sessionmaker(world.session.get_bind()))
    for n, (event, state, outcome, letters) in enumerate(steps):
        change = OutreachRecord(
            smelter_id=cid,
            key=f"outreach-{cid}/{n}",
            event=event,
            state=state,
            outcome=outcome,
            letters=letters,
        )
        recording.record(change)


def test_outreach_of_the_year_is_counted_in_the_kpi_report(world: World) -> None:
    _engage(world, "CID000101", STEPS)
    _engage(world, "CID000102", STEPS[:2])  # still open
    today = dt.date.today()
    data_dir = str(world.store.parent)
    args = [
        "report",
        "kpi",
        "--data-dir",
        data_dir,
        "--json",
        "--campaign",
        "cmrt-2025",
        "--as-of",
        str(today),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    figures = report["engagement"]
    assert (figures["engaged"], figures["letters"], figures["moved"]) == (2, 3, 1)
    assert any(
        "2 facilities engaged, 3 letters sent" in r and "1 facilities moved" in r for r in report["rules"]
    )
    last_year = engagement_figures(
        world.session, dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    )
    assert last_year == {"engaged": 0, "letters": 0, "moved": 0}  # counted in the year they happened
