"""Users and their roles; API tokens are stored only as hashes.

Tokens are 256-bit random strings, so one SHA-256 is enough to make a stolen
database useless for signing in (slow password hashes exist for guessable
secrets, which these are not), and it lets a request be checked with one
indexed lookup.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from assetmap.errors import NotFound, ValidationFailed
from assetmap.register.audit import utc_now
from assetmap.store.base import Record, Store

__all__ = [
    "ROLES",
    "USERS_TABLE",
    "User",
    "active_user",
    "add_user",
    "authenticate",
    "list_users",
    "revoke_user",
    "secret_digest",
]

USERS_TABLE = "assetmap_users"
# Named here as well as in register/sessions.py, which builds on this module.
SESSIONS_TABLE = "assetmap_sessions"
# Each role may do everything the roles before it may.
ROLES = ("public", "officer", "admin")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,79}$")
_TOKEN_PREFIX = "am_"


@dataclass(frozen=True)
class User:
    name: str
    role: str

    def can(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


PUBLIC = User(name="public", role="public")


def secret_digest(secret: str) -> str:
    """How a random secret (token, session id, OIDC state) is kept: its SHA-256, in hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


_hash = secret_digest


def _active(store: Store, name: str) -> Record | None:
    rows = store.records(USERS_TABLE, where={"name": name, "revoked_at": None})
    return rows[0] if rows else None


def active_user(store: Store, name: str) -> User | None:
    """The user called ``name`` if they have not been revoked."""
    row = _active(store, name)
    return None if row is None else User(name=str(row["name"]), role=str(row["role"]))


def add_user(store: Store, name: str, role: str) -> str:
    """Create a user and return their token (shown once; only its hash is kept)."""
    if not _NAME.match(name):
        raise ValidationFailed(
            f"User name {name!r} is not allowed: use 1-80 letters, digits, spaces or . _ @ -"
        )
    if role not in ROLES[1:]:
        raise ValidationFailed(f"Role {role!r} is not one of {', '.join(ROLES[1:])}")
    token = _TOKEN_PREFIX + secrets.token_urlsafe(32)
    with store.transaction() as transaction:
        if _active(store, name) is not None:
            raise ValidationFailed(
                f"User {name!r} already exists; revoke them first to issue a new token"
            )
        transaction.insert_record(
            USERS_TABLE,
            {"name": name, "role": role, "token_hash": _hash(token), "created_at": utc_now()},
        )
    return token


def list_users(store: Store) -> list[Record]:
    """Every user ever added, without token hashes, with how many sessions they have open."""
    sessions = [str(row["user_name"]) for row in store.records(SESSIONS_TABLE)]
    return [
        {**{key: value for key, value in row.items() if key != "token_hash"},
         "sessions": sessions.count(str(row["name"])) if row["revoked_at"] is None else 0}
        for row in store.records(USERS_TABLE)
    ]


def revoke_user(store: Store, name: str) -> None:
    """Revoke the user's token and end every session they have signed in with."""
    with store.transaction() as transaction:
        row = _active(store, name)
        if row is None:
            raise NotFound(f"No active user called {name!r}; `assetmap users list` shows them")
        transaction.update_record(USERS_TABLE, int(row["id"]), {"revoked_at": utc_now()})
        transaction.delete_records(SESSIONS_TABLE, {"user_name": name})


def authenticate(store: Store, token: str) -> User | None:
    """The active user holding ``token``, or None."""
    if not token.startswith(_TOKEN_PREFIX) or len(token) > 200:
        return None
    digest = _hash(token)
    for row in store.records(USERS_TABLE, where={"token_hash": digest, "revoked_at": None}):
        if hmac.compare_digest(str(row["token_hash"]), digest):
            return User(name=str(row["name"]), role=str(row["role"]))
    return None
