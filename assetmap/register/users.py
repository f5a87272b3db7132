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
from assetmap.field_rules import FieldProblem, check_text
from assetmap.layers import FieldSpec
from assetmap.register.audit import utc_now
from assetmap.store.base import Record, Store, Transaction

__all__ = [
    "ROLES",
    "USERS_TABLE",
    "User",
    "active_user",
    "add_user",
    "authenticate",
    "checked_email",
    "insert_user",
    "list_users",
    "revoke_user",
    "secret_digest",
    "set_user_email",
]

USERS_TABLE = "assetmap_users"
# Named here as well as in register/sessions.py, which builds on this module.
SESSIONS_TABLE = "assetmap_sessions"
# And register/stewardship.py's, so that revoking a user ends what they steward.
STEWARDSHIPS_TABLE = "assetmap_stewardships"
# Each role may do everything the roles before it may, except that a steward's writes reach
# only what they steward (register/stewardship.py).
ROLES = ("public", "steward", "officer", "admin")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,79}$")
_TOKEN_PREFIX = "am_"


@dataclass(frozen=True)
class User:
    name: str
    role: str
    # Where mail to them goes (stewards' yearly check, officers' digest); None when not given.
    email: str | None = None

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


def _user(row: Record) -> User:
    email = row.get("email")
    return User(name=str(row["name"]), role=str(row["role"]), email=str(email) if email else None)


def active_user(store: Store, name: str) -> User | None:
    """The user called ``name`` if they have not been revoked."""
    row = _active(store, name)
    return None if row is None else _user(row)


_EMAIL = FieldSpec(name="email", format="email")


def checked_email(email: str | None) -> str | None:
    """A user's email address in its stored form (None when blank); ``ValidationFailed`` naming
    the problem and the fix when it is not an address."""
    if email is None:
        return None
    try:
        return check_text(_EMAIL, email)
    except FieldProblem as exc:
        raise ValidationFailed(
            f"email {email!r} {exc.problem}: {exc.fix}",
            details=[{"field": "email", "problem": exc.problem, "fix": exc.fix}],
        ) from exc


def add_user(store: Store, name: str, role: str, *, email: str | None = None) -> str:
    """Create a user and return their token (shown once; only its hash is kept)."""
    with store.transaction() as transaction:
        return insert_user(store, transaction, name, role, email=email)


def insert_user(
    store: Store, transaction: Transaction, name: str, role: str, *, email: str | None = None
) -> str:
    """:func:`add_user` inside a transaction the caller holds (a steward and what they
    steward are added together); the name, role and email are checked first."""
    address = checked_email(email)
    if not _NAME.match(name):
        raise ValidationFailed(
            f"User name {name!r} is not allowed: use 1-80 letters, digits, spaces or . _ @ -"
        )
    if role not in ROLES[1:]:
        raise ValidationFailed(f"Role {role!r} is not one of {', '.join(ROLES[1:])}")
    token = _TOKEN_PREFIX + secrets.token_urlsafe(32)
    transaction.lock(f"{USERS_TABLE}:{name}")
    if _active(store, name) is not None:
        raise ValidationFailed(
            f"User {name!r} already exists; revoke them first to issue a new token"
        )
    transaction.insert_record(
        USERS_TABLE,
        {"name": name, "role": role, "token_hash": _hash(token), "created_at": utc_now(),
         "email": address},
    )
    return token


def set_user_email(store: Store, name: str, email: str | None) -> User:
    """Give an active user a new email address (None or blank removes it)."""
    address = checked_email(email)
    with store.transaction() as transaction:
        row = _active(store, name)
        if row is None:
            raise NotFound(f"No active user called {name!r}; `assetmap users list` shows them")
        transaction.update_record(USERS_TABLE, int(row["id"]), {"email": address})
    return User(name=name, role=str(row["role"]), email=address)


def list_users(store: Store) -> list[Record]:
    """Every user ever added, without token hashes, with how many sessions they have open."""
    sessions = [str(row["user_name"]) for row in store.records(SESSIONS_TABLE)]
    return [
        {**{key: value for key, value in row.items() if key != "token_hash"},
         "sessions": sessions.count(str(row["name"])) if row["revoked_at"] is None else 0}
        for row in store.records(USERS_TABLE)
    ]


def revoke_user(store: Store, name: str) -> None:
    """Revoke the user's token, end every session they have signed in with and take away what
    they steward (a new user of the same name starts with nothing)."""
    with store.transaction() as transaction:
        row = _active(store, name)
        if row is None:
            raise NotFound(f"No active user called {name!r}; `assetmap users list` shows them")
        transaction.update_record(USERS_TABLE, int(row["id"]), {"revoked_at": utc_now()})
        transaction.delete_records(SESSIONS_TABLE, {"user_name": name})
        transaction.delete_records(STEWARDSHIPS_TABLE, {"user_name": name})


def authenticate(store: Store, token: str) -> User | None:
    """The active user holding ``token``, or None."""
    if not token.startswith(_TOKEN_PREFIX) or len(token) > 200:
        return None
    digest = _hash(token)
    for row in store.records(USERS_TABLE, where={"token_hash": digest, "revoked_at": None}):
        if hmac.compare_digest(str(row["token_hash"]), digest):
            return _user(row)
    return None
