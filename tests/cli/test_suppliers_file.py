"""Reading supplier lists: valid rows come through, every bad row is reported with its line."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from cli.supplier_file import read_supplier_file

HEADER = "supplier_id,name,email,contact_name,language,owner_email,minerals\n"


def write(tmp_path: Path, text: str, name: str = "suppliers.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_csv_rows_are_normalised(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER + "S1,Acme Metals,Sales@Acme.example,Ann,JA,buyer@us.example,Tin; Gold\n"
        "S2,Beta Parts,b@beta.example,,,,\n",
    )
    result = read_supplier_file(path)
    assert result.ok
    first, second = result.rows
    assert (first.line, first.email, first.language) == (2, "sales@acme.example", "ja")
    assert first.minerals == ("tin", "gold")
    assert (second.line, second.language, second.minerals) == (3, "en", ())


def test_every_bad_row_is_reported_with_line_and_reason(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER + "S1,Acme,a@acme.example,,,,\n"
        "\n"
        "S2,,not-an-email,,xx,,\n"
        "S1,Again,c@c.example,,,,\n"
        "bad id!,Name,d@d.example,,,owner@,\n",
    )
    result = read_supplier_file(path)
    assert not result.ok
    by_line = {e.line: e.reason for e in result.errors}
    assert set(by_line) == {4, 5, 6}
    assert "name is empty" in by_line[4] and "not an email" in by_line[4] and "language" in by_line[4]
    assert "already on line 2" in by_line[5]
    assert "supplier_id" in by_line[6] and "owner_email" in by_line[6]


def test_missing_or_unknown_columns_reject_the_file(tmp_path: Path) -> None:
    result = read_supplier_file(write(tmp_path, "supplier_id,name,phone\nS1,Acme,123\n"))
    assert [e.line for e in result.errors] == [1]
    assert "missing required column 'email'" in result.errors[0].reason
    assert "unknown column 'phone'" in result.errors[0].reason
    assert result.rows == []


def test_empty_and_non_utf8_files_get_clear_messages(tmp_path: Path) -> None:
    assert "empty" in str(read_supplier_file(write(tmp_path, "\n\n")).errors[0])
    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.encode() + "S1,Müller,m@m.example,,,,\n".encode("latin-1"))
    assert "UTF-8" in str(read_supplier_file(latin).errors[0])
    assert "use a .csv or .xlsx" in str(read_supplier_file(write(tmp_path, "x", "list.pdf")).errors[0])
    assert "not a readable .xlsx" in str(read_supplier_file(write(tmp_path, "x", "broken.xlsx")).errors[0])


def test_semicolon_csv_and_xlsx_are_read(tmp_path: Path) -> None:
    semi = write(tmp_path, "supplier_id;name;email\nS9;Nine;n@nine.example\n")
    assert [r.supplier_id for r in read_supplier_file(semi).rows] == ["S9"]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Supplier ID", "Name", "Email", "Language"])
    sheet.append([1001, "Numbered", "x@num.example", "zh"])
    sheet.append([None, None, None, None])
    sheet.append(["S2", "Bad", "nope", None])
    book.save(tmp_path / "s.xlsx")
    result = read_supplier_file(tmp_path / "s.xlsx")
    assert [(r.supplier_id, r.language) for r in result.rows] == [("1001", "zh")]
    assert [e.line for e in result.errors] == [4]
