"""Intake activities: verify a stored upload, check it with `mrt`, assess a complete one with `risk`."""

from __future__ import annotations

import datetime as dt
import hashlib
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

import risk
from activities import metrics
from activities.blocking import Blocking
from activities.errors import missing_row
from i18n import language_for
from models.audit import AuditEvent
from models.base import utcnow
from models.campaign import Campaign
from models.enums import ActivityName, CheckStatus
from models.files import StoredFile
from models.messages import AssessOutcome, CheckOutcome, FileRef
from models.supplier import Supplier
from models.survey import Survey
from mrt.check import status as mrt_status
from mrt.isolation import ParsePool
from mrt.model import Declaration, Issue
from mrt.report import FileResult, check_file
from reports.case_scope import planned_for, within_scope
from reports.declared import record_declaration
from risk.assessed import save_assessment

WRONG_TEMPLATE = {
    "en": "This file is a {found}; this survey asks for the {wanted}. "
    "Please fill in and upload the {wanted}.",
    "ja": "このファイルは{found}です。この調査では{wanted}の提出をお願いしています。"
    "{wanted}に記入してアップロードしてください。",
    "zh": "该文件是 {found}；本次调查需要的是 {wanted}。请填写并上传 {wanted}。",
}


def rejected(message: str) -> ApplicationError:
    """A non-retryable rejection of an upload, with the reason for the uploader."""
    return ApplicationError(message, type="FileRejected", non_retryable=True)


def issue_record(issue: Issue) -> dict[str, Any]:
    """An issue as stored on its file (JSON)."""
    return {
        "severity": issue.severity,
        "code": issue.code,
        "sheet": issue.sheet,
        "cell": issue.cell,
        "message": issue.message,
        "params": dict(issue.params),
    }


class IntakeActivities:
    """Reads uploads from the file store through the isolated parser; dependencies are injected."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        file_store: Path,
        pool: ParsePool | None = None,
        risk_config: Path | None = None,
        executor: Executor | None = None,
    ) -> None:
        self._sessions = sessions
        self._blocking = Blocking(executor)
        self._store = file_store.resolve()
        self._pool = pool
        self._risk_config = risk_config  # <data dir>/risk.json, read per assessment as the CLI does

    @activity.defn(name=ActivityName.VERIFY_UPLOAD)
    async def verify_upload(self, ref: FileRef) -> None:
        """Reject an upload whose stored file is missing, foreign, altered or too large."""
        await self._blocking(self.verify, ref)

    @activity.defn(name=ActivityName.CHECK_UPLOAD)
    async def check_upload(self, ref: FileRef) -> CheckOutcome:
        """Check the file with `mrt` in the supplier's language and record its issues."""
        outcome = await self._blocking.heartbeating(self.check, ref)
        metrics.upload_checked(outcome.status.value)
        return outcome

    @activity.defn(name=ActivityName.ASSESS_UPLOAD)
    async def assess_upload(self, ref: FileRef) -> AssessOutcome:
        """Assess a complete declaration with `risk` and record its findings (counted by code)."""
        outcome, codes = await self._blocking.heartbeating(self.assess_codes, ref)
        metrics.findings(codes)
        return outcome

    def path_of(self, stored: StoredFile) -> Path:
        """The file's place in the store; never outside it."""
        path = (self._store / stored.path).resolve()
        if not path.is_relative_to(self._store):
            raise rejected(f"file {stored.id} is not in the file store")
        return path

    def verify(self, ref: FileRef) -> StoredFile:
        """The stored file of a reference, after checking it is this case's and unaltered."""
        with self._sessions() as session:
            stored = session.get(StoredFile, ref.file_id)
        if stored is None or stored.survey_id != ref.survey_id:
            raise rejected(f"file {ref.file_id} was not uploaded for this case")
        if stored.sha256 != ref.sha256 or stored.size != ref.size:
            raise rejected(f"file {ref.file_id} does not match the given sha256 and size")
        if stored.size > ref.max_bytes:
            raise rejected(f"the file is {stored.size} bytes; the limit is {ref.max_bytes}")
        path = self.path_of(stored)
        digest = hashlib.sha256()
        try:
            with path.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
        except FileNotFoundError:
            raise rejected(f"file {ref.file_id} is no longer in the file store") from None
        if digest.hexdigest() != stored.sha256:
            raise rejected(f"file {ref.file_id} changed after it was stored")
        return stored

    def check(self, ref: FileRef) -> CheckOutcome:
        """Check one stored file and write its status and issues with an audit event."""
        stored = self.verify(ref)
        with self._sessions() as session:
            campaign, supplier = _case(session, ref.survey_id)
            planned = planned_for(session, ref.survey_id)  # asked about its plan's minerals only
        language = language_for(supplier.language)
        result = check_file(self.path_of(stored), language, pool=self._pool)
        asked = within_scope(result.issues, planned)
        issues = [issue_record(i) for i in asked]
        decl = result.declaration
        status = CheckStatus(result.status if decl is None else mrt_status(asked))
        if decl is not None and decl.family != campaign.template:
            status = CheckStatus.INCOMPLETE
            text = WRONG_TEMPLATE.get(language, WRONG_TEMPLATE["en"])
            found = {"found": f"{decl.family} {decl.version}", "wanted": campaign.template}
            issues.insert(
                0,
                {
                    "severity": "error",
                    "code": "wrong-template",
                    "sheet": None,
                    "cell": None,
                    "message": text.format(**found),
                    "params": found,
                },
            )
        with self._sessions.begin() as session:
            row = session.get(StoredFile, stored.id, with_for_update=True)
            assert row is not None
            row.check_status, row.issues, row.issue_count = status.value, issues, len(issues)
            row.family, row.version = (decl.family, decl.version) if decl else (None, None)
            row.checked_at = utcnow()
            session.add(
                AuditEvent(
                    actor="system",
                    action="file.checked",
                    subject=f"survey:{ref.survey_id}",
                    after={"file_id": row.id, "status": status.value, "issues": len(issues)},
                )
            )
        return CheckOutcome(
            file_id=stored.id, status=status, issue_count=len(issues), family=row.family, version=row.version
        )

    def assess(self, ref: FileRef) -> AssessOutcome:
        """Assess one complete stored file and replace its findings, with an audit event."""
        return self.assess_codes(ref)[0]

    def assess_codes(self, ref: FileRef) -> tuple[AssessOutcome, list[str]]:
        """`assess`, plus the code of each finding recorded."""
        stored = self.verify(ref)
        result: FileResult = check_file(self.path_of(stored), "en", pool=self._pool)
        if result.declaration is None:
            raise rejected(f"file {ref.file_id} can no longer be read")
        decl: Declaration = result.declaration
        with self._sessions() as session:
            registry = risk.load_registry(session, dt.date.today())
        if registry.facilities:  # facilities only a newer template lists are known too
            registry = registry.with_lookup(decl.lookup)
        else:  # no RMI data imported yet: the file's own look-up is the reference
            registry = risk.Registry.from_lookup(decl.lookup)
        assessment = risk.assess(decl, registry, config=risk.load_risk_config(self._risk_config))
        with self._sessions.begin() as session:
            record_declaration(session, stored.id, decl)  # what reports count, kept with the findings
            save_assessment(session, ref.survey_id, stored.id, assessment)
            session.add(
                AuditEvent(
                    actor="system",
                    action="file.assessed",
                    subject=f"survey:{ref.survey_id}",
                    after={
                        "file_id": stored.id,
                        "risk": assessment.risk,
                        "findings": len(assessment.findings),
                        "registry": assessment.registry_source,
                    },
                )
            )
        codes = [f.code for f in assessment.findings]
        return AssessOutcome(file_id=stored.id, risk=assessment.risk, finding_count=len(codes)), codes


def _case(session: Session, survey_id: int) -> tuple[Campaign, Supplier]:
    survey = session.get(Survey, survey_id)
    if survey is None:
        raise missing_row(f"survey {survey_id}")
    campaign = session.get(Campaign, survey.campaign_id)
    supplier = session.get(Supplier, survey.supplier_id)
    if campaign is None or supplier is None:
        raise missing_row(f"the campaign or supplier of survey {survey_id}")
    return campaign, supplier
