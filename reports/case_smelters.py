"""The smelters a case's assessed upload declared: each row's registry match and its RMAP status then.

Matches are stored with each assessment (`risk.assessed`): the page shows the newest stored assessment
of the file as it was written, with no re-parse and no re-matching. Files assessed before matches were
stored are computed again with `risk.assess` from the stored declaration and the registry as of the
assessment date (the same code path the assess activity runs); the finding codes are the stored ones.
The file's Smelter Look-up is not stored either: the facilities the rows name by id
stand in for it, and the file is read back from the store only when a row may match another of them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

import risk
from models.assessment import Assessment as StoredAssessment
from models.audit import AuditEvent
from models.files import StoredFile
from models.survey import Finding
from mrt.layouts.registry import layout_for
from mrt.model import NOT_IDENTIFIED, NOT_LISTED, Declaration, Family, LookupEntry, Unreadable
from mrt.reader import read
from reports.declared import Declared, load_declared
from risk.assessed import latest_for_file, result_of, stored_rows
from risk.normalize import exact_key
from risk.registry import CID, SPECIAL

ASSESSED = "file.assessed"
SMELTER_SHEET = "Smelter List"
STATUS_LABELS = {
    "conformant": "Conformant",
    "cross-recognized": "Cross-recognized",
    "active": "Active",
    "non-conformant": "Non-Conformant",
    "suspended": "Suspended",
    "not-enrolled": "Not enrolled",
    "outreach-required": "Outreach required",
}
SUMMARY = (
    ("ok", "conformant"),
    ("bad", "not conformant"),
    ("warn", "to follow up (active in RMAP, to review, not identified or not listed)"),
    ("", "with unknown status"),
)
_ROW = re.compile(r"^[A-Z]+(\d+)$")


@dataclass(frozen=True)
class AssessedUpload:
    """An upload of the case that was assessed, and when (the registry date its matches use)."""

    file_id: int
    name: str
    assessed_at: dt.datetime
    registry_source: str  # database | lookup, as the assessment recorded it


@dataclass(frozen=True)
class SmelterLine:
    """One declared Smelter List row: what the supplier wrote, what it matched, its status then."""

    row: int
    metal: str | None
    declared_name: str | None
    declared_id: str | None
    country: str | None
    matched_id: str | None  # the accepted facility, or the one a person must confirm
    standard_name: str | None
    in_registry: bool  # the matched facility has a page in the console's registry
    method: str  # id | alias | name | review | not-listed | not-identified | unmatched
    how: str  # the method in words, with the fuzzy score
    status: str | None  # RMAP status on the assessment date, in words
    cue: str  # ok | warn | bad | "" (unknown)
    codes: tuple[str, ...] = ()
    note: str | None = None
    match: str = "none"  # as `risk.assess` reports it: id | alias | name | none
    score: float = 0.0
    review: bool = False
    rmap_status: str | None = None  # the status code of an accepted match


@dataclass
class CaseSmelters:
    """The declared smelters of one assessed upload, and the case's other assessed uploads."""

    upload: AssessedUpload
    uploads: list[AssessedUpload]
    as_of: dt.date
    statuses_as_of: dt.date | None
    readable: bool  # False when the declaration is neither stored nor readable from the file store
    lines: list[SmelterLine] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Rows per cue: ok, warn, bad, and unknown ("")."""
        found = dict.fromkeys(("ok", "warn", "bad", ""), 0)
        for line in self.lines:
            found[line.cue] += 1
        return found

    def summary(self) -> str:
        """The rows counted by cue in words, e.g. "7 row(s): 2 conformant, 1 not conformant"."""
        counts = self.counts()
        parts = [f"{counts[cue]} {words}" for cue, words in SUMMARY if counts[cue]]
        return f"{len(self.lines)} row(s)" + (": " + ", ".join(parts) if parts else "")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO text)."""
        return {
            "file_id": self.upload.file_id,
            "file_name": self.upload.name,
            "assessed_at": self.upload.assessed_at.isoformat(),
            "registry_source": self.upload.registry_source,
            "as_of": self.as_of.isoformat(),
            "statuses_as_of": self.statuses_as_of.isoformat() if self.statuses_as_of else None,
            "readable": self.readable,
            "smelters": [{**asdict(line), "codes": list(line.codes)} for line in self.lines],
        }


def assessed_uploads(session: Session, survey_id: int) -> list[AssessedUpload]:
    """The case's assessed uploads, newest first (each at its latest assessment)."""
    events = session.execute(
        select(AuditEvent.at, AuditEvent.after)
        .where(AuditEvent.subject == f"survey:{survey_id}", AuditEvent.action == ASSESSED)
        .order_by(AuditEvent.id)
    ).all()
    latest: dict[int, tuple[dt.datetime, str]] = {}
    for at, after in events:
        file_id = (after or {}).get("file_id")
        if isinstance(file_id, int):
            latest[file_id] = (at, str((after or {}).get("registry") or "database"))
    if not latest:
        return []
    files = select(StoredFile.id, StoredFile.original_name).where(
        StoredFile.id.in_(latest), StoredFile.survey_id == survey_id
    )
    names = {file_id: name for file_id, name in session.execute(files)}
    found = [AssessedUpload(i, names[i], at, source) for i, (at, source) in latest.items() if i in names]
    return sorted(found, key=lambda u: (u.assessed_at, u.file_id), reverse=True)


def case_smelters(
    session: Session,
    survey_id: int,
    config: risk.RiskConfig,
    file_id: int | None = None,
    file_store: Path | None = None,
) -> CaseSmelters | None:
    """The declared smelters of the case's latest assessed upload (or `file_id`); None when there is none.

    Raises LookupError when `file_id` is not an assessed upload of the case."""
    uploads = assessed_uploads(session, survey_id)
    if not uploads and file_id is None:
        return None
    chosen = uploads[0] if file_id is None else next((u for u in uploads if u.file_id == file_id), None)
    if chosen is None:
        raise LookupError(f"file {file_id} is not an assessed upload of case {survey_id}")
    kept = latest_for_file(session, chosen.file_id)
    if kept is not None:
        return _from_stored(session, chosen, uploads, kept, config)
    day = chosen.assessed_at.date()
    declared = load_declared(session, [chosen.file_id], file_store).get(chosen.file_id)
    if declared is None:
        return CaseSmelters(chosen, uploads, day, None, readable=False)
    stored = None if chosen.registry_source == "lookup" else risk.load_registry(session, day)
    registry, linked = _registry(stored, _lookup_entries(declared), day)
    assessment = risk.assess(_declaration(declared), registry, as_of=day, config=config)
    if _unresolved(assessment, declared):  # it may name a facility only the file's look-up lists
        entries = _file_lookup(session, chosen.file_id, file_store)
        if entries is not None:
            registry, linked = _registry(stored, entries, day)
            assessment = risk.assess(_declaration(declared), registry, as_of=day, config=config)
    codes = _codes_by_row(session, chosen.file_id, assessment.smelters)
    lines = [
        _line(result, row, registry, config, day, linked, codes.get(result.row, ()))
        for result, row in zip(assessment.smelters, declared.smelters, strict=True)
    ]
    return CaseSmelters(chosen, uploads, day, assessment.statuses_as_of, True, lines)


def _from_stored(
    session: Session,
    chosen: AssessedUpload,
    uploads: list[AssessedUpload],
    kept: StoredAssessment,
    config: risk.RiskConfig,
) -> CaseSmelters:
    """The lines of a stored assessment, exactly as it judged them."""
    lines = []
    for row in stored_rows(session, kept.id):
        result = result_of(row)
        method, how = _method(result, row.lookup)
        status, cue = _stored_status(result, config, kept.as_of) if result.accepted_id else (None, "warn")
        if "smelter-not-conformant" in result.codes:
            cue = "bad"
        written = row.lookup if row.lookup and exact_key(row.lookup) not in SPECIAL else row.declared_name
        line = SmelterLine(
            row=row.row,
            metal=row.metal,
            declared_name=written,
            declared_id=row.declared_id,
            country=row.country,
            matched_id=row.matched_id,
            standard_name=row.standard_name,
            in_registry=row.in_registry,
            method=method,
            how=how,
            status=status,
            cue=cue,
            codes=result.codes,
            note=row.note,
            match=row.method,
            score=row.score,
            review=row.review,
            rmap_status=row.status,
        )
        lines.append(line)
    return CaseSmelters(chosen, uploads, kept.as_of, kept.statuses_as_of, True, lines)


def _stored_status(result: risk.SmelterResult, config: risk.RiskConfig, day: dt.date) -> tuple[str, str]:
    """A stored row's RMAP status in words, and its cue, as the assessment judged it."""
    if result.rmap_status is None:
        if "smelter-not-conformant" in result.codes:
            return "Not on any RMI list", "bad"
        return "Unknown (no status list)", ""
    label = STATUS_LABELS.get(result.rmap_status, result.rmap_status)
    if result.rmap_status in config.accepted_statuses:
        if result.audit_ends is not None and result.audit_ends < day:
            return f"{label}, audit of {result.last_audit} expired", "bad"
        if "smelter-audit-expiring" in result.codes:
            return f"{label}, audit valid until {result.audit_ends}", "warn"
        return label, "ok"
    if result.rmap_status in config.participating_statuses:
        return label, "warn"
    return label, "bad"


def _registry(
    stored: risk.Registry | None, entries: list[LookupEntry], day: dt.date
) -> tuple[risk.Registry, set[str]]:
    """The registry as the assess activity builds it (the imported one plus the file's look-up, or the
    look-up alone when none was imported), and the ids that have a registry page."""
    if stored is not None and stored.facilities:
        return stored.with_lookup(entries), set(stored.facilities)
    return risk.Registry.from_lookup(entries, day), set()


def _unresolved(assessment: risk.Assessment, declared: Declared) -> bool:
    """True when a row that names a smelter matched nothing or only for review.

    The look-up is not stored, so the first pass knows only the look-up facilities the rows name by id;
    such a row may have matched a facility of the file's full look-up (read back only then)."""
    return any(
        (r.match == "none" or r.review) and exact_key(row.get("lookup") or "") != exact_key(NOT_IDENTIFIED)
        for r, row in zip(assessment.smelters, declared.smelters, strict=True)
    )


def _file_lookup(session: Session, file_id: int, file_store: Path | None) -> list[LookupEntry] | None:
    """The stored file's own Smelter Look-up, read in the isolated reader; None when it cannot be read."""
    stored = session.get(StoredFile, file_id)
    if stored is None or file_store is None:
        return None
    path = (file_store / stored.path).resolve()
    if not path.is_relative_to(file_store.resolve()):
        return None
    try:
        return read(path).lookup
    except (Unreadable, OSError):
        return None


def _lookup_entries(declared: Declared) -> list[LookupEntry]:
    """The file's look-up facilities its rows name (the look-up itself is not stored)."""
    return [
        LookupEntry(s["metal"], s["lookup"], s.get("name"), s.get("country"), s["smelter_id"])
        for s in declared.smelters
        if s.get("metal")
        and s.get("lookup")
        and exact_key(s["lookup"]) not in SPECIAL
        and CID.match(str(s.get("smelter_id") or "").strip().upper())
    ]


def _declaration(declared: Declared) -> Declaration:
    """A declaration of the stored smelter rows only: what `risk.assess` needs to match them."""
    try:
        layout = layout_for(declared.family, declared.version)
    except Unreadable:
        layout = layout_for("CMRT", "6.5")  # matching does not depend on the layout
    family = cast(Family, declared.family)
    return Declaration(family, declared.version, layout, minerals=declared.minerals, smelters=declared.rows())


def _codes_by_row(
    session: Session, file_id: int, results: list[risk.SmelterResult]
) -> dict[int, tuple[str, ...]]:
    """The stored finding codes of each row: by the evidence cell, else by the smelter id."""
    by_id: dict[str, list[int]] = {}
    for r in results:
        for cid in {r.matched_id, r.declared_id} - {None}:
            by_id.setdefault(str(cid), []).append(r.row)
    found: dict[int, list[str]] = {}
    for f in session.scalars(select(Finding).where(Finding.file_id == file_id).order_by(Finding.id)):
        details = f.details or {}
        cell = _ROW.match(str(details.get("cell") or "")) if details.get("sheet") == SMELTER_SHEET else None
        rows = [int(cell.group(1))] if cell else by_id.get(f.smelter_id or "", [])
        for row in rows:
            if f.code not in found.setdefault(row, []):
                found[row].append(f.code)
    return {row: tuple(codes) for row, codes in found.items()}


def _line(
    result: risk.SmelterResult,
    stored: dict[str, Any],
    registry: risk.Registry,
    config: risk.RiskConfig,
    day: dt.date,
    linked: set[str],
    codes: tuple[str, ...],
) -> SmelterLine:
    """One row for display, from the assessment's result and the row as stored."""
    method, how = _method(result, stored.get("lookup"))
    accepted = result.matched_id if method in ("id", "alias", "name") else None
    status, cue = _status(accepted, registry, config, day) if accepted else (None, "warn")
    if "smelter-not-conformant" in codes:
        cue = "bad"
    lookup = stored.get("lookup")
    written = lookup if lookup and exact_key(lookup) not in SPECIAL else stored.get("name")
    facility = registry.facilities.get(result.matched_id or "")
    return SmelterLine(
        row=result.row,
        metal=result.metal,
        declared_name=written,
        declared_id=result.declared_id,
        country=result.country,
        matched_id=result.matched_id,
        standard_name=facility.name if facility else None,
        in_registry=(result.matched_id or "") in linked,
        method=method,
        how=how,
        status=status,
        cue=cue,
        codes=codes,
        note=result.note,
        match=result.match,
        score=result.score,
        review=result.review,
        rmap_status=result.rmap_status,
    )


def _method(result: risk.SmelterResult, lookup: str | None) -> tuple[str, str]:
    """The kind of match and its words."""
    if result.match == "none":
        key = exact_key(lookup or "")
        if key == exact_key(NOT_IDENTIFIED):
            return "not-identified", "not yet identified"
        if key == exact_key(NOT_LISTED):
            return "not-listed", "not listed, no registry name close"
        return "unmatched", "no match"
    words = {
        "id": "id",
        "alias": "exact name (alias)",
        "name": f"fuzzy name + country, score {result.score:.0f}",
    }
    if result.review:
        return "review", f"needs review: {words[result.match]}"
    return result.match, words[result.match]


def _status(
    smelter_id: str, registry: risk.Registry, config: risk.RiskConfig, day: dt.date
) -> tuple[str, str]:
    """The facility's RMAP status on the day in words, and its cue, as the risk rules judge it."""
    status = registry.status(smelter_id)
    if status is None:
        facility = registry.facilities[smelter_id]
        if registry.has_statuses and facility.metal in registry.listed_metals:
            return "Not on any RMI list", "bad"
        return "Unknown (no status list)", ""
    label = STATUS_LABELS.get(status.status, status.status)
    if status.status in config.accepted_statuses:
        if status.expired(day):
            return f"{label}, audit of {status.last_audit} expired", "bad"
        return label, "ok"
    if status.status in config.participating_statuses:
        return label, "warn"
    return label, "bad"
