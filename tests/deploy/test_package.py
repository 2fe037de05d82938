"""The installed package carries every file the code reads at run time (the image installs it, not /app)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = {
    "templates": ("*.j2", "*.html"),
    "console/static": ("*",),
    "i18n/locale": ("*.pot", "*.po"),
    "models/migrations": ("*.py",),
}


def test_the_wheel_holds_templates_migrations_messages_and_static_files(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    inside = set(zipfile.ZipFile(wheel).namelist())
    wanted = {
        str(path.relative_to(ROOT))
        for folder, patterns in DATA.items()
        for pattern in patterns
        for path in (ROOT / folder).rglob(pattern)
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert len(wanted) > 60  # the email templates, pages, the message catalogs, migrations
    assert wanted - inside == set()
