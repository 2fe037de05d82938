"""Single sign-on without a browser: the claim-to-role mapping, and where a sign-in may lead back to."""

from __future__ import annotations

from dataclasses import replace

import pytest
from console_kit import Console
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer

from cases.sso import role_for, role_mapping
from console.app import create_app
from console.state import derived_key
from models.users import Role


def test_the_highest_mapped_value_of_the_claim_gives_the_role() -> None:
    mapping = role_mapping("minerals-admins=admin, compliance=analyst,staff=viewer")
    assert role_for({"groups": ["staff", "compliance"]}, "groups", mapping) == Role.ANALYST
    assert role_for({"groups": "minerals-admins"}, "groups", mapping) == Role.ADMIN
    assert role_for({"groups": ["sales"]}, "groups", mapping) is None
    assert role_for({}, "groups", mapping) is None
    assert role_for({"roles": ["staff"]}, "roles", mapping) == Role.VIEWER


def test_a_bad_mapping_names_the_pair() -> None:
    with pytest.raises(ValueError, match="'admins=root'"):
        role_mapping("admins=root")


def test_the_sign_in_leads_back_only_to_a_local_page(console: Console) -> None:
    settings = replace(console.settings, oidc_issuer="http://127.0.0.1:1", oidc_client_id="c")
    client = TestClient(create_app(settings, sessions=console.sessions))
    app = client.app.state  # type: ignore[attr-defined]
    made = {"url": "http://idp.test/authorize", "state": "s", "code_verifier": "v", "nonce": "n"}

    class Provider:
        async def create_authorization_url(self, redirect_uri: str) -> dict[str, str]:
            return made

    app.sso_client = Provider()  # only the redirect is looked at here, not the provider
    for target, kept in [
        ("/cases?stage=overdue", "/cases?stage=overdue"),
        ("/\\evil.test", "/"),
        ("//evil.test", "/"),
    ]:
        response = client.get("/login/sso", params={"next": target}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == made["url"]
        cookie = response.cookies["minerals_sso"]
        flow = URLSafeTimedSerializer(derived_key(settings.upload_secret, "sso-flow")).loads(cookie)
        assert flow["next"] == kept and "samesite=lax" in response.headers["set-cookie"].lower()
    assert (
        TestClient(create_app(console.settings, sessions=console.sessions)).get("/login/sso").status_code
        == 404
    )
