"""Password hashing for staff accounts (argon2id through pwdlib), shared by the console and the CLI."""

from __future__ import annotations

from functools import cache

from pwdlib import PasswordHash

MIN_LENGTH = 12


@cache
def hasher() -> PasswordHash:
    """The argon2id hasher with pwdlib's recommended parameters."""
    return PasswordHash.recommended()


@cache
def _dummy_hash() -> str:
    return hasher().hash("not-a-real-password-only-for-equal-timing")


def hash_password(password: str) -> str:
    """The argon2 hash of a new password; raises ValueError when it is too short."""
    if len(password) < MIN_LENGTH:
        raise ValueError(f"the password must have at least {MIN_LENGTH} characters")
    return hasher().hash(password)


def verify_password(password: str, stored: str | None) -> bool:
    """True when `password` matches `stored`; with no stored hash it still spends the same time."""
    if stored is None:
        hasher().verify(password, _dummy_hash())
        return False
    try:
        return hasher().verify(password, stored)
    except ValueError:  # a damaged hash never signs anyone in
        return False
