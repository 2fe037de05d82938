"""Audit exports (JSON Lines, CSV, XLSX) carrying the chain head, and reading them back to verify offline.

Every event keeps its exact chained fields. Text a spreadsheet could run as a formula is neutralised:
CSV prefixes it with an apostrophe (and an apostrophe-led value with a second one, so it reads back
exactly); XLSX stores it as a quote-prefixed text cell, the value itself unchanged."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from models.audit_chain import iso_at
from models.audit_verify import COLUMNS
from mrt.writer import put

JSON_COLUMNS = frozenset({"before", "after"})
INT_COLUMNS = frozenset({"id", "seq"})
RISKY = ("=", "+", "-", "@", "\t", "\r")
CSV_HEAD = ("chain_head_seq", "chain_head_hash")
FORMATS = ("jsonl", "csv", "xlsx")


def record(row: Mapping[str, Any]) -> dict[str, Any]:
    """An event as exported: the chained fields, its time in the chain's own notation."""
    return {name: iso_at(row[name]) if name == "at" else row[name] for name in COLUMNS}


def neutral(text: str) -> str:
    """CSV text that no spreadsheet runs as a formula; `unneutral` gives the original back."""
    return "'" + text if text.startswith((*RISKY, "'")) else text


def unneutral(text: str) -> str:
    """The original of a `neutral` value."""
    return text[1:] if text.startswith("'") else text


def _cell(name: str, value: Any) -> Any:
    if name in JSON_COLUMNS:
        return "" if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)
    return "" if value is None else value


def write_export(path: Path, fmt: str, head: Mapping[str, Any], rows: Iterable[Mapping[str, Any]]) -> int:
    """Write events and the chain head to `path` in `fmt`; returns the number of events."""
    records = (record(r) for r in rows)
    if fmt == "jsonl":
        with path.open("w", encoding="utf-8") as fh:
            fh.write(json.dumps({"chain_head": dict(head)}, ensure_ascii=False) + "\n")
            return sum(1 for r in records if fh.write(json.dumps(r, ensure_ascii=False) + "\n"))
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow([*COLUMNS, *CSV_HEAD])
            count = 0
            for r in records:
                cells = [_cell(n, r[n]) for n in COLUMNS]
                out.writerow(
                    [neutral(c) if isinstance(c, str) else c for c in cells] + [head["seq"], head["hash"]]
                )
                count += 1
            return count
    return _write_xlsx(path, head, records)


def _write_xlsx(path: Path, head: Mapping[str, Any], records: Iterator[dict[str, Any]]) -> int:
    wb = Workbook()
    ws = wb.active
    ws.title = "Audit events"
    ws.append(list(COLUMNS))
    count = 0
    for count, r in enumerate(records, start=1):  # noqa: B007
        for col, name in enumerate(COLUMNS, start=1):
            value = _cell(name, r[name])
            cell = ws.cell(row=count + 1, column=col)
            if isinstance(value, str):
                put(ws, cell.coordinate, value)
                cell.quotePrefix = value.startswith(RISKY)
            else:
                cell.value = value
    info = wb.create_sheet("Chain head")
    for key in ("seq", "hash", "exported_at"):
        info.append([key, str(head.get(key, ""))])
    wb.save(path)
    return count


def _parsed(raw: Mapping[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name in COLUMNS:
        value = raw.get(name)
        if name in INT_COLUMNS:
            row[name] = int(value) if value not in (None, "") else None
        elif name in JSON_COLUMNS and isinstance(value, str | None):
            row[name] = json.loads(value) if value else None
        elif name == "idempotency_key":
            row[name] = value or None
        else:
            row[name] = "" if value is None else value
    return row


def read_export(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The chain head and the events of an export written by `write_export` (format by suffix)."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix == "jsonl":
        lines = path.read_text(encoding="utf-8").splitlines()
        return json.loads(lines[0])["chain_head"], [_parsed(json.loads(line)) for line in lines[1:] if line]
    if suffix == "csv":
        with path.open(encoding="utf-8", newline="") as fh:
            raws = list(csv.DictReader(fh))
        head = {"seq": int(raws[0]["chain_head_seq"]), "hash": raws[0]["chain_head_hash"]} if raws else {}
        return head, [_parsed({k: unneutral(v) for k, v in r.items()}) for r in raws]
    if suffix == "xlsx":
        wb = load_workbook(path, read_only=True)
        values = list(wb["Audit events"].iter_rows(values_only=True))
        info = {str(k): v for k, v in wb["Chain head"].iter_rows(values_only=True)}
        head = {"seq": int(str(info["seq"])), "hash": str(info["hash"])}
        return head, [_parsed(dict(zip(values[0], v, strict=True))) for v in values[1:]]
    raise ValueError(f"{path.name}: not an audit export (.jsonl, .csv or .xlsx)")
