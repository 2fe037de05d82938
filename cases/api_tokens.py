"""API tokens, once for the CLI and the API: create (the secret shown once), list, revoke, authenticate."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cases.accounts import aware
from models.api_tokens import ApiToken
from models.audit import AuditEvent
from models.base import utcnow
from models.users import Role

PREFIX = "mnr_"  # says what a leaked string is, so secret scanners can find it
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
LAST_USED_EVERY = dt.timedelta(minutes=1)  # last_used_at is written at most this often per token


class TokenError(ValueError):
    """The token cannot be made or changed as asked; the message says why."""


@dataclass(frozen=True)
class TokenHolder:
    """Who calls the API: the token's name and role."""

    id: int
    name: str
    role: Role

    @property
    def actor(self) -> str:
        """The audit trail's actor for what this token does."""
        return f"token:{self.name}"

    def can(self, needed: Role) -> bool:
        """True when the token's role allows what `needed` may do."""
        return self.role.allows(needed)


def digest(secret: str) -> str:
    """What is stored of a secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def status(token: ApiToken, now: dt.datetime | None = None) -> str:
    """active, expired or revoked."""
    now = now or utcnow()
    if token.revoked_at is not None:
        return "revoked"
    expires = aware(token.expires_at)
    return "expired" if expires is not None and expires <= now else "active"


def token_row(token: ApiToken) -> dict[str, object]:
    """One token as listed (never its secret)."""
    moments = {
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
    }
    return {
        "name": token.name,
        "role": token.role,
        "status": status(token),
        "prefix": token.prefix,
        "created_by": token.created_by,
        **{key: (value.isoformat() if (value := aware(moment)) else None) for key, moment in moments.items()},
    }


def create_token(
    factory: sessionmaker[Session],
    name: str,
    role: Role,
    *,
    actor: str,
    expires_in: dt.timedelta | None = None,
) -> tuple[ApiToken, str]:
    """A new token (audited); returns it with its secret, which is shown this once and stored hashed."""
    if not _NAME.match(name):
        raise TokenError(f"{name!r} is not a token name: letters, digits, '.', '_' or '-', up to 64")
    if expires_in is not None and expires_in <= dt.timedelta(0):
        raise TokenError("the token must expire in the future")
    secret = PREFIX + secrets.token_urlsafe(32)
    expires_at = utcnow() + expires_in if expires_in is not None else None
    with factory.begin() as session:
        if session.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
            raise TokenError(f"there is a token named {name!r} already; revoke it or choose another name")
        token = ApiToken(
            name=name,
            role=role.value,
            secret_sha256=digest(secret),
            prefix=secret[: len(PREFIX) + 4],
            created_by=actor,
            expires_at=expires_at,
        )
        session.add(token)
        session.flush()
        after = {
            "name": name,
            "role": role.value,
            "expires_at": expires_at.isoformat() if expires_at else None,
        }
        session.add(AuditEvent(actor=actor, action="token.created", subject=f"token:{name}", after=after))
    return token, secret


def list_tokens(factory: sessionmaker[Session]) -> list[ApiToken]:
    """Every token, newest last."""
    with factory() as session:
        return list(session.scalars(select(ApiToken).order_by(ApiToken.id)))


def revoke_token(factory: sessionmaker[Session], name: str, *, actor: str) -> ApiToken:
    """Stop a token working from now on (audited); revoking twice changes nothing."""
    with factory.begin() as session:
        token = session.scalar(select(ApiToken).where(ApiToken.name == name).with_for_update())
        if token is None:
            raise TokenError(f"there is no token named {name!r}; see `minerals tokens list`")
        if token.revoked_at is None:
            token.revoked_at = utcnow()
            session.add(
                AuditEvent(
                    actor=actor, action="token.revoked", subject=f"token:{name}", after={"revoked": True}
                )
            )
    return token


def authenticate(factory: sessionmaker[Session], secret: str) -> TokenHolder | None:
    """The holder of an active token with this secret, else None; notes when it was last used."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    now = utcnow()
    with factory.begin() as session:
        token = session.scalar(select(ApiToken).where(ApiToken.secret_sha256 == digest(secret)))
        if token is None or status(token, now) != "active":
            return None
        last = aware(token.last_used_at)
        if last is None or now - last >= LAST_USED_EVERY:
            token.last_used_at = now
        return TokenHolder(token.id, token.name, Role(token.role))
