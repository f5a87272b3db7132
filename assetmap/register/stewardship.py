"""Stewards: the people outside the council who run a place or an organisation (a village hall
committee, a library's volunteers, a group's organiser), what they steward and what they may
change.

An admin assigns assets and organisations to a user with the ``steward`` role; each pair is a
row of ``assetmap_stewardships``, so both backends hold them. A steward may change what they
steward, and the activities of their organisations or at their assets, except the fields in
:data:`STEWARD_LOCKED_FIELDS`, the status ``closed`` and the position, which stay with
officers. Officers and admins may change everything; the public nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assetmap.errors import Forbidden, NotFound, ValidationFailed
from assetmap.field_rules import split_list
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.register.audit import utc_now
from assetmap.register.users import (
    STEWARDSHIPS_TABLE,
    USERS_TABLE,
    User,
    active_user,
    insert_user,
)
from assetmap.store.base import Feature, Store, Transaction

__all__ = [
    "ACTIVITIES",
    "STEWARDED_LAYERS",
    "STEWARDSHIPS_TABLE",
    "STEWARD_LOCKED_FIELDS",
    "STEWARD_LOCKED_STATUS",
    "Stewardship",
    "activity_is_stewarded",
    "add_steward",
    "check_steward_delete",
    "check_steward_write",
    "may_edit",
    "set_stewardship",
    "stewarded_activities",
    "stewarded_by",
    "stewards_of",
]

# What a steward can be given; activities follow from these (their organisation or assets).
STEWARDED_LAYERS = ("assets", "organisations")
ACTIVITIES = "activities"
# Fields a steward may never change, by layer: what a place is (its category), the areas its
# position puts it in, and what kind of body an organisation is, are the council's record.
STEWARD_LOCKED_FIELDS: Mapping[str, frozenset[str]] = {
    "assets": frozenset({"category", "district_code", "community_area_code"}),
    "organisations": frozenset({"kind"}),
    ACTIVITIES: frozenset(),
}
# A steward may neither set this status nor take a place out of it: closing and reopening a
# place change the gap analysis, so they stay with officers.
STEWARD_LOCKED_STATUS = "closed"


@dataclass(frozen=True)
class Stewardship:
    """The ids of the assets and organisations one user stewards."""

    assets: frozenset[str] = frozenset()
    organisations: frozenset[str] = frozenset()

    def holds(self, layer: str, feature_id: str) -> bool:
        return feature_id in (self.assets if layer == "assets" else
                              self.organisations if layer == "organisations" else ())

    @property
    def empty(self) -> bool:
        return not self.assets and not self.organisations


def stewarded_by(store: Store, user_name: str) -> Stewardship:
    """What ``user_name`` stewards (empty for a user who stewards nothing)."""
    rows = store.records(STEWARDSHIPS_TABLE, where={"user_name": user_name})
    return Stewardship(
        assets=frozenset(str(r["feature_id"]) for r in rows if r["layer"] == "assets"),
        organisations=frozenset(
            str(r["feature_id"]) for r in rows if r["layer"] == "organisations"),
    )


def activity_is_stewarded(stewardship: Stewardship, properties: Mapping[str, Any]) -> bool:
    """Is an activity with these properties run by one of the organisations, or held at one
    of the assets, in ``stewardship``?"""
    organisation = properties.get("organisation_id")
    if organisation is not None and str(organisation) in stewardship.organisations:
        return True
    assets = split_list(None if properties.get("asset_ids") is None
                        else str(properties["asset_ids"]))
    return any(asset in stewardship.assets for asset in assets)


def stewarded_activities(store: Store, layer: LayerSpec, stewardship: Stewardship
                         ) -> list[Feature]:
    """The activities (``layer``) run by the organisations, or held at the assets, of
    ``stewardship``, by id."""
    ids: set[str] = set()
    if stewardship.assets:
        ids.update(store.search(layer, "", within={"asset_ids": sorted(stewardship.assets)}))
    if stewardship.organisations:
        frame = store.read(layer, filters={"organisation_id": sorted(stewardship.organisations)},
                           fields=[layer.id_field])
        ids.update(str(value) for value in frame[layer.id_field])
    found = (store.get(layer, feature_id) for feature_id in sorted(ids))
    return [feature for feature in found if feature is not None]


def _stewards_named(store: Store, layer: str, feature_ids: Iterable[str]) -> set[str]:
    names: set[str] = set()
    for feature_id in feature_ids:
        rows = store.records(STEWARDSHIPS_TABLE, where={"layer": layer, "feature_id": feature_id})
        names.update(str(row["user_name"]) for row in rows)
    return names


def stewards_of(store: Store, layer: LayerSpec, feature_id: str) -> list[User]:
    """The active stewards of a feature, by name, with their email addresses.

    An asset's or organisation's are those assigned it; an activity's are the stewards of its
    organisation and of the assets it is held at. Revoked users, and users no longer in the
    steward role, are left out.
    """
    if layer.name == ACTIVITIES:
        activity = store.get(layer, feature_id)
        if activity is None:
            return []
        properties = activity.properties
        names = _stewards_named(store, "organisations",
                                [str(properties["organisation_id"])]
                                if properties.get("organisation_id") else [])
        assets = properties.get("asset_ids")
        names |= _stewards_named(store, "assets", split_list(None if assets is None
                                                             else str(assets)))
    else:
        names = _stewards_named(store, layer.name, [feature_id])
    users = [active_user(store, name) for name in sorted(names)]
    return [user for user in users if user is not None and user.role == "steward"]


def may_edit(store: Store, user: User, layer: LayerSpec, feature_id: str) -> bool:
    """May ``user`` change this feature at all (locked fields aside)? Officers and admins may
    change anything, the public nothing, a steward what they steward."""
    if user.can("officer"):
        return True
    if user.role != "steward":
        return False
    stewardship = stewarded_by(store, user.name)
    if layer.name in STEWARDED_LAYERS:
        return stewardship.holds(layer.name, feature_id)
    if layer.name == ACTIVITIES:
        activity = store.get(layer, feature_id)
        return activity is not None and activity_is_stewarded(stewardship, activity.properties)
    return False


# -- refusing a steward's write -------------------------------------------------------------
def _refuse(message: str, field: str | None = None) -> Forbidden:
    details = [] if field is None else [{"field": field, "problem": "stays with officers",
                                         "fix": "ask a council officer to change it"}]
    return Forbidden(message, details=details)


def _locked_changes(layer: LayerSpec, current: Feature | None,
                    properties: Mapping[str, Any]) -> list[str]:
    """The locked fields ``properties`` would change (a value sent back unchanged is fine)."""
    before = current.properties if current is not None else {}
    changed = [
        name for name in sorted(STEWARD_LOCKED_FIELDS.get(layer.name, frozenset()))
        if name in properties and _text(properties[name]) != _text(before.get(name))
    ]
    if layer.name == "assets" and "status" in properties:
        old, new = _text(before.get("status")), _text(properties["status"])
        if new != old and STEWARD_LOCKED_STATUS in (old, new):
            changed.append("status")
    return changed


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _check_activity(store: Store, user: User, layer: LayerSpec, current: Feature | None,
                    properties: Mapping[str, Any]) -> None:
    stewardship = stewarded_by(store, user.name)
    if current is not None and not activity_is_stewarded(stewardship, current.properties):
        raise _refuse(f"{user.name} does not steward activity {current.id!r}: a steward changes "
                      "only the activities of their organisations or at their places.")
    after = {**(current.properties if current is not None else {}), **properties}
    if not activity_is_stewarded(stewardship, after):
        raise _refuse(
            f"{user.name} may add or keep an activity only where one of their organisations "
            "runs it or one of their places holds it: set organisation_id or asset_ids to one "
            "you steward.",
            "organisation_id",
        )


def check_steward_write(
    store: Store,
    user: User,
    layer: LayerSpec,
    feature_id: str | None,
    properties: Mapping[str, Any],
    geometry: Any = None,
) -> None:
    """403 (:class:`Forbidden`) unless ``user`` may make this write; officers always may.

    ``feature_id`` None is a new feature: a steward may add activities only. Checked before
    anything is written, so a refused write leaves nothing behind.
    """
    if user.can("officer"):
        return
    if user.role != "steward":
        raise _refuse(f"{user.name} is {user.role}; changing the register needs a steward's or "
                      "an officer's role")
    if layer.name not in (*STEWARDED_LAYERS, ACTIVITIES):
        raise _refuse(f"Only officers change {layer.name}; a steward changes their places, "
                      "organisations and activities")
    current = store.get(layer, feature_id) if feature_id is not None else None
    if feature_id is not None and current is None:
        raise NotFound(f"No {layer.name} feature with id {feature_id!r}")
    if layer.name == ACTIVITIES:
        _check_activity(store, user, layer, current, properties)
    elif current is None:
        raise _refuse(f"Only officers add {layer.name}; ask the council to add it and make "
                      "you its steward")
    elif not stewarded_by(store, user.name).holds(layer.name, current.id):
        raise _refuse(f"{user.name} does not steward {layer.name} {current.id!r}; ask the "
                      "council to make you its steward")
    _check_locked(layer, current, properties, geometry)


def _check_locked(layer: LayerSpec, current: Feature | None, properties: Mapping[str, Any],
                  geometry: Any) -> None:
    locked = _locked_changes(layer, current, properties)
    if locked:
        raise _refuse(
            f"A steward may not change {', '.join(locked)}"
            f"{' (closing or reopening a place)' if 'status' in locked else ''}: that stays "
            "with officers, so nothing was saved. Ask a council officer to change it.",
            locked[0],
        )
    moved = geometry is not None and (
        current is None or current.geometry is None
        or not geometry.equals_exact(current.geometry, 0.0))
    if moved:
        raise _refuse("A steward may not move a place: its position stays with officers, so "
                      "nothing was saved. Ask a council officer to move it.", "geometry")


def check_steward_delete(user: User, layer: LayerSpec) -> None:
    """Deleting stays with officers: a steward ends an activity (status ``ended``) instead."""
    if user.can("officer"):
        return
    hint = " Set its status to ended instead." if layer.name == ACTIVITIES else ""
    raise _refuse(f"Only officers delete {layer.name}; nothing was deleted.{hint}")


# -- assigning ------------------------------------------------------------------------------
def _checked_ids(store: Store, layer: LayerSpec, ids: Sequence[str]) -> list[str]:
    wanted = sorted({feature_id.strip() for feature_id in ids if feature_id.strip()})
    missing = [feature_id for feature_id in wanted if store.get(layer, feature_id) is None]
    if missing:
        raise ValidationFailed(
            f"No {layer.name} with id {', '.join(repr(m) for m in missing)}: check the ids "
            f"(`assetmap export {layer.name}` lists them)",
            details=[{"field": layer.name, "problem": f"no such id {m!r}",
                      "fix": "give ids the register holds"} for m in missing],
        )
    return wanted


def _wanted(
    store: Store, catalog: LayerCatalog, assets: Sequence[str] | None,
    organisations: Sequence[str] | None,
) -> dict[str, list[str]]:
    """Layer -> the ids asked for (checked to exist); a list left None is not in it."""
    return {
        name: _checked_ids(store, catalog[name], ids)
        for name, ids in (("assets", assets), ("organisations", organisations))
        if ids is not None
    }


def _assign(transaction: Transaction, store: Store, user_name: str,
            wanted: Mapping[str, Sequence[str]], actor: str) -> None:
    held = stewarded_by(store, user_name)
    now = utc_now()
    for name, ids in wanted.items():
        had = held.assets if name == "assets" else held.organisations
        for feature_id in sorted(had - set(ids)):  # kept ones keep when and by whom
            transaction.delete_records(STEWARDSHIPS_TABLE, {
                "user_name": user_name, "layer": name, "feature_id": feature_id})
        for feature_id in (i for i in ids if i not in had):
            transaction.insert_record(STEWARDSHIPS_TABLE, {
                "user_name": user_name, "layer": name, "feature_id": feature_id,
                "created_at": now, "created_by": actor,
            })


def set_stewardship(
    store: Store,
    catalog: LayerCatalog,
    user_name: str,
    *,
    assets: Sequence[str] | None = None,
    organisations: Sequence[str] | None = None,
    actor: str,
) -> Stewardship:
    """Make ``user_name`` steward exactly these assets and/or organisations (a list left None
    keeps what they have; an empty one takes it all away). The user must be an active
    steward and every id must exist, or nothing changes."""
    user = active_user(store, user_name)
    if user is None:
        raise NotFound(f"No active user called {user_name!r}; `assetmap users list` shows them")
    if user.role != "steward":
        raise ValidationFailed(
            f"{user_name} is {user.role}, not a steward: officers already edit everything",
            details=[{"field": "role", "problem": f"is {user.role}",
                      "fix": "add a separate user with --role steward"}],
        )
    wanted = _wanted(store, catalog, assets, organisations)
    with store.transaction() as transaction:
        transaction.lock(f"{USERS_TABLE}:{user_name}")
        _assign(transaction, store, user_name, wanted, actor)
    return stewarded_by(store, user_name)


def add_steward(
    store: Store,
    catalog: LayerCatalog,
    name: str,
    *,
    email: str | None,
    assets: Sequence[str] = (),
    organisations: Sequence[str] = (),
    actor: str,
) -> str:
    """Add a user with the steward role and what they steward, together or not at all;
    returns their token (shown once)."""
    wanted = _wanted(store, catalog, assets, organisations)
    with store.transaction() as transaction:
        token = insert_user(store, transaction, name, "steward", email=email)
        _assign(transaction, store, name, wanted, actor)
    return token
