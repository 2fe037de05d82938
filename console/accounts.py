"""Staff accounts: create, authenticate with lockout after repeated failures, sign out everywhere."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from console.passwords import hash_password, verify_password
from models.audit import AuditEvent
from models.base import utcnow
from models.users import Role, User

MAX_FAILURES = 5
LOCK_FOR = dt.timedelta(minutes=15)


class AccountError(ValueError):
    """An account cannot be created or changed as asked; the message says why."""


def aware(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored time as UTC-aware (SQLite gives naive values back)."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


def normal_email(email: str) -> str:
    """An email address as accounts store it."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 320 or any(c.isspace() for c in email):
        raise AccountError(f"{email!r} is not an email address")
    return email


def add_user(sessions: sessionmaker[Session], email: str, role: Role, password: str, *, actor: str) -> User:
    """Create an account, or set the role and password of an existing one (audited)."""
    email = normal_email(email)
    try:
        hashed = hash_password(password)
    except ValueError as exc:
        raise AccountError(str(exc)) from None
    with sessions.begin() as session:
        user = session.scalar(select(User).where(User.email == email))
        action = "user.updated" if user else "user.created"
        if user is None:
            user = User(email=email, role=role.value, password_hash=hashed)
            session.add(user)
        else:
            user.role, user.password_hash = role.value, hashed
            user.session_epoch += 1
            user.failed_attempts, user.locked_until = 0, None
        session.flush()
        session.add(
            AuditEvent(actor=actor, action=action, subject=f"user:{user.id}", after={"role": role.value})
        )
    return user


def authenticate(sessions: sessionmaker[Session], email: str, password: str) -> User | None:
    """The account when the password is right and it is not locked; counts failures and locks."""
    now = utcnow()
    with sessions.begin() as session:
        typed = email.strip().lower()[:320]
        user = session.scalar(select(User).where(User.email == typed))
        if user is None or not user.active:
            verify_password(password, None)
            _failed(session, typed, user, "unknown account" if user is None else "account disabled")
            return None
        locked = aware(user.locked_until)
        if locked is not None and locked > now:
            verify_password(password, None)
            _failed(session, typed, user, "account locked")
            return None
        if verify_password(password, user.password_hash):
            user.failed_attempts, user.locked_until, user.last_login_at = 0, None, now
            session.add(AuditEvent(actor=user.email, action="user.signed-in", subject=f"user:{user.id}"))
            return user
        user.failed_attempts += 1
        _failed(session, typed, user, "wrong password")
        if user.failed_attempts >= MAX_FAILURES:
            user.failed_attempts, user.locked_until = 0, now + LOCK_FOR
            session.add(
                AuditEvent(
                    actor="system",
                    action="user.locked",
                    subject=f"user:{user.id}",
                    after={"until": user.locked_until.isoformat()},
                )
            )
        return None


def _failed(session: Session, typed: str, user: User | None, reason: str) -> None:
    """Audit a refused sign-in; the actor is the address as typed (it may name no account)."""
    subject = f"user:{user.id}" if user else "user:unknown"
    session.add(
        AuditEvent(actor=typed, action="user.sign-in-failed", subject=subject, after={"reason": reason})
    )


def sign_out_everywhere(sessions: sessionmaker[Session], user_id: int) -> None:
    """Invalidate every session cookie of an account."""
    with sessions.begin() as session:
        user = session.get(User, user_id)
        if user is not None:
            user.session_epoch += 1
            session.add(AuditEvent(actor=user.email, action="user.signed-out", subject=f"user:{user.id}"))


def unlock(sessions: sessionmaker[Session], user_id: int, *, actor: str) -> None:
    """Lift a lockout (admins)."""
    with sessions.begin() as session:
        user = session.get(User, user_id)
        if user is not None:
            user.failed_attempts, user.locked_until = 0, None
            session.add(AuditEvent(actor=actor, action="user.unlocked", subject=f"user:{user.id}"))


def list_users(sessions: sessionmaker[Session]) -> list[User]:
    """Every account, by email."""
    with sessions() as session:
        return list(session.scalars(select(User).order_by(User.email)))
