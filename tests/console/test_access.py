"""No page or action without a session; roles limit what staff do; CSRF on every form; lockout."""

from __future__ import annotations

from email.message import EmailMessage

from console_kit import CSRF, PASSWORD, Console
from sqlalchemy import select

from cases.accounts import MAX_FAILURES
from models.audit import AuditEvent
from worker.mail_capture import MailStore, captured_mail

STAFF_PAGES = ["/", "/cases", "/cases/1", "/cases/1/timeline", "/mail", "/admin/users"]


def test_no_staff_page_or_action_without_a_session(console: Console) -> None:
    case = console.add_case("S1", "Generated Metals")
    for path in STAFF_PAGES:
        response = console.client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=")
    token = console.csrf()  # an anonymous session's token does not make anyone staff
    posted = console.client.post(f"/cases/{case}/actions/close", data={"csrf": token, "reason": "x"})
    assert posted.status_code == 401
    assert "Generated Metals" not in posted.text


def test_sign_in_then_sign_out_ends_every_copy_of_the_cookie(console: Console) -> None:
    assert console.sign_in("viewer@company.test", "wrong password!") == 401
    assert console.sign_in("viewer@company.test") == 303
    assert console.client.get("/", follow_redirects=False).status_code == 200
    stolen = console.client.cookies.get("minerals_session")
    logout = console.client.post("/logout", data={"csrf": console.csrf("/")}, follow_redirects=False)
    assert logout.status_code == 303
    console.client.cookies.set("minerals_session", stolen)
    assert console.client.get("/", follow_redirects=False).status_code == 303


def test_session_cookie_is_signed_and_same_site_strict(console: Console) -> None:
    data = {"email": "viewer@company.test", "password": PASSWORD, "csrf": console.csrf(), "next": "/"}
    header = console.client.post("/login", data=data, follow_redirects=False).headers.get("set-cookie", "")
    assert "samesite=strict" in header.lower() and "httponly" in header.lower()
    console.client.cookies.set("minerals_session", "eyJ1c2VyIjogMSwgImVwb2NoIjogMH0=.forged.sig")
    assert console.client.get("/", follow_redirects=False).status_code == 303


def test_repeated_failures_lock_the_account_until_an_admin_unlocks_it(console: Console) -> None:
    for _ in range(MAX_FAILURES):
        assert console.sign_in("analyst@company.test", "not the password") == 401
    assert console.sign_in("analyst@company.test", PASSWORD) == 401  # right password, locked
    with console.sessions() as session:
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "user.locked")) is not None
    assert console.sign_in("admin@company.test") == 303
    users = console.client.get("/admin/users").text
    assert "locked" in users
    unlock = console.client.post(
        "/admin/users/2/unlock", data={"csrf": console.csrf("/")}, follow_redirects=False
    )
    assert unlock.status_code == 303
    assert console.sign_in("analyst@company.test") == 303


def test_viewers_read_analysts_decide_admins_manage(console: Console) -> None:
    case = console.add_case("S1", "Generated Metals")
    console.sign_in("viewer@company.test")
    page = console.client.get(f"/cases/{case}")
    assert page.status_code == 200 and "Generated Metals" in page.text
    assert "/actions/close" not in page.text  # no decision forms for viewers
    token = console.csrf("/")
    refused = console.client.post(f"/cases/{case}/actions/close", data={"csrf": token, "reason": "dup"})
    assert refused.status_code == 403
    assert console.client.get("/mail").status_code == 403
    assert console.client.get("/admin/users").status_code == 403

    console.sign_in("analyst@company.test")
    assert "/actions/close" in console.client.get(f"/cases/{case}").text
    assert console.client.get("/mail").status_code == 200
    assert console.client.get("/admin/users").status_code == 403
    token = console.csrf("/")
    # An action that does not fit the stage is refused before it reaches the workflow.
    assert (
        console.client.post(f"/cases/{case}/actions/reopen", data={"csrf": token, "reason": "r"}).status_code
        == 409
    )
    missing = console.client.post(f"/cases/{case}/actions/exempt", data={"csrf": token, "reason": " "})
    assert missing.status_code == 400 and "reason" in missing.text

    console.sign_in("admin@company.test")
    assert console.client.get("/admin/users").status_code == 200


def test_every_form_needs_the_session_csrf_token(console: Console) -> None:
    case = console.add_case("S1", "Generated Metals")
    login = {"email": "analyst@company.test", "password": PASSWORD, "next": "/"}
    assert console.client.post("/login", data=login).status_code == 403
    assert console.sign_in("analyst@company.test") == 303
    page = console.client.get(f"/cases/{case}").text
    assert len(CSRF.findall(page)) >= 4  # sign-out and every action form carry it
    for data in ({"reason": "no token"}, {"reason": "bad token", "csrf": "forged"}):
        assert console.client.post(f"/cases/{case}/actions/close", data=data).status_code == 403
    assert console.client.post("/logout", data={}).status_code == 403
    assert console.client.get("/", follow_redirects=False).status_code == 200  # still signed in


def test_next_never_leaves_the_console(console: Console) -> None:
    data = {
        "email": "viewer@company.test",
        "password": PASSWORD,
        "csrf": console.csrf(),
        "next": "//evil.test/x",
    }
    for target in ("//evil.test/x", "/\\evil.test", "https://evil.test/", "/cases?stage=overdue"):
        data["next"], data["csrf"] = target, console.csrf()
        response = console.client.post("/login", data=data, follow_redirects=False)
        assert response.headers["location"] == (
            "/cases?stage=overdue" if target.startswith("/cases") else "/"
        )


def test_captured_mail_is_for_analysts_and_escaped(console: Console) -> None:
    store = MailStore(console.settings.resolved_mail_dir())
    mail = EmailMessage()
    mail["Subject"] = "Please upload <b>now</b>"
    mail["To"] = "s1@supplier.test"
    mail.set_content("Your link: http://testserver/upload/1.2.3 <script>x</script>")
    store.store("m@company.test", ["s1@supplier.test"], mail.as_bytes())
    console.client.app.state.console.mail_reader = captured_mail  # type: ignore[attr-defined]
    console.sign_in("viewer@company.test")
    assert console.client.get("/mail").status_code == 403  # upload links are in the bodies
    console.sign_in("analyst@company.test")
    page = console.client.get("/mail?to=s1@").text
    assert (
        "Please upload &lt;b&gt;now&lt;/b&gt;" in page
        and "&lt;script&gt;x" in page
        and "<script>x" not in page
    )
    assert "1 message(s)" in page
    assert "0 message(s)" in console.client.get("/mail?to=nobody@").text
