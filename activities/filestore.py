"""The file store: an upload is copied in under its sha256 and recorded as a `StoredFile` of its case."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session, sessionmaker

from models.audit import AuditEvent
from models.base import utcnow
from models.enums import CheckStatus
from models.files import StoredFile
from models.messages import SubmitUpload


class TooLarge(ValueError):
    """The upload exceeds the size limit; nothing was stored."""


def store_upload(
    sessions: sessionmaker[Session],
    store_dir: Path,
    survey_id: int,
    source: BinaryIO,
    original_name: str,
    *,
    uploaded_by: str = "supplier",
    max_bytes: int,
) -> SubmitUpload:
    """Copy an upload into the store (at most `max_bytes`) and record it; returns the update to send."""
    store_dir.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp_name = tempfile.mkstemp(dir=store_dir, prefix=".upload-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in iter(lambda: source.read(1 << 20), b""):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(f"the file is larger than the limit of {max_bytes} bytes")
                digest.update(chunk)
                out.write(chunk)
        sha = digest.hexdigest()
        relative = Path(sha[:2]) / sha
        (store_dir / relative).parent.mkdir(exist_ok=True)
        tmp.replace(store_dir / relative)
    finally:
        tmp.unlink(missing_ok=True)
    name = Path(original_name).name[:300] or "upload.xlsx"
    with sessions.begin() as session:
        row = StoredFile(
            survey_id=survey_id,
            sha256=sha,
            size=size,
            path=str(relative),
            original_name=name,
            uploaded_by=uploaded_by,
        )
        session.add(row)
        session.flush()
        session.add(
            AuditEvent(
                actor=uploaded_by,
                action="file.stored",
                subject=f"survey:{survey_id}",
                after={"file_id": row.id, "sha256": sha, "size": size},
            )
        )
    return SubmitUpload(file_id=row.id, sha256=sha, size=size, submitted_by=uploaded_by)


def refuse_upload(sessions: sessionmaker[Session], file_id: int, reason: str, by: str = "system") -> None:
    """Mark a stored file the case did not take as refused, with the reason shown where its issues are
    (a file already checked keeps its result)."""
    with sessions.begin() as session:
        row = session.get(StoredFile, file_id, with_for_update=True)
        if row is None or row.check_status != CheckStatus.PENDING:
            return
        row.check_status, row.checked_at = CheckStatus.REFUSED.value, utcnow()
        row.issues = [
            {"severity": "error", "code": "upload-refused", "sheet": None, "cell": None, "message": reason}
        ]
        session.add(
            AuditEvent(
                actor=by,
                action="file.refused",
                subject=f"survey:{row.survey_id}",
                after={"file_id": row.id, "reason": reason},
            )
        )
