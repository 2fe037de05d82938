"""The KPI report in the console: a styled page (static CSS, no inline style or script) with SVG charts
drawn by the server, CSV and XLSX exports carrying the page's numbers, and links back."""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

from console_kit import Console
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reports"))  # the KPI tests' campaign
from campaign_kit import build_world  # noqa: E402

METALS = ("Tantalum", "Tin", "Gold", "Tungsten")


def _world(console: Console, tmp_path: Path) -> None:
    with console.sessions() as session:
        build_world(session, console.settings.resolved_file_store_dir(), tmp_path)


def _page_table(html: str) -> dict[str, list[str]]:
    table = html[html.index('<table class="list kpi"') :]
    rows = re.findall(r'<tr class="(?:group|metal)"><th scope="row">([^<]+)</th>(.*?)</tr>', table)
    return {label: re.findall(r'<td class="num">([^<]*)</td>', cells) for label, cells in rows}


def test_the_kpi_page_shows_its_charts_and_both_exports_read_back(console: Console, tmp_path: Path) -> None:
    _world(console, tmp_path)
    console.sign_in("viewer@company.test")
    listing = console.client.get("/reports").text
    assert 'href="/reports/kpi?campaign=cmrt-2025"' in listing
    got = console.client.get("/reports/kpi", params={"campaign": "cmrt-2025"})
    assert got.status_code == 200
    html = got.text
    assert "style=" not in html and "<style" not in html  # the CSP allows neither
    assert all(
        re.fullmatch(r'<script src="/static/[\w.-]+\.js" defer>', tag)
        for tag in re.findall(r"<script[^>]*>", html)
    )
    assert "script-src 'self'; style-src 'self'" in got.headers["content-security-policy"]
    assert '<link rel="stylesheet" href="/static/report.css">' in html
    assert console.client.get("/static/report.css").status_code == 200
    assert 'href="/"' in html and 'href="/reports"' in html and 'href="/cases?campaign=cmrt-2025"' in html

    shares = html[html.index('id="chart-shares"') : html.index('id="chart-response"')]
    assert "<svg" in shares
    for metal in METALS:
        assert f'">{metal}</text>' in shares
    conformant = re.findall(r'<rect class="bar conformant"[^>]* width="([\d.]+)"', shares)
    participating = re.findall(r'<rect class="bar participating"[^>]* width="([\d.]+)"', shares)
    assert len(conformant) == len(participating) == len(METALS)
    assert any(float(w) > 0 for w in conformant)  # Gold and Tin have conformant smelters
    assert all(float(p) >= float(c) for c, p in zip(conformant, participating, strict=True))
    response = html[html.index('id="chart-response"') :]
    assert re.search(r'<polyline class="line" points="[\d., ]+"', response)

    table = _page_table(html)
    assert set(METALS) <= set(table) and "3TG" in table
    exported = console.client.get("/reports/kpi.csv", params={"campaign": "cmrt-2025"})
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.headers["content-disposition"].startswith('attachment; filename="kpi-cmrt-2025-')
    lines = list(csv.reader(io.StringIO(exported.text)))
    assert lines[0][:3] == ["Group", "Minerals", "Suppliers in scope"]
    by_label = {line[1]: line for line in lines[1:]}
    for label, cells in table.items():
        assert by_label[label][2] == cells[0]  # suppliers in scope
        assert by_label[label][6] == cells[4]  # unique smelters
        share = by_label[label][10]
        assert (f"{float(share):.1%}" if share else "n/a") == cells[8]  # conformant share

    book = console.client.get("/reports/kpi.xlsx", params={"campaign": "cmrt-2025"})
    assert book.headers["content-disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None
    rows = {str(r[0]).strip(): r for r in sheet.iter_rows(min_row=4, values_only=True) if r[1] is not None}
    for label, cells in table.items():
        assert rows[label][1] == int(cells[0]) and rows[label][5] == int(cells[4])


def test_an_unknown_campaign_is_404_and_reports_need_sign_in(console: Console) -> None:
    assert console.client.get("/reports/kpi.csv?campaign=x", follow_redirects=False).status_code == 303
    console.sign_in("viewer@company.test")
    assert console.client.get("/reports/kpi?campaign=nope").status_code == 404
    assert console.client.get("/reports/kpi.xlsx?campaign=nope").status_code == 404
