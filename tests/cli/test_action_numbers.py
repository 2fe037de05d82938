"""Every `minerals actions` command takes the action number CASE/N (12/1), as the console and emails do."""

from __future__ import annotations

from pathlib import Path

import pytest
from action_rows import add_campaign, add_case_with_action
from typer.testing import CliRunner

from cli.main import app
from models.corrective import CorrectiveAction
from models.db import make_engine, prepare_schema, session_factory
from models.supplier import Supplier

runner = CliRunner()
CASE = 12


@pytest.fixture
def data_dir(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Case 12 with one accepted action (12/1) and another case's action numbered 1 too (13/1)."""
    monkeypatch.setenv("MINERALS_FILE_STORE_DIR", str(tmp_path / "files"))
    monkeypatch.setenv("MINERALS_DATABASE_URL", database_url)
    engine = make_engine(database_url)
    prepare_schema(engine)
    with session_factory(engine).begin() as session:
        campaign = add_campaign(session)
        for case, status in ((CASE, "accepted"), (CASE + 1, "open")):
            supplier = Supplier(
                supplier_id=f"S{case}", name=f"Supplier {case}", email=f"s{case}@supplier.test"
            )
            action = CorrectiveAction(
                kind="policy",
                group_key="policy",
                severity="medium",
                required_outcome="A policy.",
                status=status,
            )
            add_case_with_action(session, campaign, supplier, action, survey_id=case)
    engine.dispose()
    return str(tmp_path / "data")


COMMANDS = [
    ("accept",),
    ("reject", "--reason", "not enough"),
    ("waive", "--reason", "exited tin"),
    ("extend", "--due", "+14d"),
    ("assign", "lead@company.test"),
    ("note", "called them"),
    ("evidence", "LETTER"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_every_actions_command_finds_the_action_by_its_case_and_number(
    data_dir: str, tmp_path: Path, command: tuple[str, ...]
) -> None:
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(b"%PDF-1.4 policy")
    args = [str(letter) if a == "LETTER" else a for a in command[1:]]
    found = runner.invoke(app, ["actions", command[0], f"{CASE}/1", *args, "--data-dir", data_dir])
    # 12/1 is accepted (13/1 is open): reaching that verdict proves the number named case 12's action
    assert found.exit_code == 1, found.output
    assert f"action {CASE}/1 is accepted; it takes no more decisions or evidence" in found.output
    missing = runner.invoke(app, ["actions", command[0], f"{CASE}/2", *args, "--data-dir", data_dir])
    assert missing.exit_code == 2 and f"no corrective action {CASE}/2" in missing.output
    bare = runner.invoke(app, ["actions", command[0], "1", *args, "--data-dir", data_dir])
    assert bare.exit_code == 2 and "'1' is not an action number; use CASE/N, e.g. 12/1" in bare.output
