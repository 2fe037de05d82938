"""The file store: an upload is copied in under its sha256 and recorded as a `StoredFile` of its case."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session, sessionmaker

from models.audit import AuditEvent
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
