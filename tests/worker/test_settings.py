"""Settings: file, then MINERALS_* environment, then explicit values; secrets never shown."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from models.settings import SettingsError, load_settings, parse_duration, save_settings


def test_environment_overrides_the_data_dir_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save_settings(tmp_path, smtp_port=2525, temporal_address="127.0.0.1:9999")
    save_settings(tmp_path, smtp_starttls=True)
    monkeypatch.setenv("MINERALS_TEMPORAL_ADDRESS", "temporal.internal:7233")
    settings = load_settings(data_dir=str(tmp_path))
    assert (settings.smtp_port, settings.smtp_starttls) == (2525, True)
    assert settings.temporal_address == "temporal.internal:7233"
    assert (tmp_path / "settings.json").stat().st_mode & 0o077 == 0


def test_secrets_are_masked_and_bad_values_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINERALS_SMTP_PASSWORD", "hunter2-secret")
    settings = load_settings(data_dir=str(tmp_path))
    assert "hunter2-secret" not in repr(settings)
    assert settings.public()["smtp_password"] == "***"
    monkeypatch.setenv("MINERALS_SMTP_PORT", "twenty-five")
    with pytest.raises(SettingsError, match="MINERALS_SMTP_PORT must be a whole number"):
        load_settings(data_dir=str(tmp_path))


def test_durations() -> None:
    assert parse_duration("14d") == timedelta(days=14)
    assert parse_duration("36h") == timedelta(hours=36)
    assert parse_duration("2s") == timedelta(seconds=2)
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration("two weeks")


def test_empty_variable_keeps_the_stored_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save_settings(tmp_path, upload_secret="stored-by-minerals-up-0123456789")
    monkeypatch.setenv("MINERALS_UPLOAD_SECRET", "")
    assert load_settings(data_dir=str(tmp_path)).upload_secret == "stored-by-minerals-up-0123456789"
