"""Opaque keys for clients, so rate limits work without storing anyone's address.

A client's key is HMAC-SHA256 of its address under a secret that is *not* in the
store: the ``ASSETMAP_CLIENT_KEY_SECRET`` setting, given to the app with
:func:`use_secret`. With the secret beside the keys it protects (as before, in the
store's ``assetmap_secrets`` table), anyone holding a copy of the database could
try all four billion IPv4 addresses and turn every stored key back into one.

The same address gives the same key in every worker and after restarts, so a
limit holds across them. Unset, each process makes a random secret and says so:
limits then count per process and start again at each restart (run one process,
or set the secret). A secret an older release kept in the store is blanked the
first time the app starts (its keys become unmatchable, which costs at most an
hour of the corrections limit's memory).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import weakref

from assetmap.store.base import Store

__all__ = ["SECRETS_TABLE", "client_key", "use_secret"]

SECRETS_TABLE = "assetmap_secrets"
_NAME = "client_key"
_known: weakref.WeakKeyDictionary[Store, bytes] = weakref.WeakKeyDictionary()
log = logging.getLogger(__name__)


def _per_process_secret() -> bytes:
    log.warning(
        "ASSETMAP_CLIENT_KEY_SECRET is not set: client keys (the corrections rate limit) use a "
        "random secret for this process only, so each worker counts on its own and counts "
        "start again at every restart. Set it to 32 or more random characters, e.g. the output "
        "of `python -c \"import secrets; print(secrets.token_hex(32))\"`."
    )
    return secrets.token_bytes(32)


def _retire_stored_secret(store: Store) -> None:
    """Blank a secret an older release kept in the store (it must not stay beside the keys)."""
    rows = store.records(SECRETS_TABLE, where={"name": _NAME})
    stored = [row for row in rows if row.get("value")]
    if not stored:
        return
    with store.transaction() as transaction:
        for row in stored:
            transaction.update_record(SECRETS_TABLE, int(row["id"]), {"value": None})
    log.info("blanked the client-key secret an older release kept in the store")


def use_secret(store: Store, secret: str | None) -> None:
    """Key ``store``'s clients under ``secret`` (the setting); ``None``: a random secret for
    this process, with a warning. Blanks any secret still kept in the store."""
    _known[store] = (hashlib.sha256(secret.encode("utf-8")).digest() if secret
                     else _per_process_secret())
    _retire_stored_secret(store)


def client_key(store: Store, address: str) -> str:
    """The opaque key for a client address (an IP address as the server saw it)."""
    secret = _known.get(store)
    if secret is None:
        secret = _known[store] = _per_process_secret()
    return hmac.new(secret, address.encode("utf-8"), hashlib.sha256).hexdigest()
