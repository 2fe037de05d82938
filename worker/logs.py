"""Process logging from settings: plain text or one JSON object a line, secrets redacted."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError
from temporalio import activity, workflow

from models.settings import SECRETS, Settings, SettingsError

FORMATS = ("text", "json")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "***"
MIN_SECRET = 4  # shorter values would mask ordinary words
# Context the Temporal loggers attach to a record (`extra`), flattened into the JSON object.
TEMPORAL_EXTRAS = ("temporal_activity", "temporal_workflow", "temporal_update")
# Third-party loggers whose INFO lines narrate every connection and request (the mail capture's SMTP
# dialogue, "Connection lost during _handle_client()"; uvicorn's access log; alembic's "Context impl"):
# WARNING and above only,
# unless MINERALS_LOG_LEVEL=DEBUG asks for everything.
CHATTY = ("mail.log", "mail.debug", "uvicorn.access", "alembic.runtime.migration")
# Loggers that libraries give handlers of their own; ours take them over.
OWN_HANDLERS = ("uvicorn", "uvicorn.error", "uvicorn.access")
# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class Redactor:
    """Replaces the values of secret settings, wherever they appear, with `***`."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self.secrets = sorted({s for s in secrets if len(s) >= MIN_SECRET}, key=len, reverse=True)

    def text(self, value: str) -> str:
        """`value` with every secret masked."""
        for secret in self.secrets:
            value = value.replace(secret, MASK)
        return value

    def value(self, key: str, value: Any) -> Any:
        """A field's value, masked when its key names a secret or it contains one."""
        if key in SECRETS and value:
            return MASK
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {str(k): self.value(str(k), v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.value(key, v) for v in value]
        if value is None or isinstance(value, (bool, int, float)):
            return value
        return self.text(str(value))


def record_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The extra fields of a record: `extra=` values, with the Temporal context dicts flattened."""
    found: dict[str, Any] = {}
    for key, value in vars(record).items():
        if key in _STANDARD or key.startswith("_"):
            continue
        if key in TEMPORAL_EXTRAS and isinstance(value, Mapping):
            found.update({str(k): v for k, v in value.items()})
        else:
            found[key] = value
    return found


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ts, level, logger, message, then any extra fields."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        line: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": self.redactor.text(record.getMessage()),
        }
        for key, value in record_fields(record).items():
            line.setdefault(key, self.redactor.value(key, value))
        if record.exc_info:
            line["exception"] = self.redactor.text(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The classic one-line text format, secrets masked."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__(TEXT_FORMAT)
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        """The record as text."""
        return self.redactor.text(super().format(record))


class _Handler(logging.StreamHandler):
    """Marks the handler this module installed, so a second call replaces it."""

    def emit(self, record: logging.LogRecord) -> None:
        """Write the record, unless its stream was closed (a finished in-process CLI run's stderr)."""
        if not getattr(self.stream, "closed", False):
            super().emit(record)


def check_logging(settings: Settings) -> tuple[str, int]:
    """The log format and numeric level of the settings, or a SettingsError naming the variable."""
    fmt = settings.log_format.strip().lower()
    if fmt not in FORMATS:
        raise SettingsError(f"MINERALS_LOG_FORMAT must be text or json, got {settings.log_format!r}")
    level = settings.log_level.strip().upper()
    level = "WARNING" if level == "WARN" else level
    if level not in LEVELS:
        shown = settings.log_level
        raise SettingsError(f"MINERALS_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {shown!r}")
    return fmt, logging.getLevelNamesMapping()[level]


def secret_values(settings: Settings) -> list[str]:
    """The values no log line may show: the secret settings and the database password."""
    found = [str(getattr(settings, name)) for name in SECRETS]
    if settings.database_url:
        try:
            found.append(make_url(settings.database_url).password or "")
        except ArgumentError:
            pass
    return [value for value in found if value]


def loggable(settings: Settings) -> dict[str, Any]:
    """The settings as they may be logged: secrets masked, the database URL without its password."""
    shown = settings.public()
    if settings.database_url:
        try:
            shown["database_url"] = make_url(settings.database_url).render_as_string(hide_password=True)
        except ArgumentError:
            shown["database_url"] = MASK
    return shown


def configure_logging(settings: Settings, stream: TextIO | None = None) -> None:
    """Send every log record to stderr (or `stream`) in the configured format and level."""
    fmt, level = check_logging(settings)
    redactor = Redactor(secret_values(settings))
    handler = _Handler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(redactor) if fmt == "json" else TextFormatter(redactor))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in CHATTY:
        logging.getLogger(name).setLevel(level if level <= logging.DEBUG else max(level, logging.WARNING))
    # A library's own logging config (uvicorn's default dictConfig) would bypass redaction and format.
    for name in OWN_HANDLERS:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # JSON lines carry the Temporal context as fields; text keeps it in the message.
    activity.logger.activity_info_on_message = fmt == "text"
    workflow.logger.workflow_info_on_message = fmt == "text"
