"""Opaque keys for clients, so rate limits work without storing anyone's address.

A client's key is HMAC-SHA256 of its address under a random secret kept in
the store (table ``assetmap_secrets``). The same address always gives the same
key for that store, so the limit holds across restarts and worker processes,
but the key cannot be turned back into an address, and cannot be matched
against another store's keys, without the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import weakref

from assetmap.register.audit import utc_now
from assetmap.store.base import Store

__all__ = ["SECRETS_TABLE", "client_key"]

SECRETS_TABLE = "assetmap_secrets"
_NAME = "client_key"
_known: weakref.WeakKeyDictionary[Store, bytes] = weakref.WeakKeyDictionary()


def _first_secret(store: Store) -> bytes | None:
    rows = store.records(SECRETS_TABLE, where={"name": _NAME}, limit=1)
    return bytes.fromhex(str(rows[0]["value"])) if rows else None


def _secret(store: Store) -> bytes:
    known = _known.get(store)
    if known is not None:
        return known
    secret = _first_secret(store)
    if secret is None:
        with store.transaction() as transaction:
            # Re-read under the write lock: another process may have just made one.
            if _first_secret(store) is None:
                transaction.insert_record(
                    SECRETS_TABLE,
                    {"name": _NAME, "value": secrets.token_hex(32), "created_at": utc_now()},
                )
        # The oldest row wins, should two backends without a store-wide lock race.
        secret = _first_secret(store)
        assert secret is not None
    _known[store] = secret
    return secret


def client_key(store: Store, address: str) -> str:
    """The opaque key for a client address (an IP address as the server saw it)."""
    return hmac.new(_secret(store), address.encode("utf-8"), hashlib.sha256).hexdigest()
