"""Is an asset's point where its postcode says, and how far and which way did it move?

Both are said to officers before they save (the asset form's check-answers page) and in an
import's plan: a postcode far from the point is a warning, never a refusal (a hall's postal
address can be a church office in the next village), but it is usually a typing mistake.
Distances are measured in EPSG:27700 (metres).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from assetmap.layers import LayerCatalog
from assetmap.store.base import Store

__all__ = [
    "FAR_POSTCODE_M",
    "FarPostcode",
    "describe_move",
    "distance_words",
    "far_postcode",
    "postcode_points",
]

FAR_POSTCODE_M = 2_000.0  # further than this from its postcode, a point is worth a second look
_CHUNK = 500  # postcodes asked for at once
_COMPASS = ("north", "north-east", "east", "south-east", "south", "south-west", "west",
            "north-west")
XY = tuple[float, float]


def postcode_points(store: Store, catalog: LayerCatalog, postcodes: Iterable[str]) -> dict[str, XY]:
    """Where each postcode the store knows lies (EPSG:27700); unknown ones are left out."""
    layer = catalog.get("postcodes")
    wanted = sorted(set(postcodes))
    if not wanted or layer is None or not store.has_layer(layer):
        return {}
    found: dict[str, XY] = {}
    for start in range(0, len(wanted), _CHUNK):
        frame = store.read(layer, filters={"postcode": wanted[start:start + _CHUNK]},
                           fields=["postcode"])
        for code, point in zip(frame["postcode"], frame.geometry, strict=True):
            found[str(code)] = (float(point.x), float(point.y))
    return found


def distance_words(metres: float) -> str:
    """"140 m" under a kilometre, else "3.4 km" (whole kilometres from 10 km)."""
    if metres < 1_000:
        return f"{metres:.0f} m"
    return f"{metres / 1000:.1f} km" if metres < 10_000 else f"{metres / 1000:.0f} km"


def describe_move(before: XY, after: XY) -> str:
    """"moved 140 m north-east" (eight compass points, grid north); "not moved" under 1 m."""
    dx, dy = after[0] - before[0], after[1] - before[1]
    metres = math.hypot(dx, dy)
    if metres < 1:
        return "not moved"
    bearing = math.degrees(math.atan2(dx, dy)) % 360  # clockwise from north
    return f"moved {distance_words(metres)} {_COMPASS[round(bearing / 45) % 8]}"


@dataclass(frozen=True)
class FarPostcode:
    postcode: str
    distance_m: float

    @property
    def message(self) -> str:
        return (f"The postcode {self.postcode} is {distance_words(self.distance_m)} from the "
                "point on the map. Check the postcode and the position.")


def far_postcode(store: Store, catalog: LayerCatalog, postcode: str | None,
                 point: XY) -> FarPostcode | None:
    """The warning to show when ``postcode`` lies more than :data:`FAR_POSTCODE_M` from
    ``point`` (EPSG:27700); ``None`` when it is near, not given or not known to the store."""
    if not postcode:
        return None
    found = postcode_points(store, catalog, [postcode]).get(postcode)
    if found is None:
        return None
    metres = math.hypot(found[0] - point[0], found[1] - point[1])
    return FarPostcode(postcode, metres) if metres > FAR_POSTCODE_M else None
