"""The case page and `cases show` read the matches stored with the assessment: a newer RMI list or a file
gone from the store changes nothing they show until the case is assessed again."""

from __future__ import annotations

import datetime as dt
import json

from console_kit import Console
from test_case_smelters import ROWS, _assessed_upload, _registry, _rows
from typer.testing import CliRunner

from cli.main import app
from models.files import StoredFile
from models.registry import RegistryImport, RegistryStatus


def test_the_page_shows_what_was_stored_not_a_new_judgement(console: Console) -> None:
    _registry(console)
    case = console.add_case("S1", "Generated Supplier", stage="risk-found")
    file_id = _assessed_upload(console, case, ROWS, "answer.xlsx")
    with console.sessions.begin() as session:  # a newer list: Delta becomes conformant, yet unassessed
        newer = RegistryImport(
            file_name="new.csv", sha256="c" * 64, kind="status-list", as_of=dt.date.today()
        )
        session.add(newer)
        session.flush()
        session.add(
            RegistryStatus(smelter_id="CID800002", import_id=newer.id, as_of=newer.as_of, status="conformant")
        )
        stored = session.get(StoredFile, file_id)
        assert stored is not None
        path = console.settings.resolved_file_store_dir() / stored.path
    path.unlink()  # nothing is read back from the file either
    console.sign_in("viewer@company.test")
    rows = _rows(console.client.get(f"/cases/{case}").text)
    assert ">Non-Conformant<" in rows[6] and "smelter-not-conformant" in rows[6]
    assert 'data-method="name"' in rows[11] and "score 95" in rows[11]
    shown = CliRunner().invoke(
        app, ["cases", "show", str(case), "--json", "--data-dir", console.settings.data_dir]
    )
    assert shown.exit_code == 0, shown.output
    table = json.loads(shown.stdout)["smelters"]
    assert table["statuses_as_of"] == (dt.date.today() - dt.timedelta(days=30)).isoformat()
    assert [(s["row"], s["rmap_status"]) for s in table["smelters"][:2]] == [
        (5, "conformant"),
        (6, "non-conformant"),
    ]
