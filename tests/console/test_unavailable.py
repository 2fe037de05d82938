"""While the database or Temporal does not answer: 503 pages (the portal in the supplier's language), and an
upload that could not be handed to its case is marked refused, never left pending."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from console_kit import SECRET, Console
from fastapi.testclient import TestClient
from sqlalchemy import select

from activities.links import LinkSigner
from console.app import create_app
from models.db import make_engine, session_factory
from models.enums import CheckStatus
from models.files import StoredFile
from models.settings import Settings

UNREACHABLE = "postgresql+psycopg://minerals@127.0.0.1:1/minerals"  # nothing listens on port 1


def token(case: int) -> str:
    return LinkSigner(SECRET, "http://testserver").token(case, dt.datetime.now(dt.UTC) + dt.timedelta(days=1))


def upload(console: Console, case: int) -> tuple[int, str]:
    """Upload a file through the portal form; the status and page."""
    # One token: the form's CSRF field is bound to it, and a second could carry a later expiry.
    link = token(case)
    form = console.client.get(f"/upload/{link}").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf
    sent = console.client.post(
        f"/upload/{link}",
        data={"csrf": csrf.group(1)},
        files={"file": ("cmrt.xlsx", b"PK\x03\x04 data")},
    )
    return sent.status_code, sent.text


def files(console: Console) -> list[StoredFile]:
    with console.sessions() as session:
        return list(session.scalars(select(StoredFile).order_by(StoredFile.id)))


def test_an_upload_while_temporal_is_unreachable_is_503_and_its_file_marked_refused(console: Console) -> None:
    case = console.add_case("S1", "Mine Metals", language="zh")  # the kit's console has no Temporal
    status, page = upload(console, case)
    assert status == 503 and "请几分钟后重试" in page
    [stored] = files(console)
    assert stored.check_status == CheckStatus.REFUSED and "Temporal" in stored.issues[0]["message"]


def test_an_upload_to_a_case_not_started_yet_says_so_in_the_suppliers_language(console: Console) -> None:
    case = console.add_case("S1", "Mine Metals", stage="pending", language="ja")
    status, page = upload(console, case)
    assert status == 409 and "まだ開始されていません" in page
    assert [f.check_status for f in files(console)] == [CheckStatus.REFUSED]


def test_while_the_database_is_unreachable_portal_and_console_answer_503_pages(tmp_path: Path) -> None:
    settings = Settings(data_dir=str(tmp_path), upload_secret=SECRET, public_base_url="http://testserver")
    app = create_app(settings, sessions=session_factory(make_engine(UNREACHABLE)))
    with TestClient(app, raise_server_exceptions=False) as client:
        portal = client.get(f"/upload/{token(1)}", headers={"accept-language": "ja,en;q=0.5"})
        assert portal.status_code == 503 and portal.headers["content-type"].startswith("text/html")
        assert "現在アップロードページをご利用いただけません" in portal.text and 'lang="ja"' in portal.text
        assert portal.headers["retry-after"] == "30"
        english = client.get(f"/upload/{token(1)}")
        assert english.status_code == 503 and "not available right now" in english.text
        login = client.get("/login").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', login)
        assert csrf
        signing_in = client.post(
            "/login", data={"email": "a@company.test", "password": "x", "csrf": csrf.group(1), "next": "/"}
        )
        assert signing_in.status_code == 503 and "The database cannot be reached right now" in signing_in.text
        assert "127.0.0.1:1" not in signing_in.text and "Traceback" not in signing_in.text
