"""Signed, expiring upload links bound to one case (HMAC-SHA256; the secret is injected)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac


class LinkError(ValueError):
    """An upload link that is malformed, tampered with or expired; the message says which."""


class LinkSigner:
    """Signs and verifies `{base}/upload/{token}` links; a token names its case and expiry time."""

    def __init__(self, secret: str, public_base_url: str) -> None:
        if len(secret) < 16:
            raise ValueError("the upload secret must be at least 16 characters (MINERALS_UPLOAD_SECRET)")
        self._key = secret.encode()
        self._base = public_base_url.rstrip("/")

    def token(self, survey_id: int, expires: dt.datetime) -> str:
        """A token for uploads to `survey_id` until `expires`."""
        stamp = int(expires.timestamp())
        return f"{survey_id}.{stamp}.{self._sign(survey_id, stamp)}"

    def upload_url(self, survey_id: int, expires: dt.datetime) -> str:
        """The personal upload link of a case."""
        return f"{self._base}/upload/{self.token(survey_id, expires)}"

    def page_url(self, path: str) -> str:
        """A page of the console or portal, e.g. `/cases/12`."""
        return f"{self._base}{path}"

    def verify(self, token: str, now: dt.datetime) -> int:
        """The case id a token grants uploads to; raises LinkError when it is not valid now."""
        parts = token.split(".")
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
            raise LinkError("this upload link is not valid; use the link from your latest email")
        survey_id, stamp = int(parts[0]), int(parts[1])
        if not hmac.compare_digest(parts[2], self._sign(survey_id, stamp)):
            raise LinkError("this upload link is not valid; use the link from your latest email")
        if now.timestamp() > stamp:
            raise LinkError("this upload link has expired; ask your contact for a new one")
        return survey_id

    def _sign(self, survey_id: int, stamp: int) -> str:
        mac = hmac.new(self._key, f"upload:{survey_id}:{stamp}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
