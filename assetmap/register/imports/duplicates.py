"""Duplicates in an import: an id twice in the file, or the same place twice (in the file, or a
row and an asset already stored): the same name and postcode, or the same name within 50 m."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from assetmap.register.imports.coordinates import XY

if TYPE_CHECKING:
    from assetmap.register.imports.plan import Planner

__all__ = ["DUPLICATE_DISTANCE_M", "find_duplicates", "name_key"]

DUPLICATE_DISTANCE_M = 50.0  # the same name this close is the same place
_APOSTROPHES = re.compile(r"['’`]")
_WORD = re.compile(r"\w+")
# A place to compare for duplicates: (how to name it, its id, postcode, point).
Entry = tuple[str, str, str | None, XY | None]


def name_key(name: str) -> str:
    """Names compared for duplicates: "St. Mary's Church Hall" == "st marys church  hall"."""
    if name.isascii():  # most names: nothing to decompose, and casefold() is lower()
        text = name.lower().replace("&", " and ")
    else:
        text = unicodedata.normalize("NFKD", name).casefold().replace("&", " and ")
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_WORD.findall(_APOSTROPHES.sub("", text)))


def _same_postcode(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return bool(a[2]) and a[2] == b[2]


def _same_place(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    if _same_postcode(a, b):
        return True
    if a[3] is None or b[3] is None:
        return False
    return math.dist(a[3], b[3]) <= DUPLICATE_DISTANCE_M


def find_duplicates(planner: Planner) -> None:
    _duplicate_ids(planner)
    _duplicate_places(planner)


def _duplicate_ids(planner: Planner) -> None:
    first: dict[str, int] = {}
    for index in list(planner.live()):
        feature_id = planner.ids[index]
        if feature_id is None:
            continue
        if feature_id in first:
            earlier = planner.rows[first[feature_id]].where
            planner.reject(index, planner.problem(
                index, planner.layer.id_field, feature_id, f"is the same id as {earlier}",
                "give each asset its own id, or remove the repeated row",
            ), "duplicate id")
        else:
            first[feature_id] = index


def _stored_places(planner: Planner, wanted: set[str]) -> dict[str, list[Entry]]:
    """Stored assets by name key, leaving out those the file updates or removes."""
    in_file = {i for i in planner.ids if i}
    removed = {feature.id for feature in planner.plan.removes}
    stored: dict[str, list[Entry]] = {}
    for feature_id, feature in planner.existing.items():
        name = feature.properties.get("name")
        key = name_key(str(name)) if name else ""
        if key in wanted and feature_id not in in_file and feature_id not in removed:
            point = feature.geometry
            stored.setdefault(key, []).append((
                f"existing asset {feature_id} ({name})", feature_id,
                feature.properties.get("postcode"),
                (point.x, point.y) if point is not None else None,
            ))
    return stored


def _duplicate_places(planner: Planner) -> None:
    """Same name and postcode, or same name within 50 m: in the file, or another asset."""
    keys: dict[int, str] = {}
    for index in planner.live():
        name = planner.values[index].get("name")
        if name:
            keys[index] = name_key(str(name))
    stored = _stored_places(planner, set(keys.values()))
    seen: dict[str, list[Entry]] = {}
    for index, key in keys.items():
        if index in planner.dropped:
            continue
        mine: Entry = ("", "", planner.values[index].get("postcode"), planner.points.get(index))
        if key not in stored and key not in seen:  # most rows: a name met for the first time
            seen[key] = [(planner.rows[index].where, planner.ids[index] or "", mine[2], mine[3])]
            continue
        for where, others in (("store", stored.get(key, [])), ("file", seen.get(key, []))):
            match = next((o for o in others if _same_place(mine, o)), None)
            if match is None:
                continue
            if where == "store":
                fix = (f"to update that asset give this row its id, {match[1]}; otherwise "
                       "correct the name or postcode")
            else:
                fix = "remove the repeated row, or correct the name or postcode"
            planner.reject(index, planner.problem(
                index, "name", planner.values[index].get("name"),
                f"is the same place as {match[0]} (same name and "
                f"{'postcode' if _same_postcode(mine, match) else 'within 50 m'})",
                fix,
            ), "already in the register" if where == "store" else "duplicate in the file")
            break
        else:
            seen.setdefault(key, []).append(
                (planner.rows[index].where, planner.ids[index] or "", mine[2], mine[3])
            )
