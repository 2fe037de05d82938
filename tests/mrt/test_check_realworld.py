"""The checker on real files: as many `missing-required` as each file's own Checker tab cached."""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from pathlib import Path

import msoffcrypto
import pytest
from python_calamine import CalamineWorkbook

import mrt
from mrt.check import missing_required, reword
from mrt.model import Declaration, Unreadable
from mrt.reader import read_file
from mrt.rules import CODES

TODAY = dt.date(2026, 1, 1)
FILLED = (
    "filled-cmrt-6.4-central-glass-tungsten.xlsx",
    "filled-cmrt-6.4-emd-merck-wf6.xlsx",
    "filled-cmrt-6.4-honeywell-hem.xlsx",
    "filled-cmrt-6.4-jx-advanced-metals.xlsx",
    "filled-cmrt-6.4-pkg-de00-anonymous.xlsx",
    "filled-cmrt-6.4-sk-specialty-wf6.xlsx",
)


@cache
def read(path: Path) -> Declaration:
    """Each real file parsed once for the whole module."""
    return read_file(path)


def cached_checker_count(path: Path) -> int:
    """Checker!D2 as Excel last computed it (legacy .xls decrypted with Excel's default password)."""
    if path.suffix == ".xls":
        decrypted = io.BytesIO()
        with path.open("rb") as fh:
            office = msoffcrypto.OfficeFile(fh)
            office.load_key(password="VelvetSweatshop")
            office.decrypt(decrypted)
        decrypted.seek(0)
        book = CalamineWorkbook.from_filelike(decrypted)
    else:
        book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name("Checker").to_python(skip_empty_area=False)
    return int(float(str(rows[1][3])))


@pytest.mark.parametrize("name", FILLED)
def test_filled_files_count_what_their_checker_counted(realworld: Path, name: str) -> None:
    path = realworld / name
    issues = mrt.check(read(path), today=TODAY)
    assert missing_required(issues) == cached_checker_count(path)
    assert all(i.code in CODES and i.message for i in issues)


def test_every_readable_template_with_a_checker_tab_agrees_with_it(realworld: Path) -> None:
    compared = 0
    for path in sorted(realworld.glob("rmi-*.xlsx")):
        try:
            declaration = read(path)
        except Unreadable:
            continue  # a layout the reader does not support yet
        issues = mrt.check(declaration, today=TODAY)
        assert missing_required(issues) == cached_checker_count(path), path.name
        compared += 1
    assert compared >= 6  # at least the CMRT 6.x blanks


def test_known_mistakes_in_the_real_files_are_found(realworld: Path) -> None:
    found = {name: {i.code for i in mrt.check(read(realworld / name), today=TODAY)} for name in FILLED}
    assert "invalid-email" in found["filled-cmrt-6.4-central-glass-tungsten.xlsx"]  # comma for a dot
    assert "whitespace" in found["filled-cmrt-6.4-honeywell-hem.xlsx"]  # trailing tabs
    assert "invalid-date" not in found["filled-cmrt-6.4-honeywell-hem.xlsx"]  # "02-May-2024" is a date
    assert found["filled-cmrt-6.4-emd-merck-wf6.xlsx"] == set()
    statuses = {name: mrt.status(mrt.check(read(realworld / name), today=TODAY)) for name in FILLED}
    assert sorted(statuses.values()).count("complete") == 2  # Merck, JX (duplicates are warnings)


@pytest.mark.parametrize("language", ["ja", "zh"])
def test_real_file_issues_read_in_other_languages(realworld: Path, language: str) -> None:
    issues = mrt.check(read(realworld / "filled-cmrt-6.4-pkg-de00-anonymous.xlsx"), today=TODAY)
    translated = reword(issues, language)
    assert len(translated) == len(issues) == 8
    assert all(t.message and t.message != i.message for t, i in zip(translated, issues, strict=True))


LEGACY = (
    "cfsi-cmrt-3.01-sample-green.xlsx",
    "cfsi-cmrt-3.01-sample-validation-needed.xlsx",
    "cfsi-cmrt-3.01-sample-filled-encrypted.xls",
)


@pytest.mark.parametrize("name", LEGACY)
def test_legacy_files_count_what_their_checker_counted(realworld: Path, name: str) -> None:
    try:
        declaration = read(realworld / name)
    except Unreadable:
        pytest.skip("the reader does not support this CMRT 3.x file yet")
    issues = mrt.check(declaration, today=TODAY)
    assert missing_required(issues) == cached_checker_count(realworld / name)
    # Names typed from the old reference list are not warnings: 3.x files carry only standard names.
    assert "unknown-smelter-name" not in {i.code for i in issues}


def test_legacy_sample_names_what_is_missing(realworld: Path) -> None:
    needed = mrt.check(read(realworld / "cfsi-cmrt-3.01-sample-validation-needed.xlsx"), today=TODAY)
    missing = [i.cell for i in needed if i.code == "missing-required"]
    assert missing == ["D8", "D9", "G71"]  # company name, scope, and a policy URL without "www"
