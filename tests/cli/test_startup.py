"""`minerals` imports a command's module only when that command runs: `--help` and `check` stay light."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import COMMANDS, load_command
from cli.sample_files import write_samples

HEAVY = ("temporalio", "sqlalchemy", "fastapi", "openpyxl", "alembic", "uvicorn")
RUN_APP = "from cli.main import app\ntry: app()\nexcept SystemExit: pass"
IMPORTED = "import sys; {run}; print(sorted({{m.split('.')[0] for m in sys.modules}}))"


def imported_by(run: str) -> set[str]:
    """The top-level packages a fresh interpreter holds after `run` (the command's SystemExit caught)."""
    code = IMPORTED.format(run=f"exec({run!r})")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1].replace("'", '"')))


def test_importing_the_app_and_printing_its_help_imports_no_heavy_library() -> None:
    assert imported_by("import cli.main").isdisjoint(HEAVY)
    run = "import sys; sys.argv = ['minerals', '--help']\n" + RUN_APP
    assert imported_by(run).isdisjoint(HEAVY)


def test_check_imports_neither_the_database_nor_temporal_nor_the_console(tmp_path: Path) -> None:
    sample = write_samples(tmp_path)[0].file
    run = f"import sys; sys.argv = ['minerals', 'check', {str(sample)!r}, '--json']\n" + RUN_APP
    assert imported_by(run).isdisjoint(("temporalio", "sqlalchemy", "fastapi", "alembic", "uvicorn", "rich"))


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_help_listed_is_the_commands_own(name: str) -> None:
    command = load_command(name)
    assert command.name == name
    assert " ".join((command.help or "").split("\n\n")[0].split()) == COMMANDS[name][1]
