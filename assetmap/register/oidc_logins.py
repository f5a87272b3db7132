"""OpenID Connect sign-ins under way, kept in the store so any worker can finish one.

Starting a sign-in makes a random ``state`` (also put in a short-lived cookie, which ties
the callback to the browser that started it), a ``nonce`` the ID token must repeat and a
PKCE ``code_verifier``. The store keeps the state only as its SHA-256. Finishing takes the
row away, so a state works once, and only within :data:`LOGIN_MINUTES`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from assetmap.register.users import secret_digest
from assetmap.store.base import Store

__all__ = ["LOGINS_TABLE", "LOGIN_MINUTES", "PendingLogin", "begin_login", "finish_login"]

LOGINS_TABLE = "assetmap_oidc_logins"
LOGIN_MINUTES = 10


@dataclass(frozen=True)
class PendingLogin:
    state: str
    nonce: str
    code_verifier: str
    next: str


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def begin_login(store: Store, next_path: str) -> PendingLogin:
    login = PendingLogin(
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        code_verifier=secrets.token_urlsafe(48),  # 64 characters, within PKCE's 43-128
        next=next_path,
    )
    now = _now()
    stale = (now - dt.timedelta(minutes=LOGIN_MINUTES)).isoformat()
    old = [str(row["id"]) for row in store.records(LOGINS_TABLE)
           if str(row["created_at"]) < stale]
    with store.transaction() as transaction:
        for record_id in old:  # abandoned sign-ins: the table stays small
            transaction.delete_records(LOGINS_TABLE, {"id": record_id})
        transaction.insert_record(LOGINS_TABLE, {
            "state_hash": secret_digest(login.state), "nonce": login.nonce,
            "code_verifier": login.code_verifier, "next": next_path,
            "created_at": now.isoformat(),
        })
    return login


def finish_login(store: Store, state: str) -> PendingLogin | None:
    """The sign-in ``state`` started, once: None if unknown, used already or too old."""
    if not state or len(state) > 100:
        return None
    digest = secret_digest(state)
    with store.transaction() as transaction:
        transaction.lock(f"oidc:{digest}")
        rows = store.records(LOGINS_TABLE, where={"state_hash": digest})
        if not rows or transaction.delete_records(LOGINS_TABLE, {"state_hash": digest}) == 0:
            return None
    row = rows[0]
    started = dt.datetime.fromisoformat(str(row["created_at"]))
    if _now() - started > dt.timedelta(minutes=LOGIN_MINUTES):
        return None
    return PendingLogin(state=state, nonce=str(row["nonce"]),
                        code_verifier=str(row["code_verifier"]), next=str(row["next"]))
