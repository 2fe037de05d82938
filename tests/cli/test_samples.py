"""`minerals samples DIR`: the supplier list and filled templates the README's Use section works with."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()
STATUSES = {"complete": "complete", "incomplete": "incomplete", "risky": "complete", "fixed": "complete"}


@pytest.fixture
def written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    monkeypatch.chdir(tmp_path)  # `assess` without a stack here uses each file's own look-up
    for name in ("MINERALS_DATA_DIR", "MINERALS_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    # absolute: a warm parse pool started by an earlier test in this process keeps that test's cwd
    result = runner.invoke(app, ["samples", str(tmp_path / "samples"), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_samples_pass_through_check_with_the_stated_statuses(written: dict[str, object]) -> None:
    files = written["files"]
    assert isinstance(files, list)
    assert sorted((f["template"], f["kind"]) for f in files) == sorted(
        (t, k) for t in ("CMRT", "EMRT") for k in STATUSES
    )
    for f in files:
        assert f["status"] == STATUSES[f["kind"]]
        checked = runner.invoke(app, ["check", f["file"], "--json"])
        (result,) = json.loads(checked.stdout)
        assert (result["status"], result["template"]) == (f["status"], f["template"]), f["file"]
        assert checked.exit_code == (1 if f["status"] == "incomplete" else 0)


def test_the_risky_samples_assess_high_and_the_supplier_list_imports(written: dict[str, object]) -> None:
    risky = [f["file"] for f in written["files"] if f["kind"] == "risky"]  # type: ignore[attr-defined]
    assessed = json.loads(runner.invoke(app, ["assess", *risky, "--json"]).stdout)
    assert [a["risk"] for a in assessed] == ["high", "high"]
    assert {"sourcing-covered-countries"} <= {f["code"] for a in assessed for f in a["findings"]}
    with Path(str(written["suppliers"])).open(encoding="utf-8") as rows:
        suppliers = list(csv.DictReader(rows))
    assert [s["supplier_id"] for s in suppliers] == ["DEMO00000", "DEMO00001", "DEMO00002", "DEMO00003"]
    uses = {f["kind"]: f["supplier_id"] for f in written["files"]}  # type: ignore[attr-defined]
    assert uses["incomplete"] == uses["fixed"]  # the fixed file answers the same case


def test_the_incomplete_sample_is_japanese_and_its_messages_wrap_in_the_table(
    written: dict[str, object],
) -> None:
    incomplete = next(f for f in written["files"] if f["kind"] == "incomplete")  # type: ignore[attr-defined]
    assert incomplete["language"] == "ja"
    checked = json.loads(runner.invoke(app, ["check", incomplete["file"], "--json"]).stdout)[0]
    longest = max((i["message"] for i in checked["issues"]), key=len)
    table = runner.invoke(app, ["check", incomplete["file"]], terminal_width=80).output
    assert "…" not in table  # never cut with an ellipsis
    cells = "".join(line.split("│")[4].strip() for line in table.splitlines() if line.count("│") == 5)
    assert longest in cells  # the whole message, folded over the cell's lines
