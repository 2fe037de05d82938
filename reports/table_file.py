"""A CSV or XLSX file as (line number, cells) records, read like the supplier lists are."""

from __future__ import annotations

from pathlib import Path

from cases.supplier_list import _csv_records, _FileProblem, _xlsx_records


class TableFileError(ValueError):
    """The file as a whole cannot be read as a table."""


def read_records(name: str, data: bytes) -> list[tuple[int, list[str]]]:
    """Every record of a .csv or .xlsx file (first sheet), numbered as a spreadsheet shows them."""
    suffix = Path(name).suffix.lower()
    try:
        if suffix in {".xlsx", ".xlsm"}:
            return list(_xlsx_records(data))
        if suffix in {".csv", ".txt", ""}:
            return list(_csv_records(data))
    except _FileProblem as exc:
        raise TableFileError(f"{name}: {exc}") from None
    raise TableFileError(f"{name}: use a .csv or .xlsx file")


def header_key(text: str) -> str:
    """'Part No.' -> 'part no': lower case, punctuation as spaces."""
    return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())
