"""`minerals check`: readable report, JSON per file and exit codes, on generated and real files."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli.main import app
from mrt.layouts import cmrt6
from mrt.rules import CODES
from mrt.writer import Filling, write_template

runner = CliRunner()
COMPANY: dict[str, Any] = {
    "name": "Example [bold]Parts[/bold] KK",
    "scope": "A. Company",
    "contact_name": "Contact Person",
    "contact_email": "contact@example.com",
    "contact_phone": "+81 3 0000 0000",
    "authorizer": "Authorizing Person",
    "authorizer_email": "authorizer@example.com",
    "effective_date": dt.date(2025, 1, 31),
}


def write(path: Path, **company: Any) -> Path:
    """A CMRT 6.5 whose supplier uses none of the four metals: complete unless `company` spoils it."""
    filling = Filling(
        version="6.5",
        language="ja",
        company={**COMPANY, **company},
        answers={"Q1": dict.fromkeys(cmrt6.METALS, "No")},
    )
    write_template(cmrt6.LAYOUT, filling, path)
    return path


def run_json(*args: str | Path) -> tuple[int, list[dict[str, Any]]]:
    result = runner.invoke(app, ["check", "--json", *map(str, args)])
    return result.exit_code, json.loads(result.stdout)


def test_complete_file_exits_0_with_its_data(tmp_path: Path) -> None:
    code, [report] = run_json(write(tmp_path / "ok.xlsx"))
    assert code == 0
    assert (report["template"], report["version"], report["language"], report["status"]) == (
        "CMRT",
        "6.5",
        "ja",
        "complete",
    )
    assert report["company"]["effective_date"] == "2025-01-31"
    assert report["answers"]["Q1"] == dict.fromkeys(cmrt6.METALS, "No")
    assert report["issues"] == [] and report["smelters"] == []


def test_incomplete_and_unreadable_files_set_the_exit_code(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.xlsx", authorizer=None, contact_email="first,last@example.com")
    assert run_json(bad)[0] == 1
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    code, reports = run_json(write(tmp_path / "ok.xlsx"), bad, text)
    assert code == 2
    assert [r["status"] for r in reports] == ["complete", "incomplete", "unreadable"]
    assert [i["code"] for i in reports[1]["issues"]] == ["missing-required", "invalid-email"]
    assert {i["cell"] for i in reports[1]["issues"]} == {"D18", "D16"}
    assert "承認者" in reports[1]["issues"][0]["message"]  # the file's language (Japanese)
    assert reports[2]["template"] is None
    assert [(i["code"], i["severity"]) for i in reports[2]["issues"]] == [("not-a-spreadsheet", "error")]


def test_missing_file_is_unreadable_not_a_crash(tmp_path: Path) -> None:
    code, [report] = run_json(tmp_path / "absent.xlsx")
    assert code == 2 and report["status"] == "unreadable" and report["issues"][0]["message"]


def test_readable_report_names_verdict_template_and_cells(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.xlsx", authorizer=None)
    result = runner.invoke(app, ["check", "--language", "en", str(write(tmp_path / "ok.xlsx")), str(bad)])
    assert result.exit_code == 1
    out = result.stdout
    assert "CMRT 6.5, language ja" in out and "complete" in out and "incomplete" in out
    assert "D18" in out and "Authorizer is required" in out
    assert "1 complete, 1 incomplete" in out


def test_supplier_brackets_are_printed_not_interpreted(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.xlsx", scope="[red]Group[/red]")
    result = runner.invoke(app, ["check", "--language", "en", str(bad)])
    assert "[red]Group[/red]" in result.stdout


def test_real_filled_files(realworld: Path) -> None:
    files = sorted(realworld.glob("filled-cmrt-6.4-*.xlsx"))
    code, reports = run_json(*files)
    assert code == 1 and len(reports) == 6
    assert {(r["template"], r["version"]) for r in reports} == {("CMRT", "6.4")}
    assert sorted(r["status"] for r in reports).count("complete") == 2
    assert [len(r["smelters"]) for r in reports] == [4, 1, 40, 27, 67, 2]  # filled rows, by file name
    for r in reports:
        assert all(i["code"] in CODES and i["message"] for i in r["issues"])
        assert all(s["row"] >= 5 and s["metal"] in cmrt6.METALS for s in r["smelters"])


@pytest.mark.parametrize("language", ["ja", "zh"])
def test_language_option_rewords_every_message(realworld: Path, language: str) -> None:
    path = realworld / "filled-cmrt-6.4-pkg-de00-anonymous.xlsx"
    _, [english] = run_json(path)
    result = runner.invoke(app, ["check", "--json", "--language", language, str(path)])
    [translated] = json.loads(result.stdout)
    assert [i["code"] for i in translated["issues"]] == [i["code"] for i in english["issues"]]
    assert all(
        t["message"] != e["message"] for t, e in zip(translated["issues"], english["issues"], strict=True)
    )


def test_refusals_carry_their_own_code(tmp_path: Path) -> None:
    bomb = write(tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/blank.xml", b" " * (4 * 1024 * 1024))
    entities = write(tmp_path / "entities.xlsx")
    with zipfile.ZipFile(entities, "a") as z:
        z.writestr("xl/extra.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "a">]><x>&a;</x>')
    large = tmp_path / "large.xlsx"
    with large.open("wb") as f:
        f.write(b"PK\x03\x04")
        f.truncate(30 * 1024 * 1024)  # sparse: costs no disk
    cut = tmp_path / "cut.xlsx"
    whole = write(tmp_path / "whole.xlsx").read_bytes()
    cut.write_bytes(whole[: len(whole) // 2])
    code, reports = run_json(bomb, entities, large, cut, "--language", "ja")
    assert code == 2
    assert [r["status"] for r in reports] == ["unreadable"] * 4
    issues = [r["issues"] for r in reports]
    assert [[(i["code"], i["severity"]) for i in found] for found in issues] == [
        [("zip-bomb", "error")],
        [("xml-entities", "error")],
        [("too-large", "error")],
        [("truncated", "error")],
    ]
    assert "圧縮" in issues[0][0]["message"]  # each code keeps its own wording
