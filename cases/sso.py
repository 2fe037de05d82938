"""Single sign-on: the role an identity provider's claim maps to, and the staff account it signs in."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cases.accounts import AccountError, normal_email
from cases.passwords import hash_password
from models.audit import AuditEvent
from models.base import utcnow
from models.users import Role, User


def role_mapping(text: str) -> dict[str, Role]:
    """`value=role` pairs, comma-separated (MINERALS_OIDC_ROLES); ValueError names a bad pair."""
    mapping: dict[str, Role] = {}
    for pair in (p.strip() for p in text.split(",") if p.strip()):
        value, _, role = pair.rpartition("=")
        if not value or role not in {r.value for r in Role}:
            raise ValueError(f"MINERALS_OIDC_ROLES: {pair!r} is not value=viewer|analyst|admin")
        mapping[value.strip()] = Role(role)
    return mapping


def role_for(claims: Mapping[str, Any], claim: str, mapping: Mapping[str, Role]) -> Role | None:
    """The highest role any value of the claim maps to; None when none does (no access)."""
    values = claims.get(claim)
    found = [values] if isinstance(values, str) else list(values or [])
    roles = [mapping[v] for v in found if isinstance(v, str) and v in mapping]
    return max(roles, key=list(Role).index, default=None)


def sso_sign_in(factory: sessionmaker[Session], email: str, role: Role, issuer: str) -> User:
    """The account of a person the identity provider vouched for, created on first sign-in, its role kept as
    the provider says (audited); a deactivated account stays out. Its local password is random: unknown."""
    email = normal_email(email)
    with factory.begin() as session:
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, role=role.value, password_hash=hash_password(secrets.token_urlsafe(32)))
            session.add(user)
            session.flush()
            _audit(session, "system", "user.created", user, {"role": role.value, "via": issuer})
        elif not user.active:
            raise AccountError(f"the account {email} is deactivated here; an admin can activate it")
        elif user.role != role.value:
            before = user.role
            user.role = role.value
            _audit(
                session,
                "system",
                "user.role-changed",
                user,
                {"role": role.value, "was": before, "via": issuer},
            )
        user.last_login_at = utcnow()
        _audit(session, email, "user.signed-in", user, {"via": issuer})
        return user


def _audit(session: Session, actor: str, action: str, user: User, after: dict[str, Any]) -> None:
    session.add(AuditEvent(actor=actor, action=action, subject=f"user:{user.id}", after=after))
