"""`minerals db current`: distinct exit codes for a database that needs an upgrade and one not reachable."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli.db import NEEDS_UPGRADE, UNREACHABLE
from cli.main import app

runner = CliRunner()


def current(tmp_path: Path, url: str) -> tuple[int, str]:
    """Exit code and output (line wrapping undone) of `db current` against `url`."""
    result = runner.invoke(
        app, ["db", "current", "--data-dir", str(tmp_path)], env={"MINERALS_DATABASE_URL": url}
    )
    return result.exit_code, " ".join(result.output.split())


def test_a_database_that_needs_an_upgrade_exits_1(empty_database_url: str, tmp_path: Path) -> None:
    code, said = current(tmp_path, empty_database_url)
    assert code == NEEDS_UPGRADE == 1  # the documented codes
    assert "minerals db upgrade" in said


def test_a_server_that_does_not_answer_exits_3_with_the_reason(tmp_path: Path) -> None:
    code, said = current(tmp_path, "postgresql+psycopg://minerals:secret@127.0.0.1:1/minerals")
    assert code == UNREACHABLE == 3
    assert "cannot open" in said and "127.0.0.1:1" in said
    assert "secret" not in said and "Traceback" not in said
