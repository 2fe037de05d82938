"""The registry refresh pages: what a new RMI list changed, and each case it judged again (the refresh's
database work run by its activity's own code, without a workflow)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from console_kit import Console
from test_case_smelters import HOSTILE, ROWS, _assessed_upload, _registry

from activities.refresh import RefreshActivities
from models.refresh_messages import RefreshPage
from models.registry import RegistryImport, RegistryStatus


def _new_list(console: Console, statuses: dict[str, str]) -> int:
    with console.sessions.begin() as session:
        listed = RegistryImport(
            file_name="<b>list</b>.csv", sha256="d" * 64, kind="status-list", as_of=dt.date.today()
        )
        session.add(listed)
        session.flush()
        for cid, status in statuses.items():
            session.add(
                RegistryStatus(smelter_id=cid, import_id=listed.id, as_of=listed.as_of, status=status)
            )
        return listed.id


def test_a_refresh_page_lists_changed_smelters_and_cases(console: Console) -> None:
    _registry(console)
    case = console.add_case("S1", HOSTILE, stage="risk-found")
    quiet = console.add_case("S2", "Quiet Supplier", stage="accepted")
    _assessed_upload(console, case, ROWS, "answer.xlsx")
    _assessed_upload(console, quiet, ROWS[:1], "quiet.xlsx")  # names only the gold refinery
    import_id = _new_list(console, {"CID800002": "conformant", "CID800001": "conformant"})
    refreshing = RefreshActivities(console.sessions)
    plan = refreshing.begin(import_id, "registry-refresh-test")
    assert plan.facilities == 1  # the gold refinery was conformant already
    result, tell = refreshing.page(RefreshPage(refresh_id=plan.refresh_id, after=0, limit=10))
    assert (result.examined, result.changed, result.done) == (1, 1, True)
    assert [t[0] for t in tell] == [case] and tell[0][2].high_added is False
    again, _ = refreshing.page(RefreshPage(refresh_id=plan.refresh_id, after=0, limit=10))
    assert again.changed == 1  # the same case, not judged twice

    assert console.client.get("/refreshes", follow_redirects=False).status_code == 303
    console.sign_in("viewer@company.test")
    listing = console.client.get("/refreshes").text
    assert f'href="/refreshes/{plan.refresh_id}"' in listing and "&lt;b&gt;list&lt;/b&gt;.csv" in listing
    html = console.client.get(f"/refreshes/{plan.refresh_id}").text
    assert "CID800002" in html and "non-conformant" in html and "Delta Tin Smelter" in html
    assert f'id="case-{case}"' in html and f'id="case-{quiet}"' not in html
    assert "smelter-not-conformant CID800002" in html  # gone: the tin smelter is conformant now
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert console.client.get("/refreshes/999").status_code == 404


def test_an_audit_ending_soon_warns_the_cases_naming_it(console: Console) -> None:
    _registry(console)
    case = console.add_case("S1", "Gold Buyer Supplier", stage="accepted")
    _assessed_upload(console, case, ROWS[:1], "gold.xlsx")  # the conformant gold refinery only
    with console.sessions.begin() as session:
        listed = RegistryImport(
            file_name="audits.csv", sha256="e" * 64, kind="status-list", as_of=dt.date.today()
        )
        session.add(listed)
        session.flush()
        audit = dt.date.today() - dt.timedelta(days=365 - 12)  # a one-year audit with 12 days left
        session.add(
            RegistryStatus(
                smelter_id="CID800001",
                import_id=listed.id,
                as_of=listed.as_of,
                status="conformant",
                last_audit=audit,
                cycle_days=365,
            )
        )
        import_id = listed.id
    refreshing = RefreshActivities(console.sessions)
    plan = refreshing.begin(import_id, "registry-refresh-audits")
    result, tell = refreshing.page(RefreshPage(refresh_id=plan.refresh_id, after=0, limit=10))
    assert (result.changed, tell[0][2].high_added) == (1, False)  # a warning: the case stays accepted
    console.sign_in("viewer@company.test")
    html = console.client.get(f"/refreshes/{plan.refresh_id}").text
    assert str(dt.date.today() + dt.timedelta(days=12)) in html and "smelter-audit-expiring CID800001" in html
    rows = console.client.get(f"/cases/{case}").text
    assert "smelter-audit-expiring" in rows and "audit valid until" in rows


def test_outreach_pages_show_who_needs_a_contact(console: Console) -> None:
    from activities.outreach import OutreachActivities
    from models.refresh_messages import OutreachRecord

    recording = OutreachActivities(console.sessions)
    for n, (event, state) in enumerate(
        [("outreach.started", "started"), ("outreach.needs-contact", "needs-contact")]
    ):
        change = OutreachRecord(
            smelter_id="CID800002", key=f"outreach-CID800002/{n}", event=event, state=state, note="<i>why</i>"
        )
        recording.record(change)
        recording.record(change)  # a retried activity records once
    assert console.client.get("/outreach", follow_redirects=False).status_code == 303
    console.sign_in("viewer@company.test")
    listing = console.client.get("/outreach").text
    assert 'id="outreach-CID800002" class="warning"' in listing and "needs-contact" in listing
    html = console.client.get("/outreach/CID800002").text
    assert html.count("outreach.needs-contact") == 1 and "&lt;i&gt;why&lt;/i&gt;" in html
    assert console.client.get("/outreach/CID000000").status_code == 404


def test_a_smelter_active_too_long_gets_outreach_that_only_conformance_ends(
    console: Console, tmp_path: Path
) -> None:
    from activities.outreach import OutreachActivities

    _registry(console)  # Epsilon (CID800003) Active since a month ago
    case = console.add_case("S1", "Tantalum Buyer", stage="risk-found")
    _assessed_upload(console, case, ROWS, "answer.xlsx")
    import_id = _new_list(console, {"CID800002": "conformant"})
    plan = RefreshActivities(console.sessions).begin(import_id, "registry-refresh-active")
    config = tmp_path / "risk.json"
    config.write_text('{"active_outreach_days": 20}')
    start, _ = OutreachActivities(console.sessions, risk_config=config).plan(plan.refresh_id)
    ((inp, again),) = [(i, a) for i, a in start if i.smelter_id == "CID800003"]
    assert (
        not again
        and inp.ends_on == ["conformant", "cross-recognized"]
        and "Active in RMAP since" in inp.reason
    )
    default, _ = OutreachActivities(console.sessions).plan(plan.refresh_id)
    assert "CID800003" not in {i.smelter_id for i, _ in default}  # a year by default


def test_the_cli_shows_the_same_refresh_and_outreach(console: Console) -> None:
    from typer.testing import CliRunner

    from activities.outreach import OutreachActivities
    from cli.main import app
    from models.refresh_messages import OutreachRecord

    _registry(console)
    case = console.add_case("S1", "Cli Supplier", stage="risk-found")
    _assessed_upload(console, case, ROWS, "answer.xlsx")
    refreshing = RefreshActivities(console.sessions)
    plan = refreshing.begin(_new_list(console, {"CID800002": "conformant"}), "registry-refresh-cli")
    refreshing.page(RefreshPage(refresh_id=plan.refresh_id, after=0, limit=10))
    change = OutreachRecord(smelter_id="CID800002", key="k/1", event="outreach.started", state="started")
    OutreachActivities(console.sessions).record(change)
    runner = CliRunner()

    def cli(*args: str) -> str:
        result = runner.invoke(app, [*args, "--data-dir", console.settings.data_dir])
        assert result.exit_code == 0, result.output
        return " ".join(result.output.split())

    assert "CID800002 Delta Tin Smelter: non-conformant -> conformant" in cli(
        "registry", "show", str(plan.refresh_id)
    )
    assert f"case {case} Cli Supplier" in cli("registry", "show", str(plan.refresh_id))
    assert "running" in cli("registry", "list")  # its workflow did not finish it
    assert "CID800002" in cli("outreach", "list") and "outreach.started" in cli(
        "outreach", "show", "cid800002"
    )
    missing = runner.invoke(app, ["registry", "show", "999", "--data-dir", console.settings.data_dir])
    assert missing.exit_code == 1 and "no registry refresh 999" in missing.output
