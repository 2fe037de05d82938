"""Configuration, read in one place from `MINERALS_*` environment variables and the data dir."""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, fields
from datetime import timedelta
from pathlib import Path
from typing import Any

PREFIX = "MINERALS_"
SETTINGS_FILE = "settings.json"
SECRETS = frozenset({"smtp_password", "upload_secret", "temporal_api_key", "oidc_client_secret"})
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Every setting of the product; each can be overridden by `MINERALS_<NAME>`."""

    data_dir: str = ".minerals"
    database_url: str = ""  # default: SQLite under data_dir
    # Temporal
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    temporal_tls_cert: str = ""  # client certificate (PEM path); TLS is on when set or temporal_tls is true
    temporal_tls_key: str = ""
    temporal_tls_ca: str = ""  # server root CA (PEM path), optional
    temporal_tls: bool = False
    temporal_api_key: str = ""
    task_queue: str = "minerals"
    temporal_ui_url: str = ""  # shown to staff; set by `minerals up`
    # Email
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_starttls: bool = False
    smtp_user: str = ""
    smtp_password: str = ""
    mail_from: str = "Responsible Minerals <minerals@localhost>"
    mail_dir: str = ""  # where the capture server of `minerals up` stores messages; default data_dir/mail
    # Links and files
    upload_secret: str = ""  # HMAC key for upload links; `minerals up` generates one into settings.json
    public_base_url: str = "http://127.0.0.1:8000"
    file_store_dir: str = ""  # default data_dir/files
    max_upload_bytes: int = 20 * 1024 * 1024
    # Console sign-in: a client address with this many failed sign-ins inside the window waits (HTTP 429)
    signin_throttle_failures: int = 20
    signin_throttle_window: str = "10m"
    # Single sign-on (OpenID Connect, authorization code with PKCE); off while oidc_issuer is empty
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_role_claim: str = "groups"  # the ID token claim whose values map to roles
    oidc_roles: str = ""  # claim value=role pairs, e.g. "minerals-admins=admin,minerals-staff=viewer"
    # Survey cadence defaults (durations like "14d", "36h", "2s")
    reminder_every: str = "14d"
    reminders: int = 3
    escalation_after: str = "7d"
    campaign_page_size: int = 500
    fiscal_year_start_month: int = 1  # 4: FY2025 runs April 2025 to March 2026 (named by its start)
    campaign_in_flight: int = 40  # surveys started but not past their first step, at most (see README)
    # Worker scale and operations
    email_task_queue: str = ""  # email activities' own queue; default "<task_queue>-email"
    email_per_second: float = 2.0  # server-side limit across every worker of the email queue
    max_concurrent_activities: int = 50  # per worker process, activities other than email
    max_concurrent_workflow_tasks: int = 50
    max_concurrent_email: int = 4  # per worker process
    max_cached_workflows: int = 1000  # runs kept in worker memory between tasks (an evicted one replays)
    graceful_shutdown: str = "30s"  # running activities may finish for this long after SIGTERM
    log_format: str = "text"  # text or json (one JSON object a line)
    log_level: str = "INFO"
    metrics_bind: str = ""  # host:port for Prometheus /metrics, e.g. 0.0.0.0:9464; empty = off

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{Path(self.data_dir).resolve() / 'minerals.db'}"

    def resolved_file_store_dir(self) -> Path:
        """Where uploaded and generated files are stored."""
        return Path(self.file_store_dir or Path(self.data_dir) / "files").resolve()

    def resolved_risk_config(self) -> Path:
        """The risk configuration file (statuses, severities, due days) in the data dir."""
        return Path(self.data_dir) / "risk.json"

    def resolved_mail_dir(self) -> Path:
        """Where captured mail is stored by the embedded SMTP server."""
        return Path(self.mail_dir or Path(self.data_dir) / "mail").resolve()

    def tls_enabled(self) -> bool:
        """Whether the Temporal connection uses TLS."""
        return self.temporal_tls or bool(self.temporal_tls_cert) or bool(self.temporal_api_key)

    def resolved_email_task_queue(self) -> str:
        """The task queue of the email activities."""
        return self.email_task_queue or f"{self.task_queue}-email"

    def reminder_interval(self) -> timedelta:
        """The default reminder cadence as a duration."""
        return parse_duration(self.reminder_every)

    def escalation_delay(self) -> timedelta:
        """The default wait between the last reminder and escalation."""
        return parse_duration(self.escalation_after)

    def signin_throttle_period(self) -> timedelta:
        """The window over which a client's failed sign-ins are counted."""
        return parse_duration(self.signin_throttle_window)

    def public(self) -> dict[str, Any]:
        """All settings with secrets masked: safe to print or log."""
        return {k: ("***" if k in SECRETS and v else v) for k, v in asdict(self).items()}

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.public().items())
        return f"Settings({shown})"


def parse_duration(text: str) -> timedelta:
    """A duration such as `14d`, `36h`, `90m`, `2s`, `1w` or `500ms`."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration; use a number and a unit, like 14d, 36h, 90m or 2s")
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])


def _coerce(name: str, kind: Any, raw: Any) -> Any:
    """Convert a raw (usually string) value to the field's type, naming the variable on failure."""
    kind = kind if isinstance(kind, str) else getattr(kind, "__name__", str(kind))
    try:
        if kind == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(raw)
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        return str(raw)
    except (TypeError, ValueError):
        shown = "***" if name in SECRETS else repr(raw)
        wanted = {"int": "a whole number", "float": "a number", "bool": "true or false"}.get(kind, "text")
        raise SettingsError(f"{PREFIX}{name.upper()} must be {wanted}, got {shown}") from None


def load_settings(**overrides: Any) -> Settings:
    """Settings from the data dir's settings file, then the environment, then explicit overrides."""
    values: dict[str, Any] = {}
    data_dir = overrides.get("data_dir") or os.environ.get(PREFIX + "DATA_DIR") or Settings.data_dir
    stored = Path(data_dir) / SETTINGS_FILE
    if stored.is_file():
        try:
            values.update(json.loads(stored.read_text()))
        except (OSError, ValueError) as exc:
            raise SettingsError(f"{stored} is not a readable settings file: {exc}") from None
    types = {f.name: f.type for f in fields(Settings)}
    for name in types:
        env = os.environ.get(PREFIX + name.upper())
        if env:  # an empty variable counts as unset, so `MINERALS_X=` never blanks a stored value
            values[name] = env
    values.update({k: v for k, v in overrides.items() if v is not None})
    values["data_dir"] = str(data_dir)
    return Settings(**{k: _coerce(k, types[k], v) for k, v in values.items() if k in types})


def save_settings(data_dir: str | Path, **values: Any) -> Path:
    """Merge `values` into the data dir's settings file (mode 0600, it may hold secrets)."""
    path = Path(data_dir) / SETTINGS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    names = {f.name for f in fields(Settings)} - {"data_dir"}
    unknown = set(values) - names
    if unknown:
        raise SettingsError(f"unknown settings: {', '.join(sorted(unknown))}")
    data: dict[str, Any] = json.loads(path.read_text()) if path.is_file() else {}
    data.update(values)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(data, out, indent=2, sort_keys=True)
    tmp.replace(path)
    return path
