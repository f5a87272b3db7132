"""Sign-in sessions: what the officer pages' cookie stands for.

The cookie holds a random session id (256 bits); the store keeps only its SHA-256 with
who signed in, their role, how (``token`` or ``oidc``), when, until when and when last
seen. A stolen database therefore signs nobody in, and every worker process sees the
same sessions.

Expiry is absolute: ``session_hours`` after signing in, whatever happens in between. A
sliding expiry would keep a session on a shared office PC alive for as long as anybody
kept using it; a working day then a fresh sign-in is the safer default. ``last_seen``
is written at most every few minutes so that reading a page stays a read.

Signing out deletes the row, so a copied cookie stops working at once; revoking a user
(:func:`assetmap.register.users.revoke_user`) deletes all of theirs.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from assetmap.errors import NotFound
from assetmap.register.users import SESSIONS_TABLE, User, secret_digest
from assetmap.store.base import Record, Store

__all__ = [
    "SESSIONS_TABLE",
    "SIGNED_IN_VIA",
    "SessionInfo",
    "end_session",
    "purge_expired_sessions",
    "session_user",
    "start_session",
]

SIGNED_IN_VIA = ("token", "oidc")
_SEEN_EVERY = dt.timedelta(minutes=5)
# Longer than any id secrets.token_urlsafe(32) makes: anything longer is not one of ours.
_MAX_ID_LENGTH = 100


@dataclass(frozen=True)
class SessionInfo:
    """A live session: who it signs in, and until when."""

    user: User
    via: str
    expires_at: dt.datetime


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _moment(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


def start_session(store: Store, user: User, *, hours: float, via: str) -> str:
    """A new session for ``user``; returns its id (for the cookie, never stored as is)."""
    if via not in SIGNED_IN_VIA:
        raise ValueError(f"via must be one of {SIGNED_IN_VIA}")
    session_id = secrets.token_urlsafe(32)
    now = _now()
    with store.transaction() as transaction:
        transaction.insert_record(SESSIONS_TABLE, {
            "session_hash": secret_digest(session_id),
            "user_name": user.name,
            "role": user.role,
            "via": via,
            "created_at": _text(now),
            "expires_at": _text(now + dt.timedelta(hours=hours)),
            "last_seen": _text(now),
        })
    purge_expired_sessions(store, now)
    return session_id


def _row(store: Store, session_id: str) -> Record | None:
    if not session_id or len(session_id) > _MAX_ID_LENGTH:
        return None
    rows = store.records(SESSIONS_TABLE, where={"session_hash": secret_digest(session_id)})
    return rows[0] if rows else None


def session_user(store: Store, session_id: str) -> SessionInfo | None:
    """The session ``session_id`` names, or None if it never existed, ended or expired."""
    row = _row(store, session_id)
    if row is None:
        return None
    now = _now()
    expires_at = _moment(str(row["expires_at"]))
    if expires_at <= now:
        with store.transaction() as transaction:
            transaction.delete_records(SESSIONS_TABLE, {"id": str(row["id"])})
        return None
    if now - _moment(str(row["last_seen"])) >= _SEEN_EVERY:
        try:
            with store.transaction() as transaction:
                transaction.update_record(SESSIONS_TABLE, int(row["id"]), {"last_seen": _text(now)})
        except NotFound:  # signed out by another request meanwhile
            return None
    user = User(name=str(row["user_name"]), role=str(row["role"]))
    return SessionInfo(user=user, via=str(row["via"]), expires_at=expires_at)


def end_session(store: Store, session_id: str) -> bool:
    """Sign out: delete the session, so its cookie stops working. False if there was none."""
    if not session_id or len(session_id) > _MAX_ID_LENGTH:
        return False
    with store.transaction() as transaction:
        deleted = transaction.delete_records(
            SESSIONS_TABLE, {"session_hash": secret_digest(session_id)}
        )
    return deleted > 0


def purge_expired_sessions(store: Store, now: dt.datetime | None = None) -> int:
    """Delete sessions past their expiry (run at each sign-in; the table stays small)."""
    moment = _text(now or _now())
    expired = [
        str(row["id"]) for row in store.records(SESSIONS_TABLE)
        if str(row["expires_at"]) <= moment
    ]
    if not expired:
        return 0
    with store.transaction() as transaction:
        for record_id in expired:
            transaction.delete_records(SESSIONS_TABLE, {"id": record_id})
    return len(expired)
