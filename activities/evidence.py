"""Evidence documents for corrective actions: type sniffed from the content, stored like any upload."""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session, sessionmaker

from activities.filestore import TooLarge, store_upload
from models.messages import SubmitEvidence

# Extension -> the kind its content must be.
KINDS = {".pdf": "pdf", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".docx": "docx", ".xlsx": "xlsx"}
ACCEPT = ",".join(KINDS)  # for the file input's `accept`
OFFICE_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
UNSAFE = re.compile(r'[<>:"|?*\x00-\x1f\x7f]')
MAX_NOTE = 2000


class EvidenceRefused(ValueError):
    """The file is not one of the accepted document types; nothing was stored."""


def _zip_kind(source: BinaryIO) -> str | None:
    try:
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names or any(n.endswith("vbaProject.bin") for n in names):
        return None  # not an Office document, or one with macros
    return next((kind for kind, part in OFFICE_PART.items() if part in names), None)


def content_kind(source: BinaryIO) -> str | None:
    """What the bytes are (pdf, png, jpeg, docx, xlsx), or None; reads from the start of a seekable file."""
    source.seek(0)
    head = source.read(1024)
    source.seek(0)
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(source)
        source.seek(0)
        return kind
    return None


def safe_name(name: str) -> str:
    """The last part of a client's file name without path, control or reserved characters, kept short."""
    base = unicodedata.normalize("NFC", re.split(r"[\\/]", name)[-1])
    stem, suffix = os.path.splitext(" ".join(UNSAFE.sub("", base).split()))
    if not suffix and stem.startswith("."):  # ".pdf": an extension alone
        stem, suffix = "", stem
    return (stem.strip(" .")[:100] or "evidence") + suffix.lower()


def check_evidence(source: BinaryIO, name: str, max_bytes: int) -> str:
    """The file's safe name when it is an accepted type under the limit; raises TooLarge/EvidenceRefused."""
    size = source.seek(0, os.SEEK_END)
    source.seek(0)
    if size > max_bytes:
        raise TooLarge(f"the file is larger than the limit of {max_bytes} bytes")
    clean = safe_name(name)
    wanted = KINDS.get(Path(clean).suffix)
    if wanted is None or content_kind(source) != wanted:
        raise EvidenceRefused("only PDF, PNG, JPEG, Word (.docx) and Excel (.xlsx) files are accepted")
    return clean


def store_evidence(
    sessions: sessionmaker[Session],
    store_dir: Path,
    survey_id: int,
    source: BinaryIO,
    name: str,
    *,
    submitted_by: str,
    note: str,
    max_bytes: int,
) -> SubmitEvidence:
    """Check and store a document for a case's action; returns the `submit_evidence` update to send."""
    clean = check_evidence(source, name, max_bytes)
    stored = store_upload(
        sessions, store_dir, survey_id, source, clean, uploaded_by=submitted_by, max_bytes=max_bytes
    )
    return SubmitEvidence(
        file_id=stored.file_id,
        sha256=stored.sha256,
        size=stored.size,
        submitted_by=submitted_by,
        note=note.strip()[:MAX_NOTE],
    )
