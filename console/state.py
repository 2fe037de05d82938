"""What every request handler needs: settings, database, templates, link signer, Temporal gateway."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from jinja2_fragments.fastapi import Jinja2Blocks
from sqlalchemy.orm import Session, sessionmaker

from activities.links import LinkSigner
from cases.gateway import Gateway
from models.settings import Settings

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "web"


def derived_key(secret: str, purpose: str) -> str:
    """A key for one purpose derived from the upload secret, so one secret serves several uses safely."""
    return hmac.new(secret.encode(), f"minerals-console:{purpose}".encode(), hashlib.sha256).hexdigest()


@dataclass
class ConsoleState:
    """Shared by all requests of one app."""

    settings: Settings
    sessions: sessionmaker[Session]
    templates: Jinja2Blocks
    links: LinkSigner
    gateway: Gateway
    portal_key: str  # signs the portal's CSRF field
    # Reads the embedded stack's captured mail (injected: the worker package owns the capture format).
    mail_reader: Callable[[Path], Sequence[Any]] | None = None

    @property
    def mail_dir(self) -> Path:
        """Where the embedded stack's SMTP capture stores messages."""
        return self.settings.resolved_mail_dir()


def state(request: Request) -> ConsoleState:
    """The app's shared state."""
    found: ConsoleState = request.app.state.console
    return found
