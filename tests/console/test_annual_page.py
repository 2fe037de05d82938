"""The annual report page: the published rows for the chosen fiscal years, its exports read back."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from console_kit import Console
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reports"))  # the KPI tests' campaign
from campaign_kit import build_world  # noqa: E402


def test_the_annual_page_shows_the_published_table_and_exports_it(console: Console, tmp_path: Path) -> None:
    with console.sessions() as session:
        build_world(session, console.settings.resolved_file_store_dir(), tmp_path)
    console.sign_in("viewer@company.test")
    assert 'href="/reports/annual"' in console.client.get("/reports").text
    got = console.client.get("/reports/annual")
    assert got.status_code == 200
    html = got.text
    assert "style=" not in html and "<style" not in html
    assert '<th colspan="1" scope="colgroup">FY2025</th>' in html and '<th scope="col">3TG</th>' in html
    # Today every answer counts: 4 of 5 suppliers; 2 of 6 smelters conformant (Beta since September).
    assert '<th scope="row">Response</th><td>80.0%</td>' in html
    assert 'name="fy" value="2025" checked' in html
    xlsx = console.client.get("/reports/annual.xlsx?fy=2025")
    assert xlsx.status_code == 200 and "FY2025" in xlsx.headers["content-disposition"]
    ws = load_workbook(io.BytesIO(xlsx.content))["Annual report"]
    assert (ws["A6"].value, ws["B6"].value) == ("Response", 0.8)
    md = console.client.get("/reports/annual.md?fy=2025").text
    assert "| Response | 80.0% |" in md
    assert console.client.get("/reports/annual.xlsx?fy=2019").status_code == 404


def test_the_annual_page_needs_sign_in(console: Console) -> None:
    assert console.client.get("/reports/annual", follow_redirects=False).status_code == 303
    assert console.client.get("/reports/annual.xlsx", follow_redirects=False).status_code == 303
