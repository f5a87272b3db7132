"""One-click "still right" links: a steward confirms a record's details without signing in.

Each link holds a random token (256 bits); the store keeps only its SHA-256, with the record,
the steward it was sent to, when it expires and when it was used. A link works once, until
it expires, and only for someone who still stewards the record; confirming marks the record
verified today, audited under the steward's name, in the same transaction that spends the
token. The rows also say when a steward was last asked (:func:`last_asked`), so a stale
record shows that its steward was asked first.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.register.editing import VERIFIED_FIELD, change_in_transaction, feature_etag
from assetmap.register.outbox import outbox_time
from assetmap.register.users import secret_digest
from assetmap.store.base import Feature, Record, Store, Transaction

__all__ = [
    "LINKS_TABLE",
    "LinkCheck",
    "check_link",
    "confirm_link",
    "issue_link",
    "last_asked",
]

LINKS_TABLE = "assetmap_still_right"
_MAX_TOKEN = 100


@dataclass(frozen=True)
class LinkCheck:
    """What a link stands for now. ``state``: ``valid``, ``expired``, ``used``, ``unknown``
    (never issued, mistyped or forged) or ``gone`` (the record or the stewardship is gone)."""

    state: str
    layer: str | None = None
    feature_id: str | None = None
    steward: str | None = None
    feature: Feature | None = None
    used_at: str | None = None


def issue_link(
    transaction: Transaction, layer: LayerSpec, feature_id: str, steward: str, *,
    days: int, now: dt.datetime | None = None,
) -> str:
    """A new token for ``steward`` to confirm ``feature_id``; stored hashed with the mail."""
    moment = now or dt.datetime.now(dt.UTC)
    token = secrets.token_urlsafe(32)
    transaction.insert_record(LINKS_TABLE, {
        "token_hash": secret_digest(token), "layer": layer.name, "feature_id": feature_id,
        "user_name": steward, "created_at": outbox_time(moment),
        "expires_at": outbox_time(moment + dt.timedelta(days=days)), "used_at": None,
    })
    return token


def last_asked(store: Store, layer: LayerSpec, ids: Iterable[str]) -> dict[str, str]:
    """When each of ``ids`` last had its steward asked (UTC, ``YYYY-MM-DDTHH:MM:SSZ``)."""
    wanted = set(ids)
    asked: dict[str, str] = {}
    for row in store.records(LINKS_TABLE, where={"layer": layer.name}):
        feature_id = str(row["feature_id"])
        if feature_id in wanted:
            asked[feature_id] = max(asked.get(feature_id, ""), str(row["created_at"]))
    return asked


def _row(store: Store, token: str) -> Record | None:
    if not token or len(token) > _MAX_TOKEN:
        return None
    rows = store.records(LINKS_TABLE, where={"token_hash": secret_digest(token)}, limit=1)
    return rows[0] if rows else None


def _check_row(
    row: Record | None, catalog: LayerCatalog, get: Callable[[LayerSpec, str], Feature | None],
    may_edit: Callable[[str, str, str], bool], now: dt.datetime,
) -> LinkCheck:
    if row is None:
        return LinkCheck("unknown")
    layer_name, feature_id = str(row["layer"]), str(row["feature_id"])
    steward = str(row["user_name"])
    if row.get("used_at"):
        return LinkCheck("used", layer_name, feature_id, steward, used_at=str(row["used_at"]))
    if str(row["expires_at"]) <= outbox_time(now):
        return LinkCheck("expired", layer_name, feature_id, steward)
    layer = catalog.get(layer_name)
    feature = get(layer, feature_id) if layer is not None else None
    if feature is None or not may_edit(steward, layer_name, feature_id):
        return LinkCheck("gone", layer_name, feature_id, steward)
    return LinkCheck("valid", layer_name, feature_id, steward, feature=feature)


def check_link(
    store: Store, catalog: LayerCatalog, token: str,
    may_edit: Callable[[str, str, str], bool], *, now: dt.datetime | None = None,
) -> LinkCheck:
    """What ``token`` would do if confirmed now; nothing is changed.

    ``may_edit(steward, layer, feature_id)`` says whether the steward still stewards it.
    """
    moment = now or dt.datetime.now(dt.UTC)
    return _check_row(_row(store, token), catalog, store.get, may_edit, moment)


def confirm_link(
    store: Store, catalog: LayerCatalog, token: str,
    may_edit: Callable[[str, str, str], bool], *, now: dt.datetime | None = None,
) -> LinkCheck:
    """Spend ``token``: the record is marked verified today under its steward (audited).

    Returns the check made inside the transaction; anything but ``valid`` changed nothing.
    """
    moment = now or dt.datetime.now(dt.UTC)
    with store.transaction() as transaction:
        # One confirmation per token, even when the button is pressed twice at once.
        transaction.lock(f"still-right:{secret_digest(token)[:32]}")
        row = _row(store, token)
        check = _check_row(row, catalog, transaction.get, may_edit, moment)
        if check.state != "valid" or row is None or check.feature is None:
            return check
        layer = catalog[str(check.layer)]
        feature = change_in_transaction(
            transaction, layer, check.feature.id, if_match=feature_etag(check.feature),
            actor=f"{check.steward} (steward, still right by email)",
            properties={VERIFIED_FIELD: moment.date().isoformat()}, at=outbox_time(moment),
        )
        transaction.update_record(LINKS_TABLE, int(row["id"]), {"used_at": outbox_time(moment)})
    return LinkCheck("valid", check.layer, check.feature_id, check.steward, feature=feature)
