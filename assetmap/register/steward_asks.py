"""Once a year a steward is asked "is this still right?" about each record they look after.

A record is due when it is stale (``last_verified`` missing or ``stale_after_days`` old, the
stale list's rule) and its steward was not asked about it in the last ``stale_after_days``.
Each steward with an email gets one mail listing their due records, each with its own
one-click link (:mod:`assetmap.register.still_right`). Queued under a lock, so several
workers ask once; a stale record thus asks its steward before an officer chases it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.register.notifications import MailContext, long_date
from assetmap.register.outbox import checked_address, enqueue, outbox_time
from assetmap.register.stale import stale_features
from assetmap.register.stewardship import may_edit, stewarded_by
from assetmap.register.still_right import issue_link, last_asked
from assetmap.register.users import USERS_TABLE, active_user
from assetmap.store.base import Feature, Store, Transaction, feature_from_row, plain_text

__all__ = [
    "ASKED_LAYER",
    "DETAIL_LABELS",
    "Steward",
    "queue_still_right",
    "stewards_to_ask",
    "still_stewards",
]

# Stewards look after assets and organisations; only assets carry ``last_verified``.
ASKED_LAYER = "assets"
# What the mail shows of a record, in this order (the details a steward can check).
DETAIL_LABELS = {
    "address": "Address", "postcode": "Postcode", "opening_times": "Opening times",
    "accessibility": "Accessibility", "phone": "Phone", "email": "Email", "website": "Website",
}


@dataclass(frozen=True)
class Steward:
    name: str
    email: str
    feature_ids: tuple[str, ...]


def stewards_to_ask(store: Store) -> list[Steward]:
    """Every active steward with an email address and the assets they steward."""
    found = []
    for row in store.records(USERS_TABLE, where={"role": "steward", "revoked_at": None}):
        address = checked_address(plain_text(row.get("email")))
        if address:
            assets = tuple(sorted(stewarded_by(store, str(row["name"])).assets))
            if assets:
                found.append(Steward(str(row["name"]), address, assets))
    return found


def still_stewards(store: Store, catalog: LayerCatalog) -> Callable[[str, str, str], bool]:
    """Whether a steward (by name) still stewards a record: an active steward who may edit it."""

    def check(steward: str, layer: str, feature_id: str) -> bool:
        user, spec = active_user(store, steward), catalog.get(layer)
        return (user is not None and spec is not None and user.role == "steward"
                and may_edit(store, user, spec, feature_id))

    return check


def _details(layer: LayerSpec, feature: Feature) -> list[tuple[str, str]]:
    shown = []
    for name, label in DETAIL_LABELS.items():
        value = plain_text(feature.properties.get(name)) if name in layer.field_names else None
        if name == "accessibility" and value:
            value = ", ".join(part.replace("_", " ") for part in value.split(";") if part)
        shown.append((label, value or "not given"))
    return shown


def _due(
    store: Store, layer: LayerSpec, ids: Sequence[str], *, days: int, now: dt.datetime
) -> list[Feature]:
    frame = store.read(layer, filters={layer.id_field: list(ids)})
    stale = stale_features(frame, today=now.date(), days=days)
    asked = last_asked(store, layer, [str(i) for i in stale[layer.id_field]])
    recent = outbox_time(now - dt.timedelta(days=days))
    return [feature_from_row(layer, row) for _, row in stale.iterrows()
            if asked.get(str(row[layer.id_field]), "") <= recent]


def _ask(
    transaction: Transaction, context: MailContext, layer: LayerSpec, steward: Steward,
    features: list[Feature], now: dt.datetime,
) -> None:
    items: list[dict[str, Any]] = []
    for feature in features:
        token = issue_link(transaction, layer, feature.id, steward.name,
                           days=context.link_days, now=now)
        items.append({
            "name": str(feature.properties.get("name") or feature.id),
            "details": _details(layer, feature),
            "link": context.link(f"/still-right/{token}"),
            "edit_link": context.link(f"/assets/{quote(feature.id, safe='')}/edit"),
        })
    subject = ("Is this still right? " + items[0]["name"] if len(items) == 1
               else f"Are these still right? {len(items)} places you look after")
    expires = long_date(outbox_time(now + dt.timedelta(days=context.link_days)))
    enqueue(transaction, context.templates.message(
        "still_right", steward.email, subject[:200], kind="still_right", steward=steward.name,
        count=len(items), items=items, expires_on=expires, service_name=context.service_name,
    ), now=now)


def queue_still_right(
    store: Store, catalog: LayerCatalog, context: MailContext, *, stale_after_days: int,
    now: dt.datetime | None = None,
    stewards: Callable[[Store], list[Steward]] = stewards_to_ask,
) -> int:
    """Ask each steward about their due records; returns how many records were asked about."""
    moment = now or dt.datetime.now(dt.UTC)
    layer = catalog.get(ASKED_LAYER)
    if layer is None:
        return 0
    people = stewards(store)
    if not people:
        return 0
    asked = 0
    with store.transaction() as transaction:
        # Under the lock a second worker finds the links just issued, so asks nobody twice.
        transaction.lock("outbox:still-right")
        for steward in people:
            features = _due(store, layer, steward.feature_ids, days=stale_after_days, now=moment)
            if features:
                _ask(transaction, context, layer, steward, features, moment)
                asked += len(features)
    return asked
