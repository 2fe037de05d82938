"""One file's check result, and its JSON form (`minerals check --json`; `assess` adds its own keys)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from mrt.check import check, reword, status
from mrt.isolation import ParsePool
from mrt.model import Declaration, Issue, Unreadable
from mrt.reader import read
from mrt.rules.answers import answer_field, minerals
from mrt.rules.values import canonical

FileStatus = Literal["complete", "incomplete", "unreadable"]
EXIT_CODES: dict[FileStatus, int] = {"complete": 0, "incomplete": 1, "unreadable": 2}


@dataclass
class FileResult:
    """What checking one file gave: the declaration (None when unreadable) and its issues."""

    file: str
    declaration: Declaration | None
    issues: list[Issue] = field(default_factory=list)

    @property
    def status(self) -> FileStatus:
        """complete, incomplete, or unreadable."""
        return "unreadable" if self.declaration is None else status(self.issues)


def unreadable(file: str, code: str, reason: str, language: str | None = None) -> FileResult:
    """The result for a file that could not be read: one error whose code is the refusal's own
    (zip-bomb, xml-entities, too-large, …), worded as the `unreadable` messages word it."""
    issue = Issue("error", code, None, None, "", {"reason": reason, "kind": code})
    return FileResult(file, None, reword([issue], language))


def check_file(
    path: Path | str,
    language: str | None = None,
    *,
    pool: ParsePool | None = None,
    today: dt.date | None = None,
) -> FileResult:
    """Read an untrusted file in the isolated reader and check it; any failure becomes a verdict."""
    name = str(path)
    try:
        declaration = read(path, pool=pool)
    except Unreadable as exc:
        return unreadable(name, exc.code, exc.message, language)
    except OSError as exc:
        return unreadable(name, "not-found", exc.strerror or type(exc).__name__, language)
    try:
        issues = check(declaration, language, today=today)
    except Exception as exc:  # a checker bug must not take the worker or the batch down
        return unreadable(name, "check-failed", f"the check stopped ({type(exc).__name__})", language)
    return FileResult(name, declaration, issues)


def exit_code(results: Iterable[FileResult]) -> int:
    """0 when every file is complete, 1 when any is incomplete, 2 when any is unreadable."""
    return max((EXIT_CODES[r.status] for r in results), default=0)


def _company(d: Declaration) -> dict[str, str | None]:
    out = {key: f.value for key, f in d.company.items()}
    if "effective_date" in out:
        out["effective_date"] = d.effective_date.isoformat() if d.effective_date else None
    return out


def _answers(d: Declaration) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for q in d.layout.questions:
        per_mineral = {}
        for mineral in minerals(d):
            f = answer_field(d, q, mineral)
            per_mineral[mineral] = canonical(f.value, f.raw, q.choices) or f.value
        out[q.key] = per_mineral
    choices = {cq.key: cq.choices for cq in d.layout.company_questions}
    for key, f in d.company_answers.items():
        out[key] = canonical(f.value, f.raw, choices.get(key.split(":", 1)[0], ())) or f.value
    return out


def _smelters(d: Declaration) -> list[dict[str, Any]]:
    return [
        {
            "row": r.row,
            "metal": r.metal,
            "smelter_id": r.smelter_id,
            "name": r.standard_name or r.name,
            "country": r.country,
            "lookup": r.lookup,
        }
        for r in d.smelters
    ]


def _issue(i: Issue) -> dict[str, Any]:
    return {"severity": i.severity, "code": i.code, "sheet": i.sheet, "cell": i.cell, "message": i.message}


def to_json(result: FileResult) -> dict[str, Any]:
    """The JSON object of one file; callers may add keys (risk adds its findings)."""
    d = result.declaration
    return {
        "file": result.file,
        "template": d.family if d else None,
        "version": d.version if d else None,
        "language": d.language if d else None,
        "status": result.status,
        "company": _company(d) if d else {},
        "answers": _answers(d) if d else {},
        "comments": {k: f.value for k, f in d.company_comments.items()} if d else {},
        "smelters": _smelters(d) if d else [],
        "products": [{"row": p.row, "number": p.number, "name": p.name} for p in d.products] if d else [],
        "issues": [_issue(i) for i in result.issues],
    }
