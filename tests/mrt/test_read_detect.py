"""Template identity: family from the title or sheets, revision from J3 or older places, language."""

from __future__ import annotations

from pathlib import Path

import pytest

from mrt.layouts import amrt1, cmrt3, cmrt6, crt2
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


def test_chosen_minerals_sort_like_the_template_with_other_and_duplicates(tmp_path: Path) -> None:
    # AMRT 1.3 sorts the chosen minerals into Q1 rows D31..; "Other" takes the name typed 3 rows below.
    filling = Filling(
        version="1.3",
        minerals=["Zinc", "Other [specify below]", "Aluminum", "Aluminum", "(none)"],
        extra_cells={
            ("Declaration", "E15"): "gallium",
            ("Declaration", "D31"): "Yes",  # Aluminum
            ("Declaration", "D32"): "No",  # Aluminum again: the template repeats it, the first row counts
            ("Declaration", "D33"): "Unknown",  # gallium
            ("Declaration", "D34"): "Not declaring",  # Zinc
        },
    )
    decl = read_file(_write(tmp_path, filling, amrt1.LAYOUT_13))
    assert decl.minerals == ["Aluminum", "gallium", "Zinc"]
    assert {m: f.value for m, f in decl.mineral_answers["Q1"].items()} == {
        "Aluminum": "Yes",
        "gallium": "Unknown",
        "Zinc": "Not declaring",
    }
    assert decl.mineral_answers["Q1"]["Zinc"].cell == "D34"
