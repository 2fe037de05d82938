"""Configuration, read in one place from `MINERALS_*` environment variables and the data dir."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, fields
from pathlib import Path

PREFIX = "MINERALS_"
SETTINGS_FILE = "settings.json"


@dataclass(frozen=True)
class Settings:
    """Every setting of the product; each can be overridden by `MINERALS_<NAME>`."""

    data_dir: str = ".minerals"
    database_url: str = ""  # default: SQLite under data_dir

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{Path(self.data_dir).resolve() / 'minerals.db'}"


def load_settings(**overrides: str) -> Settings:
    """Settings from the data dir's settings file, then the environment, then explicit overrides."""
    values: dict[str, str] = {}
    data_dir = overrides.get("data_dir") or os.environ.get(PREFIX + "DATA_DIR") or Settings.data_dir
    stored = Path(data_dir) / SETTINGS_FILE
    if stored.is_file():
        values.update({k: str(v) for k, v in json.loads(stored.read_text()).items()})
    names = {f.name for f in fields(Settings)}
    for name in names:
        env = os.environ.get(PREFIX + name.upper())
        if env is not None:
            values[name] = env
    values.update({k: v for k, v in overrides.items() if v is not None})
    values["data_dir"] = data_dir
    return Settings(**{k: v for k, v in values.items() if k in names})
