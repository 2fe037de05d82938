"""Template identity: family from the title or sheets, revision from J3 or older places, language."""

from __future__ import annotations

from pathlib import Path

import pytest

from mrt.layouts import cmrt3, cmrt6, crt2
from mrt.reader import read_file
from mrt.writer import Filling, write_template


def _write(tmp_path: Path, filling: Filling, layout=cmrt6.LAYOUT) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "t.xlsx"
    write_template(layout, filling, path)
    return path


@pytest.mark.parametrize(("label", "code"), [("日本語 Japanese", "ja"), ("Türkçe", "tr"), ("Klingon", "en")])
def test_language_selection_becomes_an_iso_code(tmp_path: Path, label: str, code: str) -> None:
    assert read_file(_write(tmp_path, Filling(version="6.5", language=label))).language == code


def test_revision_in_older_places(tmp_path: Path) -> None:
    in_q3 = Filling(version="", extra_cells={("Smelter List", "Q3"): "Revision 3.02\nNovember 7, 2014"})
    assert read_file(_write(tmp_path, in_q3, cmrt3.LAYOUT)).version == "3.02"
    in_revision_sheet = Filling(
        version="", extra_cells={("Revision", "B13"): 6.1, ("Revision", "B14"): "6.22"}
    )
    assert read_file(_write(tmp_path, in_revision_sheet)).version == "6.22"


def test_translated_title_keeps_the_family(tmp_path: Path) -> None:
    filling = Filling(version="2.21", extra_cells={("Declaration", "D2"): "钴报告模板 (CRT)"})
    decl = read_file(_write(tmp_path, filling, crt2.LAYOUT))
    assert (decl.family, decl.version, decl.minerals) == ("CRT", "2.21", ["Cobalt"])
