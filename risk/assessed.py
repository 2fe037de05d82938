"""Assessments in the database: each assessed row's match kept with the registry date it used, written by
an upload's assessment and by a registry refresh alike, and read back by the case page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from models.assessment import AssessedRow
from models.assessment import Assessment as StoredAssessment
from models.registry import RegistryFacility
from models.survey import Finding as FindingRow
from risk.assess import Assessment, SmelterResult
from risk.rules import Finding


def save_assessment(
    session: Session, survey_id: int, file_id: int, assessment: Assessment, source: str = "upload"
) -> StoredAssessment:
    """Store an assessment as the case's current one and make its findings the file's (the caller commits)."""
    session.execute(
        update(StoredAssessment)
        .where(StoredAssessment.survey_id == survey_id, StoredAssessment.current.is_(True))
        .values(current=False)
        .execution_options(synchronize_session=False)  # the caller holds no assessment it reads again
    )
    stored = StoredAssessment(
        survey_id=survey_id,
        file_id=file_id,
        source=source,
        as_of=assessment.as_of,
        statuses_as_of=assessment.statuses_as_of,
        registry_source=assessment.registry_source,
        risk=assessment.risk,
        current=True,
    )
    session.add(stored)
    session.flush()
    ids = {s.matched_id for s in assessment.smelters if s.matched_id}
    known = set(
        session.scalars(select(RegistryFacility.smelter_id).where(RegistryFacility.smelter_id.in_(ids)))
        if ids
        else []
    )
    session.add_all(_row(stored.id, s, s.matched_id in known) for s in assessment.smelters)
    session.execute(
        delete(FindingRow).where(FindingRow.file_id == file_id).execution_options(synchronize_session=False)
    )
    session.add_all(
        FindingRow(
            survey_id=survey_id,
            file_id=file_id,
            code=f.code,
            severity=f.severity,
            message=f.message,
            metal=f.metal,
            smelter_id=f.smelter_id,
            details=f.to_dict(),
        )
        for f in assessment.findings
    )
    return stored


def _row(assessment_id: int, s: SmelterResult, in_registry: bool) -> AssessedRow:
    return AssessedRow(
        assessment_id=assessment_id,
        row=s.row,
        metal=s.metal,
        declared_name=s.name,
        lookup=s.lookup,
        declared_id=s.declared_id,
        country=s.country,
        matched_id=s.matched_id,
        standard_name=s.standard_name,
        facility_country=s.facility_country,
        method=s.match,
        score=s.score,
        review=s.review,
        gap=s.gap,
        note=s.note,
        status=s.rmap_status,
        status_as_of=s.status_as_of,
        last_audit=s.last_audit,
        audit_ends=s.audit_ends,
        in_registry=in_registry,
        codes=list(s.codes),
        evidence={"cell": s.cell, "value": s.value},
    )


def result_of(row: AssessedRow) -> SmelterResult:
    """A stored row as the SmelterResult it was made from."""
    evidence: dict[str, Any] = row.evidence or {}
    return SmelterResult(
        row=row.row,
        metal=row.metal,
        declared_id=row.declared_id,
        name=row.declared_name,
        country=row.country,
        matched_id=row.matched_id,
        match=row.method,
        score=row.score,
        review=row.review,
        rmap_status=row.status,
        standard_name=row.standard_name,
        note=row.note,
        gap=row.gap,
        lookup=row.lookup,
        cell=evidence.get("cell"),
        value=evidence.get("value"),
        facility_country=row.facility_country,
        status_as_of=row.status_as_of,
        last_audit=row.last_audit,
        audit_ends=row.audit_ends,
        codes=tuple(row.codes or ()),
    )


def stored_rows(session: Session, assessment_id: int) -> list[AssessedRow]:
    """The rows of a stored assessment in Smelter List order."""
    return list(
        session.scalars(
            select(AssessedRow).where(AssessedRow.assessment_id == assessment_id).order_by(AssessedRow.id)
        )
    )


def latest_for_file(session: Session, file_id: int) -> StoredAssessment | None:
    """The newest stored assessment of a file, None for files assessed before matches were stored."""
    return session.scalars(
        select(StoredAssessment)
        .where(StoredAssessment.file_id == file_id)
        .order_by(StoredAssessment.id.desc())
    ).first()


def file_findings(session: Session, file_id: int) -> list[Finding]:
    """The findings stored for a file, as the rules made them."""
    rows = session.scalars(select(FindingRow).where(FindingRow.file_id == file_id).order_by(FindingRow.id))
    return [finding_of(r) for r in rows]


def finding_of(row: FindingRow) -> Finding:
    """A stored finding row as a rule's Finding (evidence from its details)."""
    details: dict[str, Any] = row.details or {}
    return Finding(
        row.code,
        row.severity,  # type: ignore[arg-type]
        row.message,
        row.metal,
        row.smelter_id,
        details.get("sheet"),
        details.get("cell"),
        details.get("value"),
    )


def on_date(value: dt.date | None) -> str | None:
    """A stored date as ISO text."""
    return value.isoformat() if value else None
