"""Reference data pages: the registry with today's RMAP status, a facility's status history, imports."""

from __future__ import annotations

import datetime as dt

from console_kit import Console

from models.registry import RegistryFacility, RegistryImport, RegistryStatus

HOSTILE = "<img src=x onerror=alert(1)>"


def _seed(console: Console) -> None:
    with console.sessions.begin() as session:
        older = RegistryImport(
            file_name="list-2025.csv",
            sha256="1" * 64,
            kind="status-list",
            as_of=dt.date(2025, 1, 1),
            rows_read=2,
            statuses_added=2,
        )
        newer = RegistryImport(
            file_name=HOSTILE,
            sha256="2" * 64,
            kind="status-list",
            as_of=dt.date(2026, 1, 1),
            rows_read=1,
            statuses_added=1,
            rejected=[{"line": 3, "reason": "no id"}],
        )
        session.add_all([older, newer])
        session.flush()
        session.add_all(
            [
                RegistryFacility(
                    smelter_id="CID000001",
                    metal="Tin",
                    name="Generated Tin Works " + HOSTILE,
                    country="PERU",
                    first_import_id=older.id,
                ),
                RegistryFacility(
                    smelter_id="CID000002",
                    metal="Gold",
                    name="Generated Gold Refinery",
                    country="JAPAN",
                    first_import_id=older.id,
                ),
            ]
        )
        session.flush()
        session.add_all(
            [
                RegistryStatus(
                    smelter_id="CID000001", import_id=older.id, as_of=older.as_of, status="conformant"
                ),
                RegistryStatus(
                    smelter_id="CID000002", import_id=older.id, as_of=older.as_of, status="conformant"
                ),
                RegistryStatus(
                    smelter_id="CID000001", import_id=newer.id, as_of=newer.as_of, status="non-conformant"
                ),
            ]
        )


def test_registry_shows_todays_status_and_each_facility_its_history(console: Console) -> None:
    _seed(console)
    assert console.client.get("/registry", follow_redirects=False).status_code == 303
    console.sign_in("viewer@company.test")
    listing = console.client.get("/registry").text
    assert "2 facilities" in listing and HOSTILE not in listing
    row = listing.split("CID000001</a>")[1].split("</tr>")[0]
    assert "non-conformant" in row  # the newest list wins
    gold = console.client.get("/registry?metal=Gold").text.split('id="facilities"')[1].split("</table>")[0]
    assert "CID000002" in gold and "CID000001" not in gold
    found = console.client.get("/registry?q=generated gold refinery").text
    assert "CID000002" in found.split('id="facilities"')[1].split("</table>")[0]
    history = console.client.get("/registry/CID000001").text
    table = history.split('id="history"')[1]
    assert table.index("2026-01-01") < table.index("2025-01-01")  # newest first
    assert "non-conformant" in table and "list-2025.csv" in table and HOSTILE not in history
    assert console.client.get("/registry/CID999999").status_code == 404
