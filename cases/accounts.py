"""Staff accounts: create, change role, deactivate, reset password, unlock (each audited), authenticate with
lockout after repeated failures, sign out everywhere; shared by the console's admin page and the CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from cases.passwords import hash_password, verify_password
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


def find_user(sessions: sessionmaker[Session], email: str) -> User:
    """The account of an email address; AccountError when there is none."""
    with sessions() as session:
        user = session.scalar(select(User).where(User.email == normal_email(email)))
    if user is None:
        raise AccountError(f"there is no account {email.strip().lower()!r}")
    return user


def create_user(
    sessions: sessionmaker[Session], email: str, role: Role, password: str, *, actor: str
) -> User:
    """A new account (audited); AccountError when the address already has one."""
    if any(u.email == normal_email(email) for u in list_users(sessions)):
        raise AccountError(f"{normal_email(email)} already has an account")
    return add_user(sessions, email, role, password, actor=actor)


def _state(user: User) -> dict[str, object]:
    """What the audit trail keeps of an account before and after a change."""
    locked = aware(user.locked_until)
    return {"role": user.role, "active": user.active, "locked": bool(locked and locked > utcnow())}


def _change(
    sessions: sessionmaker[Session],
    user_id: int,
    actor: str,
    action: str,
    apply: Callable[[Session, User], None],
) -> User:
    """Apply one change to an account with its audit event (before and after); AccountError when refused."""
    with sessions.begin() as session:
        user = session.get(User, user_id, with_for_update=True) if 0 < user_id < 2**63 else None
        if user is None:
            raise AccountError(f"there is no account {user_id}")
        before = _state(user)
        apply(session, user)
        session.add(
            AuditEvent(
                actor=actor, action=action, subject=f"user:{user.id}", before=before, after=_state(user)
            )
        )
    return user


def _keep_an_admin(session: Session, user: User) -> None:
    """Refuse a change that would leave no active admin (nobody could manage accounts any more)."""
    others = session.scalar(
        select(func.count()).where(User.role == Role.ADMIN.value, User.active.is_(True), User.id != user.id)
    )
    if user.role == Role.ADMIN.value and user.active and not others:
        raise AccountError(f"{user.email} is the last active admin; make another admin first")


def change_role(sessions: sessionmaker[Session], user_id: int, role: Role, *, actor: str) -> User:
    """Give an account another role (audited); the last active admin keeps theirs."""

    def apply(session: Session, user: User) -> None:
        if role != Role.ADMIN:
            _keep_an_admin(session, user)
        user.role = role.value

    return _change(sessions, user_id, actor, "user.role-changed", apply)


def set_active(sessions: sessionmaker[Session], user_id: int, active: bool, *, actor: str) -> User:
    """Deactivate an account (its sessions end at once) or activate it again (audited)."""

    def apply(session: Session, user: User) -> None:
        if not active:
            _keep_an_admin(session, user)
            user.session_epoch += 1
        user.active = active

    return _change(sessions, user_id, actor, "user.activated" if active else "user.deactivated", apply)


def reset_password(sessions: sessionmaker[Session], user_id: int, password: str, *, actor: str) -> User:
    """Set a new password: the account's sessions end and any lockout is lifted (audited)."""
    try:
        hashed = hash_password(password)
    except ValueError as exc:
        raise AccountError(str(exc)) from None

    def apply(session: Session, user: User) -> None:
        user.password_hash, user.session_epoch = hashed, user.session_epoch + 1
        user.failed_attempts, user.locked_until = 0, None

    return _change(sessions, user_id, actor, "user.password-reset", apply)


def unlock(sessions: sessionmaker[Session], user_id: int, *, actor: str) -> User:
    """Lift a lockout (admins)."""

    def apply(session: Session, user: User) -> None:
        user.failed_attempts, user.locked_until = 0, None

    return _change(sessions, user_id, actor, "user.unlocked", apply)


def list_users(sessions: sessionmaker[Session]) -> list[User]:
    """Every account, by email."""
    with sessions() as session:
        return list(session.scalars(select(User).order_by(User.email)))
