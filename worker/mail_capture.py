"""SMTP capture server for the embedded stack: every message is stored as a file under the mail dir."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import itertools
import json
import os
import threading
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

MAX_MESSAGE_BYTES = 30 * 1024 * 1024


class MailStore:
    """Stores each captured message as `<id>.eml` plus `<id>.json` (envelope), written atomically."""

    def __init__(self, mail_dir: Path) -> None:
        self.mail_dir = mail_dir
        mail_dir.mkdir(parents=True, exist_ok=True)
        self._seq = itertools.count()
        self._lock = threading.Lock()

    def store(self, mail_from: str, rcpt_tos: list[str], content: bytes) -> str:
        """Write one message and its envelope; returns the message's capture id."""
        now = dt.datetime.now(dt.UTC)
        with self._lock:
            capture_id = f"{now:%Y%m%dT%H%M%S%f}-{next(self._seq):06d}-{uuid.uuid4().hex[:8]}"
        meta = {"mail_from": mail_from, "rcpt_tos": rcpt_tos, "received_at": now.isoformat()}
        _write_atomic(self.mail_dir / f"{capture_id}.eml", content)
        # The JSON lands last: readers list `*.json`, so they never see a half-written message.
        _write_atomic(self.mail_dir / f"{capture_id}.json", json.dumps(meta).encode())
        return capture_id


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    tmp.replace(path)


class CaptureHandler:
    """aiosmtpd handler that accepts every message and stores it."""

    def __init__(self, store: MailStore) -> None:
        self.store = store

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        content = envelope.original_content or b""
        if isinstance(envelope.content, str):
            content = content or envelope.content.encode()
        rcpts = [str(r) for r in envelope.rcpt_tos]
        self.store.store(str(envelope.mail_from), rcpts, content)
        return "250 Message accepted for delivery"


class MailCapture:
    """An SMTP server on 127.0.0.1 that stores every message under `mail_dir`."""

    def __init__(self, mail_dir: Path, port: int, host: str = "127.0.0.1") -> None:
        self.store = MailStore(mail_dir)
        self.controller = Controller(
            CaptureHandler(self.store),
            hostname=host,
            port=port,
            data_size_limit=MAX_MESSAGE_BYTES,
            ready_timeout=10,
        )

    @property
    def address(self) -> str:
        """host:port the server listens on."""
        return f"{self.controller.hostname}:{self.controller.port}"

    def start(self) -> None:
        """Start serving in a background thread."""
        self.controller.start()

    def stop(self) -> None:
        """Stop serving."""
        self.controller.stop()


@dataclass(frozen=True)
class CapturedMail:
    """One captured message with its SMTP envelope."""

    capture_id: str
    mail_from: str
    rcpt_tos: list[str]
    received_at: dt.datetime
    message: EmailMessage

    @property
    def subject(self) -> str:
        """The decoded Subject header."""
        return str(self.message.get("Subject", ""))

    def text(self) -> str:
        """The plain-text body (or the first body part when there is none)."""
        part = self.message.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""  # type: ignore[attr-defined]

    def header(self, name: str) -> str:
        """One header's value, empty when absent."""
        return str(self.message.get(name, ""))


def captured_mail(mail_dir: Path) -> list[CapturedMail]:
    """Every message stored under `mail_dir`, oldest first."""
    found: list[CapturedMail] = []
    if not mail_dir.is_dir():
        return found
    for meta_path in sorted(mail_dir.glob("*.json")):
        try:
            meta: dict[str, Any] = json.loads(meta_path.read_text())
            raw = meta_path.with_suffix(".eml").read_bytes()
        except (OSError, ValueError):
            continue
        message = email.message_from_bytes(raw, policy=email.policy.default)
        found.append(
            CapturedMail(
                capture_id=meta_path.stem,
                mail_from=meta["mail_from"],
                rcpt_tos=list(meta["rcpt_tos"]),
                received_at=dt.datetime.fromisoformat(meta["received_at"]),
                message=message,  # type: ignore[arg-type]
            )
        )
    return found
