"""Which data dir (and so which stack) a command talks to, and the pointer `minerals up` leaves behind.

In order: `--data-dir`, then `MINERALS_DATA_DIR`, then the pointer file `.minerals-stack` in the
working directory (written by `minerals up --data-dir DIR`: one line, DIR's absolute path), then
`./.minerals`. Only the first two are explicit: a database is never created in a dir found the
other ways (see `cli.context.require_stack`).
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from pathlib import Path

POINTER = ".minerals-stack"
DEFAULT = ".minerals"
DATABASE_FILE = "minerals.db"  # Settings.resolved_database_url's SQLite file


@dataclass(frozen=True)
class DataDirChoice:
    """A data dir and how it was found: `flag`, `env`, `pointer` or `default`."""

    path: Path
    origin: str
    pointer: Path | None = None  # the pointer file that named it, if any

    @property
    def explicit(self) -> bool:
        """Whether the user named this dir (a command may then create its database)."""
        return self.origin in ("flag", "env")


def pointer_file(cwd: Path | None = None) -> Path:
    """Where `minerals up` records its data dir for commands run in `cwd`."""
    return (cwd or Path.cwd()) / POINTER


def found_here(cwd: Path | None = None) -> DataDirChoice:
    """The data dir a command run in `cwd` without `--data-dir` or MINERALS_DATA_DIR uses."""
    cwd = cwd or Path.cwd()
    pointer = pointer_file(cwd)
    try:
        named = pointer.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        named = ""
    if named:
        return DataDirChoice(Path(named), "pointer", pointer)
    return DataDirChoice(cwd / DEFAULT, "default")


def choose(data_dir: str | None, cwd: Path | None = None) -> DataDirChoice:
    """The data dir of a command: the flag, else the environment, else what `cwd` points at."""
    if data_dir:
        return DataDirChoice(Path(data_dir), "flag")
    if env := os.environ.get("MINERALS_DATA_DIR"):
        return DataDirChoice(Path(env), "env")
    return found_here(cwd)


def record(data_dir: Path, cwd: Path | None = None) -> Path | None:
    """Point commands run in `cwd` at `data_dir`; None when no pointer is needed (`./.minerals`)."""
    cwd = cwd or Path.cwd()
    pointer = pointer_file(cwd)
    target = data_dir.resolve()
    if target == (cwd / DEFAULT).resolve():
        pointer.unlink(missing_ok=True)  # the default needs no pointer; a stale one would win over it
        return None
    pointer.write_text(f"{target}\n", encoding="utf-8")
    return pointer


def data_dir_flag(data_dir: str | Path, cwd: Path | None = None) -> str:
    """` --data-dir DIR` when a command run in `cwd` without flags would not find DIR, else ``."""
    here = found_here(cwd).path.resolve()
    target = Path(data_dir).resolve()
    return "" if target == here else f" --data-dir {shlex.quote(str(target))}"
