"""`minerals campaign` and `cases` without a running stack: wrong values exit 2, nothing is lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.demo_data import demo_suppliers, write_supplier_csv
from cli.main import app
from worker.devserver import free_port

runner = CliRunner()


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MINERALS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MINERALS_TEMPORAL_ADDRESS", f"127.0.0.1:{free_port()}")  # nothing listens there
    write_supplier_csv(demo_suppliers(2), tmp_path / "suppliers.csv")
    return tmp_path


def start(data: Path, *extra: str) -> tuple[int, str]:
    suppliers = str(data / "suppliers.csv")
    args = ["campaign", "start", "--name", "C1", "--template", "CMRT", "--suppliers", suppliers, *extra]
    result = runner.invoke(app, args)
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--due", "soon"), "is not a date"),
        (("--due", "2001-01-01"), "in the past"),
        (("--due", "+30d", "--reminder-every", "often"), "is not a duration"),
        (("--due", "+30d", "--reminders", "-1"), "--reminders"),
    ],
)
def test_wrong_values_exit_2_and_create_nothing(data: Path, extra: tuple[str, ...], message: str) -> None:
    code, output = start(data, *extra)
    assert code == 2 and message in output
    assert "no campaign named 'C1'" in runner.invoke(app, ["campaign", "status", "C1"]).output


def test_unknown_template_is_a_usage_error(data: Path) -> None:
    code, output = start(data, "--due", "+1d", "--template", "XMRT")
    assert code == 2 and "XMRT" in output


def test_unreachable_temporal_keeps_the_campaign_for_a_retry(data: Path) -> None:
    code, output = start(data, "--due", "+30d", "--reminder-every", "7d")
    assert code == 1
    assert "cannot reach Temporal" in output and "Traceback" not in output
    assert "2 new case(s) are saved" in output
    cases = json.loads(runner.invoke(app, ["cases", "list", "--campaign", "C1", "--json"]).output)
    assert [c["stage"] for c in cases] == ["pending", "pending"]
    code, output = start(data, "--due", "+30d")
    assert code == 1 and "0 new case(s)" in output  # a retry enrols nobody twice


def test_case_commands_name_what_is_wrong(data: Path) -> None:
    result = runner.invoke(app, ["cases", "show", "99"])
    assert result.exit_code == 2 and "no case 99" in result.output
    result = runner.invoke(app, ["cases", "exempt", "1", "--reason", " "])
    assert result.exit_code == 2 and "--reason" in result.output
    result = runner.invoke(app, ["cases", "list", "--campaign", "nope"])
    assert result.exit_code == 2 and "no campaign named 'nope'" in result.output
    result = runner.invoke(app, ["cases", "extend", "1", "--due", "next week"])
    assert result.exit_code == 2 and "is not a date" in result.output
    assert "0 email(s)" in runner.invoke(app, ["outbox"]).output
