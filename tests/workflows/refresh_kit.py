"""Generated RMI status lists (synthetic facilities of survey_kit's look-up) and their import."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from risk import import_file

HEADER = [
    "Metal",
    "Smelter ID",
    "Standard Smelter Name",
    "Country",
    "RMAP Status",
    "Last Audit Date",
    "Audit Cycle",
]
FACILITIES = {"CID000001": ("Tungsten", "Standard W", "JAPAN"), "CID000002": ("Tin", "Standard Sn", "PERU")}


def status_list(
    folder: Path, name: str, statuses: dict[str, str], audits: dict[str, dt.date] | None = None
) -> Path:
    """A CSV status list: each facility with its status (and a last audit on a one-year cycle)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for cid, status in statuses.items():
            metal, standard, country = FACILITIES[cid]
            audit = (audits or {}).get(cid)
            writer.writerow(
                [
                    metal,
                    cid,
                    standard,
                    country,
                    status,
                    audit.isoformat() if audit else "",
                    "1 year" if audit else "",
                ]
            )
    return path


def import_list(sessions: sessionmaker[Session], path: Path, as_of: dt.date) -> int:
    """Import a status list; returns its import id."""
    with sessions() as session:
        return import_file(session, path, as_of).record.id
