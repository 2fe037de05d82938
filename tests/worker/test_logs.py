"""Structured logs: JSON lines that parse, carry the Temporal context as fields, and never show a secret."""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import logging.config

import pytest
import uvicorn.config
from temporalio import activity
from temporalio.testing import ActivityEnvironment

from models.settings import Settings, SettingsError
from worker.logs import configure_logging, loggable

SMTP_PASSWORD = "hunter2-relay-password"
UPLOAD_SECRET = "upload-signing-key-0123456789"
DB_PASSWORD = "pg-pass-4711"


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


async def test_json_lines_carry_activity_context_and_mask_secrets() -> None:
    settings = Settings(
        log_format="json",
        log_level="info",
        smtp_password=SMTP_PASSWORD,
        upload_secret=UPLOAD_SECRET,
        database_url=f"postgresql+psycopg://minerals:{DB_PASSWORD}@db:5432/minerals",
    )
    stream = io.StringIO()
    configure_logging(settings, stream)

    async def sending() -> None:
        activity.logger.info("relay said no to %s", SMTP_PASSWORD, extra={"kind": "request"})

    env = ActivityEnvironment()
    env.info = dataclasses.replace(env.info, workflow_id="survey-c1-X1", activity_type="send_email")
    await env.run(sending)
    log = logging.getLogger("minerals.test")
    log.info("settings", extra={"settings": loggable(settings)})
    log.warning("cannot reach %s", settings.database_url)
    log.debug("not at info level")
    try:
        raise ValueError(f"cannot sign with {UPLOAD_SECRET}")
    except ValueError:
        log.exception("upload link failed")

    sent, shown, unreachable, failed = lines(stream)
    assert {"ts", "level", "logger", "message"} <= sent.keys()
    assert (sent["level"], sent["logger"], sent["kind"]) == ("INFO", "temporalio.activity", "request")
    assert (sent["activity_type"], sent["workflow_id"]) == ("send_email", "survey-c1-X1")
    assert sent["message"] == "relay said no to ***"  # the context is in fields, not appended
    assert shown["settings"]["smtp_password"] == shown["settings"]["upload_secret"] == "***"  # type: ignore[index]
    assert shown["settings"]["database_url"] == "postgresql+psycopg://minerals:***@db:5432/minerals"  # type: ignore[index]
    assert unreachable["message"] == "cannot reach postgresql+psycopg://minerals:***@db:5432/minerals"
    assert failed["level"] == "ERROR" and "ValueError: cannot sign with ***" in str(failed["exception"])
    assert all(secret not in stream.getvalue() for secret in (SMTP_PASSWORD, UPLOAD_SECRET, DB_PASSWORD))


def test_text_lines_follow_the_level_and_mask_secrets() -> None:
    stream = io.StringIO()
    configure_logging(Settings(log_format="text", log_level="warning", upload_secret=UPLOAD_SECRET), stream)
    log = logging.getLogger("minerals.test")
    log.info("quiet")
    log.warning("key %s", UPLOAD_SECRET)
    (line,) = stream.getvalue().splitlines()
    assert line.endswith("WARNING minerals.test: key ***")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"log_format": "xml"}, "MINERALS_LOG_FORMAT must be text or json, got 'xml'"),
        ({"log_level": "loud"}, "MINERALS_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got 'loud'"),
    ],
)
def test_bad_log_settings_are_named(change: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        configure_logging(Settings(**change))  # type: ignore[arg-type]


def test_a_closed_stream_drops_records_quietly(capsys: pytest.CaptureFixture[str]) -> None:
    stream = io.StringIO()
    configure_logging(Settings(), stream)  # as a finished in-process CLI run leaves it
    stream.close()
    logging.getLogger("minerals.test").warning("after the command ended")
    assert "Logging error" not in capsys.readouterr().err


@pytest.mark.parametrize(("level", "shown"), [("INFO", False), ("DEBUG", True)])
def test_mail_capture_and_access_lines_stay_quiet_unless_debugging(level: str, shown: bool) -> None:
    stream = io.StringIO()
    configure_logging(Settings(log_format="text", log_level=level), stream)
    for name in ("mail.log", "uvicorn.access"):
        logging.getLogger(name).info("('127.0.0.1', 5501) Connection lost during _handle_client()")
        logging.getLogger(name).warning(f"{name} refused something")
    logging.getLogger("minerals.worker").info("our own event")
    text = stream.getvalue()
    assert ("Connection lost" in text) == shown
    assert "mail.log refused something" in text and "uvicorn.access refused something" in text
    assert text.count("our own event") == 1


def test_a_library_logging_config_does_not_escape_the_redacting_handler() -> None:
    # uvicorn.Config without log_config=None installs handlers of its own on its loggers.
    logging.config.dictConfig(uvicorn.config.LOGGING_CONFIG)
    stream = io.StringIO()
    configure_logging(Settings(log_format="json", smtp_password=SMTP_PASSWORD), stream)
    logging.getLogger("uvicorn.error").warning(f"relay said no to {SMTP_PASSWORD}")
    (record,) = lines(stream)
    assert record["logger"] == "uvicorn.error" and SMTP_PASSWORD not in json.dumps(record)
