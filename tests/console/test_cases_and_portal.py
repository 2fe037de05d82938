"""Case list filters and paging, dashboard counts, escaped supplier text, and portal tokens per case."""

from __future__ import annotations

import datetime as dt
import re

from console_kit import SECRET, Console
from sqlalchemy import func, select, update

from activities.links import LinkSigner
from models.audit import AuditEvent
from models.corrective import CorrectiveAction
from models.enums import ActionStatus
from models.files import StoredFile

HOSTILE = '<script>alert("x")</script>'


def _ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="/cases/(\d+)"', html)]


def test_filters_search_sort_and_keyset_pages_cover_every_case_once(console: Console) -> None:
    for n in range(120):
        stage = "accepted" if n % 3 == 0 else "reminded"
        console.add_case(f"S{n:03d}", f"Supplier {n:03d}", stage=stage, campaign="A" if n < 100 else "B")
    console.sign_in("viewer@company.test")
    seen: list[int] = []
    url = "/cases?campaign=A&sort=supplier&dir=desc"
    while url:
        html = console.client.get(url).text
        seen += _ids(html)
        found = re.search(r'class="next" href="([^"]+)"', html)
        url = found.group(1).replace("&amp;", "&") if found else ""
    assert len(seen) == 100 and len(set(seen)) == 100
    names = re.findall(
        r"Supplier (\d{3})", console.client.get("/cases?campaign=A&sort=supplier&dir=desc").text
    )
    assert names[:3] == ["099", "098", "097"]
    accepted = console.client.get("/cases?stage=accepted").text
    assert "40 case(s)" in accepted and "s-reminded" not in accepted.split('id="results"')[1]
    search = console.client.get("/cases?q=Supplier 11").text
    assert "10 case(s)" in search  # 110..119
    fragment = console.client.get("/cases?q=S005", headers={"HX-Request": "true"}).text
    assert fragment.lstrip().startswith('<section id="results">') and "1 case(s)" in fragment
    overdue = console.client.get("/cases?overdue=1").text
    assert "0 case(s)" in overdue  # every generated case is due in 2027


def test_dashboard_counts_each_campaign(console: Console) -> None:
    console.add_case("S1", "One", stage="accepted")
    console.add_case("S2", "Two", stage="risk-found", risk="high")
    console.add_case("S3", "Three", stage="reminded")
    console.sign_in("viewer@company.test")
    html = console.client.get("/").text
    assert "CMRT-2027" in html
    counts = dict(re.findall(r"<th>([a-z ]+)</th><td class=\"num\">(\d+)</td>", html))
    assert counts == {
        "cases": "3",
        "invited": "0",
        "responded": "0",
        "complete": "2",
        "with risk": "1",
        "exempted": "0",
        "closed": "0",  # accepted and risk found are complete, not closed
    }


def test_supplier_text_is_escaped_everywhere_staff_and_suppliers_read_it(console: Console) -> None:
    case = console.add_case("S1", HOSTILE)
    issue = {"severity": "error", "code": "x", "sheet": HOSTILE, "cell": "D8", "message": HOSTILE}
    console.add_file(case, HOSTILE + ".xlsx", [issue])
    with console.sessions.begin() as session:  # a reason typed by staff, shown in the timeline
        session.add(
            AuditEvent(
                actor="a@company.test",
                action="survey.closed",
                subject=f"survey:{case}",
                after={"note": HOSTILE},
            )
        )
    console.sign_in("analyst@company.test")
    token = _token(case)
    for path in ("/cases", f"/cases/{case}", f"/cases/{case}/timeline", f"/upload/{token}"):
        html = console.client.get(path).text
        assert HOSTILE not in html, path
        assert "&lt;script&gt;" in html, path
    portal = console.client.get(f"/upload/{token}").text
    assert portal.count("&lt;script&gt;") >= 4  # supplier name, file name, sheet and issue message
    assert "script-src 'self'" in console.client.get("/").headers["content-security-policy"]


def _token(case: int, days: float = 1) -> str:
    return LinkSigner(SECRET, "http://testserver").token(
        case, dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
    )


def _files(console: Console) -> int:
    with console.sessions() as session:
        return session.scalar(select(func.count()).select_from(StoredFile)) or 0


def test_a_token_opens_its_own_case_and_nothing_else(console: Console) -> None:
    mine = console.add_case("S1", "Mine Metals", language="ja")
    other = console.add_case("S2", "Other Metals")
    page = console.client.get(f"/upload/{_token(mine)}")
    assert page.status_code == 200 and "Mine Metals" in page.text and "Other Metals" not in page.text
    assert "アップロード" in page.text  # the supplier's language
    signature = _token(mine).split(".")[2]
    stamp = _token(mine).split(".")[1]
    for bad in (f"{other}.{stamp}.{signature}", _token(mine)[:-2] + "xx", _token(mine, days=-1), "nonsense"):
        refused = console.client.get(f"/upload/{bad}")
        assert refused.status_code == 403
        assert "Mine Metals" not in refused.text and "Other Metals" not in refused.text
        assert 'type="file"' not in refused.text
    assert "expired" in console.client.get(f"/upload/{_token(mine, days=-1)}").text
    forged = console.client.post(f"/upload/{other}.{stamp}.{signature}", files={"file": ("a.xlsx", b"PK..")})
    assert forged.status_code == 403 and _files(console) == 0


def test_portal_upload_needs_its_form_token_and_respects_the_size_limit(console: Console) -> None:
    case = console.add_case("S1", "Mine Metals")
    token = _token(case)
    no_csrf = console.client.post(f"/upload/{token}", files={"file": ("a.xlsx", b"PK..")})
    assert no_csrf.status_code == 403 and _files(console) == 0
    field = re.search(r'name="csrf" value="([^"]+)"', console.client.get(f"/upload/{token}").text)
    assert field
    big = b"x" * (console.settings.max_upload_bytes + 100_000)
    too_big = console.client.post(
        f"/upload/{token}", data={"csrf": field.group(1)}, files={"file": ("a.xlsx", big)}
    )
    assert too_big.status_code == 413 and "too large" in too_big.text and _files(console) == 0


def test_a_finished_case_takes_a_new_template_only_while_corrective_actions_wait(console: Console) -> None:
    case = console.add_case("S1", "Mine Metals", stage="risk-found", risk="high")
    token = _token(case)
    assert 'type="file"' not in console.client.get(f"/upload/{token}").text
    with console.sessions.begin() as session:
        assessed = StoredFile(survey_id=case, sha256="0" * 64, size=1, path="x", original_name="a.xlsx")
        session.add(assessed)
        session.flush()
        action = CorrectiveAction(
            survey_id=case,
            n=1,
            workflow_id="capa-CMRT-2027-S1-1",
            kind="non-conformant-smelters",
            group_key="non-conformant-smelters",
            severity="high",
            required_outcome="Source only from conformant smelters.",
            opened_file_id=assessed.id,
        )
        session.add(action)
    assert 'type="file"' in console.client.get(f"/upload/{token}").text
    with console.sessions.begin() as session:
        session.execute(update(CorrectiveAction).values(status=ActionStatus.RESOLVED))
    assert 'type="file"' not in console.client.get(f"/upload/{token}").text


def test_dashboard_links_each_campaign_to_its_kpi_table(console: Console) -> None:
    console.add_case("S1", "One", stage="accepted")
    console.add_case("S2", "Two", stage="reminded")
    assert console.client.get("/reports/kpi?campaign=CMRT-2027", follow_redirects=False).status_code in (
        303,
        401,
    )
    console.sign_in("viewer@company.test")
    link = re.search(r'href="(/reports/kpi\?campaign=[^"]+)"', console.client.get("/").text)
    assert link and link.group(1) == "/reports/kpi?campaign=CMRT-2027"
    page = console.client.get(link.group(1))
    assert page.status_code == 200 and "How the numbers are counted" in page.text
    first_row = re.search(
        r'<tr class="group"><th scope="row">([^<]+)</th><td class="num">(\d+)</td>', page.text
    )
    assert first_row and first_row.groups() == ("3TG", "2")  # both suppliers are in scope
    assert console.client.get("/reports/kpi?campaign=NOPE").status_code == 404


def test_audit_page_filters_pages_and_escapes(console: Console) -> None:
    assert console.client.get("/audit", follow_redirects=False).status_code in (303, 401)
    with console.sessions.begin() as session:
        for n in range(105):
            session.add(AuditEvent(actor="system", action="survey.reminded", subject=f"survey:{n}"))
        session.add(AuditEvent(actor="ana@company.test", action="survey.exempted", subject="survey:7",
                               after={"reason": HOSTILE}))  # fmt: skip
    console.sign_in("viewer@company.test")
    html = console.client.get("/audit").text
    assert HOSTILE not in html and "survey.exempted" in html  # supplier text never becomes markup
    assert html.count('<tr id="event-') == 50 and "Older events" in html
    older = re.search(r'href="(/audit\?[^"]*before=\d+)"', html)
    assert (
        older and console.client.get(older.group(1).replace("&amp;", "&")).text.count('<tr id="event-') == 50
    )
    mine = console.client.get("/audit?actor=ana%40company.test").text
    assert mine.count('<tr id="event-') == 1 and "Case #7" in mine
    assert "not a date" in console.client.get("/audit?since=yesterday").text
