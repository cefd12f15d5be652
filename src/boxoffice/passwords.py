"""Operator passwords: salted, deliberately slow argon2 hashes; the clear text is never stored."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(plain: str) -> str:
    """A new salted argon2id hash of the password (a different string on every call)."""
    return _hasher.hash(plain)


def verify_password(password_hash: str, plain: str) -> bool:
    """True when the password matches the hash; False for a mismatch or an unreadable hash."""
    try:
        return _hasher.verify(password_hash, plain)
    except (VerificationError, InvalidHashError):
        return False
    except (TypeError, ValueError):
        # A hash column holding something that is not an argon2 string must not
        # turn a login attempt into a server error.
        return False
