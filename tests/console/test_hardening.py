"""Hardening: a per-client sign-in throttle (429 + Retry-After), HTML error pages with the security headers,
ids beyond the database's range are 404."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

import pytest
from console_kit import CSRF, PASSWORD, Console
from fastapi.testclient import TestClient
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from console.app import create_app
from console.throttle import SignInThrottle

HUGE = "99999999999999999999999"
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def proxied(console: Console) -> Iterator[tuple[TestClient, Clock]]:
    """The console behind uvicorn's proxy-header handling (as `--proxy-headers`), throttled after 3 failures
    in 2 minutes, on a clock the test moves."""
    settings = replace(console.settings, signin_throttle_failures=3, signin_throttle_window="2m")
    app = create_app(settings, sessions=console.sessions)
    clock = Clock()
    app.state.signin_throttle.clock = clock
    behind_proxy: Any = ProxyHeadersMiddleware(app, trusted_hosts="*")  # type: ignore[arg-type]
    with TestClient(behind_proxy) as client:
        yield client, clock


def _sign_in(client: TestClient, address: str, email: str, password: str = PASSWORD) -> tuple[int, str]:
    forwarded = {"X-Forwarded-For": address}
    client.cookies.clear()
    found = CSRF.search(client.get("/login", headers=forwarded).text)
    assert found
    data = {"email": email, "password": password, "csrf": found.group(1), "next": "/"}
    response = client.post("/login", data=data, headers=forwarded, follow_redirects=False)
    return response.status_code, response.headers.get("retry-after", "")


def _has_security_headers(headers: Mapping[str, str]) -> bool:
    return all(name in headers for name in SECURITY_HEADERS)


def test_a_client_that_fails_too_often_waits_with_429_until_the_window_passes(
    proxied: tuple[TestClient, Clock],
) -> None:
    client, clock = proxied
    for n in range(3):  # three different accounts: the per-account lockout never trips
        assert _sign_in(client, "203.0.113.7", f"guess{n}@company.test", "wrong") == (401, "")
    status, retry_after = _sign_in(client, "203.0.113.7", "analyst@company.test")
    assert status == 429, "even the right password waits: no password is checked while throttled"
    assert 0 < int(retry_after) <= 120
    assert _sign_in(client, "198.51.100.2", "analyst@company.test")[0] == 303  # another client is not held
    clock.now += 60
    assert _sign_in(client, "203.0.113.7", "analyst@company.test")[0] == 429
    clock.now += 61
    assert _sign_in(client, "203.0.113.7", "analyst@company.test")[0] == 303


def test_the_429_page_says_how_long_to_wait_and_carries_the_security_headers(
    proxied: tuple[TestClient, Clock],
) -> None:
    client, _ = proxied
    for _ in range(3):
        _sign_in(client, "203.0.113.9", "nobody@company.test", "wrong")
    found = CSRF.search(client.get("/login").text)
    assert found
    data = {"email": "nobody@company.test", "password": "wrong", "csrf": found.group(1)}
    response = client.post("/login", data=data, headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 429
    assert "Too many failed sign-ins from this address" in response.text
    assert _has_security_headers(response.headers)


def test_sign_ins_still_being_checked_count_so_a_parallel_burst_is_held_too() -> None:
    clock = Clock()
    throttle = SignInThrottle(3, 120, clock=clock)
    assert [throttle.attempt("203.0.113.7") for _ in range(3)] == [0, 0, 0]  # none has finished yet
    assert throttle.attempt("203.0.113.7") == 120
    throttle.succeeded("203.0.113.7")  # one of them had the right password
    assert throttle.attempt("203.0.113.7") == 0
    clock.now += 120
    assert throttle.attempt("203.0.113.7") == 0


def test_a_bad_throttle_window_setting_is_named(console: Console) -> None:
    with pytest.raises(ValueError, match="MINERALS_SIGNIN_THROTTLE_WINDOW"):
        create_app(replace(console.settings, signin_throttle_window="soon"), sessions=console.sessions)


def test_an_unknown_address_is_an_html_404_with_the_security_headers(console: Console) -> None:
    response = console.client.get("/no/such/page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Page not found" in response.text and "There is no page at this address" in response.text
    assert _has_security_headers(response.headers)
    assert 'href="/login"' in response.text  # a way on for someone not signed in


@pytest.mark.parametrize("path", [f"/cases/{HUGE}", f"/cases/{HUGE}/timeline", "/cases/abc", "/cases/-1"])
def test_an_id_no_case_can_have_is_a_404_page_not_a_crash(console: Console, path: str) -> None:
    assert console.sign_in("viewer@company.test") == 303
    response = console.client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'href="/cases"' in response.text, "the signed-in navigation stays"
    assert _has_security_headers(response.headers)


def test_an_out_of_range_id_in_a_form_is_404_too(console: Console) -> None:
    assert console.sign_in("analyst@company.test") == 303
    data = {"csrf": console.csrf("/"), "reason": "not a supplier"}
    response = console.client.post(f"/cases/{HUGE}/actions/close", data=data)
    assert response.status_code == 404
    assert _has_security_headers(response.headers)


def test_a_bad_form_value_is_an_html_422_naming_the_field(console: Console) -> None:
    data = {"email": "x" * 400 + "@company.test", "password": "p", "csrf": console.csrf()}
    response = console.client.post("/login", data=data)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "Cannot use this request" in response.text and "email:" in response.text
    assert _has_security_headers(response.headers)


def test_a_failing_route_is_an_html_500_with_the_security_headers_and_no_details(console: Console) -> None:
    app = create_app(console.settings, sessions=console.sessions)

    def broken() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    app.add_api_route("/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/broken")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "Something went wrong" in response.text
    assert "secret internals" not in response.text
    assert _has_security_headers(response.headers)
