"""Template identity: family from the title or sheets, revision from J3 or older places, language."""

from __future__ import annotations

from pathlib import Path

import pytest
from layout_kit import VERSIONS
from openpyxl import load_workbook

from mrt.layouts import amrt1, cmrt2, cmrt3, cmrt6, crt2, emrt1
from mrt.model import LookupEntry, Unreadable
from mrt.reader import read_file
from mrt.writer import Filling, Value, write_template


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


def _translations(family_title: str) -> dict[tuple[str, str], str]:
    """The rows of a translation sheet `L` that list Declaration!D2 (header row, then the title)."""
    return {
        ("L", "B1"): "Sheets",
        ("L", "C1"): "Cells",
        ("L", "D1"): "English",
        ("L", "H1"): "Français",
        ("L", "B7"): "Declaration",
        ("L", "C7"): "D2",
        ("L", "D7"): family_title,
        ("L", "H7"): "Conflict Minerals Reporting Template (CMRT)",  # the CRT 2.2x French title, sic
    }


def test_translation_sheet_decides_the_family_over_a_misleading_title(tmp_path: Path) -> None:
    # A CRT saved in French caches its French title, which says "(CMRT)"; L's English title decides.
    filling = Filling(
        version="2.2",
        language="Français",
        extra_cells={
            **_translations("Cobalt Reporting Template (CRT)"),
            ("Declaration", "D2"): "Conflict Minerals Reporting Template (CMRT)",
        },
    )
    decl = read_file(_write(tmp_path, filling, crt2.LAYOUT))
    assert (decl.family, decl.version, decl.language, decl.minerals) == ("CRT", "2.2", "fr", ["Cobalt"])


def test_no_title_value_needed_when_the_translation_sheet_is_there(tmp_path: Path) -> None:
    # Files written by openpyxl, POI or EPPlus keep D2's formula but no value.
    filling = Filling(
        version="1.3", extra_cells={**_translations("Extended Mineral Reporting Template (EMRT)")}
    )
    path = _write(tmp_path, filling, emrt1.LAYOUT)
    wb = load_workbook(path)
    wb["Declaration"]["D2"] = None
    wb.save(path)
    assert (read_file(path).family, read_file(path).layout) == ("EMRT", emrt1.LAYOUT)


@pytest.mark.parametrize(
    ("title", "language", "family", "code"),
    [
        ("拡張鉱物報告テンプレート（EMRT）", "日本語 Japanese", "EMRT", "ja"),  # full-width brackets
        ("追加鉱物報告テンプレート（ＡＭＲＴ）", "日本語\u3000Japanese", "AMRT", "ja"),  # full-width
        ("본 추가 광물 보고 양식(AMRT)", "한국어", "AMRT", "ko"),
        ("Conflict Minerals Reporting Template", "ITALIANO", "CMRT", "it"),
    ],
)
def test_titles_and_language_labels_match_in_any_width_and_case(
    tmp_path: Path, title: str, language: str, family: str, code: str
) -> None:
    layout = {"EMRT": emrt1.LAYOUT, "AMRT": amrt1.LAYOUT_13, "CMRT": cmrt6.LAYOUT}[family]
    filling = Filling(VERSIONS[layout.generation], language, extra_cells={("Declaration", "D2"): title})
    decl = read_file(_write(tmp_path, filling, layout))
    assert (decl.family, decl.language) == (family, code)


def test_a_file_naming_no_template_is_refused(tmp_path: Path) -> None:
    filling = Filling(version="6.5", extra_cells={("Declaration", "D2"): "Supplier survey"})
    with pytest.raises(Unreadable) as refused:
        read_file(_write(tmp_path, filling, cmrt6.LAYOUT))
    assert refused.value.code == "unknown-template"


def test_without_translations_or_title_the_lookup_minerals_name_the_family(tmp_path: Path) -> None:
    lookup = [LookupEntry("Cobalt", "Cobalt Refinery", "Cobalt Refinery", "FINLAND", "CID000001")]
    path = _write(tmp_path, Filling(version="2.2", lookup=lookup), crt2.LAYOUT)
    wb = load_workbook(path)
    wb["Declaration"]["D2"] = None  # a tool that keeps neither the title's formula nor its value
    wb.save(path)
    assert read_file(path).family == "CRT"


def test_metal_in_column_a_is_seen_in_the_rows_when_the_header_has_no_value(tmp_path: Path) -> None:
    # CMRT 2.0x files whose rows start with the metal; the header is a formula with nothing cached.
    row: dict[str, Value] = {"metal": "Gold", "lookup": "Gold Refinery", "country": "PERU"}
    path = _write(tmp_path, Filling(version="2.02", smelters=[row]), cmrt2.LAYOUT_SHIFTED)
    wb = load_workbook(path)
    wb["Smelter List"]["A4"] = None
    wb.save(path)
    decl = read_file(path)
    assert decl.layout == cmrt2.LAYOUT_SHIFTED
    assert [(r.metal, r.lookup, r.country) for r in decl.smelters] == [("Gold", "Gold Refinery", "PERU")]
