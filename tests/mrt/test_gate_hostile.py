"""Hostile uploads, generated here: each ends in a clear Unreadable or a declaration, never a crash."""

from __future__ import annotations

import io
import os
import pathlib
import signal
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from hostile_kit import entity_bomb, rezip, sheet_member, template
from msoffcrypto.format.ooxml import OOXMLFile

from mrt.gate import inspect
from mrt.isolation import ParsePool
from mrt.layouts import cmrt6
from mrt.model import Unreadable
from mrt.reader import read, read_file
from mrt.writer import Filling, write_template

INJECTION = "=cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def pool() -> Iterator[ParsePool]:
    p = ParsePool(size=1, memory_limit=1024**3, timeout=30)
    yield p
    p.close()


def _code(path: Path, pool: ParsePool) -> str:
    with pytest.raises(Unreadable) as info:
        read(path, pool=pool)
    assert info.value.message  # always something to tell the supplier
    return info.value.code


def test_plain_text_and_empty_files_are_not_spreadsheets(tmp_path: Path, pool: ParsePool) -> None:
    (tmp_path / "a.xlsx").write_text("Company;Tin;Yes\n")
    (tmp_path / "b.xlsx").write_bytes(b"")
    assert _code(tmp_path / "a.xlsx", pool) == "not-a-spreadsheet"
    assert _code(tmp_path / "b.xlsx", pool) == "not-a-spreadsheet"


def test_zip_that_is_not_a_workbook(tmp_path: Path, pool: ParsePool) -> None:
    path = tmp_path / "notes.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("notes.txt", "hello")
    assert _code(path, pool) == "not-a-spreadsheet"


def test_highly_compressed_member_is_a_zip_bomb(tmp_path: Path, pool: ParsePool) -> None:
    base = template(tmp_path)
    bomb = rezip(base, tmp_path / "bomb.xlsx", {"xl/media/blank.xml": b" " * (4 * 1024 * 1024)})
    assert _code(bomb, pool) == "zip-bomb"


def test_thousands_of_members_is_a_zip_bomb(tmp_path: Path, pool: ParsePool) -> None:
    base = template(tmp_path)
    many = {f"xl/media/p{i}.bin": b"x" for i in range(2100)}
    assert _code(rezip(base, tmp_path / "many.xlsx", many), pool) == "zip-bomb"


def test_xml_entity_bomb_is_refused(tmp_path: Path, pool: ParsePool) -> None:
    base = template(tmp_path)
    lol = {"xl/sharedStrings.xml": entity_bomb()}
    assert _code(rezip(base, tmp_path / "lol.xlsx", lol), pool) == "xml-entities"


@pytest.mark.parametrize(
    ("codec", "declared"),
    [
        ("utf-16", "UTF-16"),  # with a byte order mark
        ("utf-16-be", "UTF-16"),  # without: told by its zero bytes
        ("utf-32", "UTF-32"),
        ("utf-32-le", "UTF-32"),
        ("utf-8", "UTF-7"),  # an ASCII start that declares another encoding
    ],
)
def test_entity_bomb_in_another_encoding_is_refused(
    tmp_path: Path, pool: ParsePool, codec: str, declared: str
) -> None:
    bomb = entity_bomb(codec, declared)
    if declared == "UTF-7":  # "<!" written as UTF-7 escapes: only decoding shows the DOCTYPE
        bomb = bomb.replace(b"<!", b"+ADwAIQ-")
    base = template(tmp_path)
    path = rezip(base, tmp_path / "lol16.xlsx", {"xl/sharedStrings.xml": bomb})
    assert _code(path, pool) == "xml-entities"
    with pytest.raises(Unreadable) as info:
        inspect(path)
    assert info.value.code == "xml-entities"


def test_truncated_file(tmp_path: Path, pool: ParsePool) -> None:
    data = template(tmp_path).read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    assert _code(tmp_path / "cut.xlsx", pool) == "truncated"


def test_hundred_megabyte_file_is_too_large(tmp_path: Path, pool: ParsePool) -> None:
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as f:
        f.write(b"PK\x03\x04")
        f.truncate(100 * 1024 * 1024)  # sparse: costs no disk or time
    assert _code(path, pool) == "too-large"


def test_whole_grid_sheet_is_refused_before_the_parser(tmp_path: Path, pool: ParsePool) -> None:
    base = template(tmp_path)
    member = sheet_member(base, "Smelter List")
    with zipfile.ZipFile(base) as z:
        xml = z.read(member)
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    grid = rezip(base, tmp_path / "grid.xlsx", {member: xml.replace(b"</sheetData>", far)})
    assert _code(grid, pool) == "too-large"
    # Past the gate, the parser itself dies on this file: the pool reports it and keeps serving.
    with pytest.raises(Unreadable) as info:
        pool.call(read_file, str(grid))
    assert info.value.code in ("parser-crashed", "too-large")
    assert read(base, pool=pool).company["name"].value == "Example Co"


def test_password_protected_file_is_encrypted(tmp_path: Path, pool: ParsePool) -> None:
    out = tmp_path / "secret.xlsx"
    with template(tmp_path).open("rb") as plain, out.open("wb") as target:
        OOXMLFile(plain).encrypt("not-the-default", target)
    assert _code(out, pool) == "encrypted"


def test_default_password_file_is_decrypted(tmp_path: Path, pool: ParsePool) -> None:
    out = tmp_path / "velvet.xlsx"
    with template(tmp_path).open("rb") as plain, out.open("wb") as target:
        OOXMLFile(plain).encrypt("VelvetSweatshop", target)
    decl = read(out, pool=pool)
    assert (decl.family, decl.version, decl.company["name"].value) == ("CMRT", "6.5", "Example Co")


def test_macro_enabled_workbook_is_read_and_flagged(tmp_path: Path, pool: ParsePool) -> None:
    base = template(tmp_path)
    xlsm = rezip(base, tmp_path / "macro.xlsm", {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 not run"})
    assert read(xlsm, pool=pool).macro_enabled is True
    assert read(base, pool=pool).macro_enabled is False


def test_formula_injection_text_stays_text(tmp_path: Path, pool: ParsePool) -> None:
    path = template(tmp_path, company=INJECTION)
    decl = read(path, pool=pool)
    assert decl.company["name"].value == INJECTION
    again = io.BytesIO()
    write_template(cmrt6.LAYOUT, Filling(version="6.5", company={"name": decl.company["name"].value}), again)
    cell = openpyxl.load_workbook(io.BytesIO(again.getvalue()))["Declaration"]["D8"]
    assert (cell.data_type, cell.value) == ("s", INJECTION)


def test_child_crash_and_hang_cost_one_call(pool: ParsePool) -> None:
    with pytest.raises(Unreadable) as crashed:
        pool.call(os.abort)
    assert crashed.value.code == "parser-crashed"
    with pytest.raises(Unreadable) as hung:
        pool.call(time.sleep, 60, timeout=0.5)
    assert hung.value.code == "timeout"
    assert pool.call(int, "7") == 7


def test_child_killed_while_idle_does_not_fail_the_next_read(pool: ParsePool) -> None:
    pid = pool.call(os.getpid)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    assert pool.call(int, "3") == 3


def test_only_declaration_data_comes_back_from_a_child(pool: ParsePool) -> None:
    with pytest.raises(Unreadable) as refused:
        pool.call(pathlib.Path, "/")  # any class outside the declaration model is refused
    assert refused.value.code == "parser-crashed"


def test_default_password_does_not_hide_a_zip_bomb(tmp_path: Path, pool: ParsePool) -> None:
    bomb = rezip(template(tmp_path), tmp_path / "bomb.xlsx", {"xl/media/blank.xml": b" " * (4 * 1024 * 1024)})
    out = tmp_path / "velvet-bomb.xlsx"
    with bomb.open("rb") as plain, out.open("wb") as target:
        OOXMLFile(plain).encrypt("VelvetSweatshop", target)
    assert _code(out, pool) == "zip-bomb"


def test_ordinary_workbook_is_not_atemplate(tmp_path: Path, pool: ParsePool) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Supplier list"
    wb.save(tmp_path / "list.xlsx")
    assert _code(tmp_path / "list.xlsx", pool) == "unknown-template"
    declaration = openpyxl.Workbook()
    declaration.active.title = "Declaration"
    declaration.active["D2"] = "Conflict Minerals Reporting Template (CMRT)"  # but no revision anywhere
    declaration.save(tmp_path / "norev.xlsx")
    assert _code(tmp_path / "norev.xlsx", pool) == "unknown-template"


def test_future_major_version_is_unsupported(tmp_path: Path, pool: ParsePool) -> None:
    write_template(cmrt6.LAYOUT, Filling(version="7.0"), tmp_path / "v7.xlsx")
    assert _code(tmp_path / "v7.xlsx", pool) == "unsupported-version"


def test_a_call_that_cannot_be_sent_keeps_the_pool_usable(pool: ParsePool) -> None:
    for _ in range(3):  # more than the pool's size: a leaked slot would block here
        with pytest.raises(Exception, match="pickle"):
            pool.call(lambda: 1)
    assert pool.call(int, "5") == 5


def test_far_cell_hidden_behind_other_attributes_is_found(tmp_path: Path, pool: ParsePool) -> None:
    base = template(tmp_path)
    member = sheet_member(base, "Declaration")
    with zipfile.ZipFile(base) as z:
        xml = z.read(member)
    far = b'<row r="99999"><c t="inlineStr" s="0" r="AAA99999"><is><t>x</t></is></c></row></sheetData>'
    wide = rezip(base, tmp_path / "wide.xlsx", {member: xml.replace(b"</sheetData>", far)})
    with pytest.raises(Unreadable) as info:
        inspect(wide)
    assert info.value.code == "too-large"
    assert _code(wide, pool) == "too-large"
