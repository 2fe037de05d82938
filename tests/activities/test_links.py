"""Upload links: bound to one case, expiring, tamper-evident."""

from __future__ import annotations

import datetime as dt

import pytest

from activities.links import LinkError, LinkSigner

NOW = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
signer = LinkSigner("a-secret-of-enough-length", "https://portal.example/")


def test_a_link_names_its_case_until_it_expires() -> None:
    url = signer.upload_url(42, NOW + dt.timedelta(days=1))
    assert url.startswith("https://portal.example/upload/42.")
    token = url.rsplit("/", 1)[1]
    assert signer.verify(token, NOW) == 42
    with pytest.raises(LinkError, match="expired"):
        signer.verify(token, NOW + dt.timedelta(days=2))


def test_a_changed_case_expiry_or_secret_is_refused() -> None:
    token = signer.token(42, NOW + dt.timedelta(days=1))
    case, stamp, mac = token.split(".")
    for forged in (f"43.{stamp}.{mac}", f"{case}.{int(stamp) + 86400}.{mac}", "42", "x.y.z"):
        with pytest.raises(LinkError, match="not valid"):
            signer.verify(forged, NOW)
    with pytest.raises(LinkError):
        LinkSigner("another-secret-of-length", "https://portal.example").verify(token, NOW)


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="MINERALS_UPLOAD_SECRET"):
        LinkSigner("short", "https://portal.example")
