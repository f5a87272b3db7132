"""Files an officer has checked on the /import page, waiting (one day) to be applied.

They wait in the store, not on one process's disk, so the officer's "Import" may reach
any worker or machine behind the proxy. The token the page holds is a random secret; the
store keeps only its SHA-256, and the file (base64, as record columns are text) in a
table of its own so listing what waits never reads the files.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import secrets

from assetmap.store.base import Store, Transaction

__all__ = ["KEEP", "STAGED_FILES", "STAGED_IMPORTS", "discard", "stage", "staged"]

STAGED_IMPORTS = "assetmap_staged_imports"
STAGED_FILES = "assetmap_staged_files"
KEEP = dt.timedelta(days=1)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
_WAITING, _DONE = "waiting", "done"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def stage(store: Store, name: str, data: bytes, *, now: dt.datetime | None = None) -> str:
    """Keep ``data`` for a day; returns the token that finds it again. Older files go."""
    moment = now or _now()
    token = secrets.token_urlsafe(24)
    with store.transaction() as tx:
        tx.lock(STAGED_IMPORTS)
        for old in store.records(STAGED_IMPORTS, where={"state": _WAITING}):
            if moment - dt.datetime.fromisoformat(str(old["created_at"])) > KEEP:
                _clear(store, tx, str(old["token_hash"]), int(old["id"]))
        tx.insert_record(STAGED_IMPORTS, {
            "token_hash": _hash(token), "name": name[:200], "created_at": moment.isoformat(),
            "state": _WAITING,
        })
        tx.insert_record(STAGED_FILES, {
            "token_hash": _hash(token), "data": base64.b64encode(data).decode("ascii"),
        })
    return token


def staged(store: Store, token: str, *, now: dt.datetime | None = None) -> bytes | None:
    """The file ``token`` stands for, if it is still waiting (less than a day old)."""
    if not _TOKEN.match(token):
        return None
    token_hash = _hash(token)
    found = store.records(STAGED_IMPORTS, where={"token_hash": token_hash, "state": _WAITING})
    if not found:
        return None
    created = dt.datetime.fromisoformat(str(found[0]["created_at"]))
    if (now or _now()) - created > KEEP:
        return None
    files = store.records(STAGED_FILES, where={"token_hash": token_hash}, limit=1)
    if not files or files[0]["data"] is None:
        return None
    return base64.b64decode(str(files[0]["data"]))


def discard(store: Store, token: str) -> None:
    """The file was applied: it waits no more, and its bytes are dropped."""
    token_hash = _hash(token)
    with store.transaction() as tx:
        for waiting in store.records(STAGED_IMPORTS,
                                     where={"token_hash": token_hash, "state": _WAITING}):
            _clear(store, tx, token_hash, int(waiting["id"]))


def _clear(store: Store, tx: Transaction, token_hash: str, record_id: int) -> None:
    tx.update_record(STAGED_IMPORTS, record_id, {"state": _DONE})
    for file in store.records(STAGED_FILES, where={"token_hash": token_hash}):
        tx.update_record(STAGED_FILES, int(file["id"]), {"data": None})
