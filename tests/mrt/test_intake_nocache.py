"""Files from tools other than Excel (formulas kept, no cached values) read as Excel would show them.

Every official blank in ../shared/realworld, filled with openpyxl in every language its D3 list
offers, is identified (family, stated revision, language) and checks exactly as the same answers
with the values Excel caches; every real filled CMRT re-saved with openpyxl gives the same
`minerals check --json` as the original.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from nocache_kit import Filled, fill_blank, language_code, official_blanks, resave, variant
from typer.testing import CliRunner

from cli.main import app
from mrt.check import check
from mrt.reader import read_file
from mrt.report import FileResult, to_json

REALWORLD = Path(__file__).resolve().parents[3] / "shared" / "realworld"
BLANKS = [p.name for p in official_blanks(REALWORLD)] if REALWORLD.is_dir() else []
FILLED = sorted(p.name for p in REALWORLD.glob("filled-cmrt-*.xlsx")) if REALWORLD.is_dir() else []
TODAY = dt.date(2026, 1, 1)
runner = CliRunner()


def _report(path: Path) -> dict[str, Any]:
    decl = read_file(path)
    report = to_json(FileResult(str(path), decl, check(decl, today=TODAY)))
    del report["file"]
    return report


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("nocache")


@pytest.mark.parametrize("name", BLANKS)
def test_blank_filled_without_cached_values_reads_like_excel_in_every_language(
    realworld: Path, workdir: Path, name: str
) -> None:
    filled: Filled = fill_blank(realworld / name, workdir / name)
    assert filled.languages, "the template offers its languages in L's first row"
    for language in filled.languages:
        stem = f"{name}-{language_code(language)}"
        bare = variant(filled, language, cached=False, target=workdir / f"{stem}-bare.xlsx")
        excel = variant(filled, language, cached=True, target=workdir / f"{stem}-cached.xlsx")
        decl = read_file(bare)
        identity = (decl.family, decl.version, decl.language)
        assert identity == (filled.family, filled.version, language_code(language)), language
        assert len(decl.smelters) == filled.smelter_rows, language
        without, with_cache = _report(bare), _report(excel)
        assert without == with_cache, language
        # Not vacuous: the phone left out (and the answers left blank) are counted.
        assert any(i["code"] == "missing-required" for i in without["issues"]), language


@pytest.mark.parametrize("name", FILLED)
def test_real_filled_file_resaved_with_openpyxl_checks_the_same(
    realworld: Path, workdir: Path, name: str
) -> None:
    resaved = resave(realworld / name, workdir / f"resaved-{name}")
    result = runner.invoke(app, ["check", "--json", str(realworld / name), str(resaved)])
    original, again = json.loads(result.stdout)
    assert original.pop("file") != again.pop("file")
    assert again["template"] == "CMRT" and again["version"] == "6.4"
    assert again["issues"] == original["issues"]
    assert again["smelters"] == original["smelters"]
    assert again["answers"] == original["answers"]
    assert again == original
