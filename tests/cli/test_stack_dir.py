"""Which stack a command talks to: none here, one elsewhere, MINERALS_DATA_DIR; hints carry their flags."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cli.main import app
from cli.sample_files import SUPPLIERS_FILE, write_samples
from cli.stack_dir import POINTER, record

runner = CliRunner()
MINERALS = [sys.executable, "-m", "cli.main"]


def minerals(*args: str) -> Result:
    return runner.invoke(app, list(args))


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with no stack, and no variable naming one (the SQLite default on any CI)."""
    for name in ("MINERALS_DATA_DIR", "MINERALS_DATABASE_URL", "MINERALS_FILE_STORE_DIR"):
        monkeypatch.delenv(name, raising=False)
    cwd = tmp_path / "work"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


@pytest.fixture
def elsewhere(tmp_path: Path, here: Path) -> Path:
    """A data dir outside the working directory holding a database with the four sample suppliers."""
    data = tmp_path / "stack"
    samples = write_samples(tmp_path / "samples")
    imported = minerals(
        "suppliers", "import", str(samples[0].file.parent / SUPPLIERS_FILE), "--data-dir", str(data)
    )
    assert imported.exit_code == 0, imported.output
    return data


@pytest.mark.parametrize(
    "command",
    [
        ("cases", "list"),
        ("suppliers", "list"),
        ("campaign", "status", "CMRT-2027"),
        ("users", "list"),
        ("actions", "accept", "12/1"),
        ("report", "kpi"),
        ("db", "current"),
        ("console", "--port", "1"),
        ("worker",),
    ],
)
def test_a_command_without_a_stack_says_where_it_looked_and_creates_nothing(
    here: Path, command: tuple[str, ...]
) -> None:
    result = minerals(*command)
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert f"no stack found: {here / '.minerals'} holds no database" in text
    assert "`minerals up`" in text and "--data-dir DIR" in text and "MINERALS_DATA_DIR" in text
    assert not (here / ".minerals").exists()


def test_a_stack_elsewhere_is_found_through_the_pointer_up_leaves(here: Path, elsewhere: Path) -> None:
    assert minerals("suppliers", "list").exit_code == 2  # not found from here yet
    pointer = record(elsewhere)  # what `minerals up --data-dir` does once the stack runs
    assert pointer == here / POINTER and pointer.read_text().strip() == str(elsewhere.resolve())
    listed = minerals("suppliers", "list")
    assert listed.exit_code == 0 and "DEMO00003" in listed.output
    assert not (here / ".minerals").exists()


def test_a_pointer_to_a_removed_stack_is_named(here: Path, tmp_path: Path) -> None:
    record(tmp_path / "gone")
    result = minerals("cases", "list")
    text = " ".join(result.output.split())
    assert result.exit_code == 2 and f"{here / POINTER} points at {tmp_path / 'gone'}" in text


def test_minerals_data_dir_names_the_stack_from_any_directory(
    here: Path, elsewhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINERALS_DATA_DIR", str(elsewhere))
    listed = minerals("suppliers", "list")
    assert listed.exit_code == 0 and "DEMO00000" in listed.output


def test_an_explicit_data_dir_may_create_a_database(here: Path, tmp_path: Path) -> None:
    result = minerals("cases", "list", "--data-dir", str(tmp_path / "new"))
    assert result.exit_code == 0 and "0 case(s)" in result.output


def test_hints_carry_the_data_dir_unless_this_directory_finds_it(here: Path, elsewhere: Path) -> None:
    flag = f"--data-dir {elsewhere.resolve()}"
    missing = minerals("actions", "accept", "12/1", "--data-dir", str(elsewhere))
    assert missing.exit_code == 2
    assert f"`minerals cases show 12 {flag}`" in " ".join(missing.output.split())
    no_campaign = minerals("report", "kpi", "--data-dir", str(elsewhere))
    assert f"`minerals campaign start {flag}`" in " ".join(no_campaign.output.split())
    for command, shown in [
        (("registry", "show", "99"), "minerals registry list"),
        (("outreach", "show", "CID000001"), "minerals outreach list"),
    ]:
        result = minerals(*command, "--data-dir", str(elsewhere))
        assert result.exit_code != 0 and f"`{shown} {flag}`" in " ".join(result.output.split())
    record(elsewhere)
    from_here = minerals("actions", "accept", "12/1")
    assert "`minerals cases show 12`" in " ".join(from_here.output.split())


def test_up_with_a_data_dir_points_this_directory_at_its_stack(here: Path, tmp_path: Path) -> None:
    data, log = tmp_path / "stack", tmp_path / "up.log"
    with log.open("w") as out:
        up = subprocess.Popen(
            [*MINERALS, "up", "--no-ui", "--data-dir", str(data)],
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        deadline = time.monotonic() + 90
        while "Press Ctrl-C" not in log.read_text():
            assert up.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        printed = " ".join(log.read_text().split())
        assert f"Commands run in {here} find this stack through {here / POINTER}" in printed
        assert "--data-dir" not in printed  # its hints run as shown from here
        listed = subprocess.run([*MINERALS, "suppliers", "list"], capture_output=True, text=True, check=False)
        assert listed.returncode == 0 and "0 supplier(s)" in listed.stdout, listed.stderr
    finally:
        up.send_signal(signal.SIGTERM)
        assert up.wait(60) == 0
    assert (here / POINTER).read_text().strip() == str(data.resolve())
