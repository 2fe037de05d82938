"""Single sign-on with OpenID Connect (authorization code with PKCE, Authlib): the identity provider vouches
for the person, a claim gives the role; local accounts stay for break-glass admins."""

from __future__ import annotations

import hmac
from html import escape
from typing import Annotated, Any

from authlib.integrations.base_client import OAuthError
from authlib.integrations.starlette_client import OAuth
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from httpx import HTTPError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from joserfc.errors import JoseError

from cases.accounts import AccountError
from cases.sso import role_for, role_mapping, sso_sign_in
from console.auth_routes import _safe_next
from console.render import page
from console.security import start_session
from console.state import derived_key, state

router = APIRouter()
# The flow's state rides in a cookie of its own, SameSite=Lax: the provider's redirect back is a cross-site
# navigation, which never carries the console's Strict session cookie.
COOKIE, COOKIE_PATH, FLOW_SECONDS = "minerals_sso", "/login/sso", 600
DONE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="0;url={target}"><title>Signed in</title></head>
<body><p>Signed in. <a href="{target}">Continue</a>.</p></body></html>"""


def _client(request: Request) -> Any:
    """The configured provider's client (discovered once), or 404 while SSO is off."""
    settings = state(request).settings
    if not settings.oidc_issuer:
        raise HTTPException(404, "single sign-on is not configured here")
    found = getattr(request.app.state, "sso_client", None)
    if found is None:
        oauth = OAuth()
        oauth.register(
            "sso",
            server_metadata_url=settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret,
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
        )
        found = request.app.state.sso_client = oauth.create_client("sso")
    return found


def _signer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(derived_key(state(request).settings.upload_secret, "sso-flow"))


def _callback_url(request: Request) -> str:
    return state(request).settings.public_base_url.rstrip("/") + "/login/sso/callback"


def _refused(request: Request, status: int, message: str) -> HTMLResponse:
    context = {"status": status, "message": message, "problems": ()}
    response = page(request, "error.html", context, status_code=status)
    response.delete_cookie(COOKIE, path=COOKIE_PATH)
    return response


@router.get("/login/sso")
async def sso_start(request: Request, next: str = "/") -> Response:  # noqa: A002
    """Send the browser to the identity provider, with state, nonce and a PKCE challenge."""
    client = _client(request)
    try:
        made = await client.create_authorization_url(_callback_url(request))
    except (HTTPError, OAuthError, RuntimeError) as exc:
        return _refused(request, 503, f"The identity provider cannot be reached right now ({exc}).")
    target = _safe_next(next[:2000])
    flow = {"state": made["state"], "verifier": made["code_verifier"], "nonce": made["nonce"], "next": target}
    response = RedirectResponse(made["url"], status_code=303)
    response.set_cookie(
        COOKIE,
        _signer(request).dumps(flow),
        max_age=FLOW_SECONDS,
        path=COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=state(request).settings.public_base_url.startswith("https://"),
    )
    return response


@router.get("/login/sso/callback")
async def sso_callback(
    request: Request,
    returned: Annotated[str, Query(alias="state", max_length=200)] = "",
    code: Annotated[str, Query(max_length=2000)] = "",
    error: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """Take the provider's answer: check the state, redeem the code with the verifier, check the ID token,
    map the role claim, and start a console session."""
    client = _client(request)
    try:
        flow = _signer(request).loads(request.cookies.get(COOKIE, ""), max_age=FLOW_SECONDS)
    except BadSignature:
        return _refused(request, 400, "This sign-in has expired or was started elsewhere: start it again.")
    if error:
        return _refused(request, 401, f"The identity provider did not sign you in ({error}).")
    if not hmac.compare_digest(str(flow["state"]), returned):
        return _refused(request, 400, "This sign-in does not match the one started here: start it again.")
    try:
        token = await client.fetch_access_token(
            redirect_uri=_callback_url(request), code=code, code_verifier=flow["verifier"]
        )
        claims = await client.parse_id_token(token, nonce=flow["nonce"])
    except (HTTPError, OAuthError, JoseError, ValueError) as exc:
        return _refused(request, 401, f"The identity provider's answer could not be used ({exc}).")
    settings = state(request).settings
    try:
        mapping = role_mapping(settings.oidc_roles)
    except ValueError as exc:
        return _refused(request, 500, f"Single sign-on is set up wrong: {exc}.")
    role = role_for(claims or {}, settings.oidc_role_claim, mapping)
    email = str((claims or {}).get("email") or "")
    if role is None or not email or (claims or {}).get("email_verified") is False:
        return _refused(request, 403, "Your account at the identity provider gives you no role here.")
    try:
        user = await run_in_threadpool(
            sso_sign_in, state(request).sessions, email, role, settings.oidc_issuer
        )
    except AccountError as exc:
        return _refused(request, 403, f"Not allowed: {exc}.")
    start_session(request, user)
    # A page of our own leads on, so the next request is same-site and carries the Strict session cookie.
    response = HTMLResponse(DONE.format(target=escape(str(flow["next"]))))
    response.delete_cookie(COOKIE, path=COOKIE_PATH)
    return response
