"""The interfaces share the case logic through `cases/` and never import each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported(path: Path) -> set[str]:
    """Top-level package names a module imports, wherever the import statement sits."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(
    ("package", "forbidden"), [("console", "cli"), ("cli", "console"), ("cases", "cli"), ("cases", "console")]
)
def test_interfaces_do_not_import_each_other(package: str, forbidden: str) -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / package).rglob("*.py"))
        if forbidden in imported(path)
    ]
    assert offenders == [], f"{package}/ imports {forbidden}/ in {offenders}"
