"""The place search: postcodes and place names to points (EPSG:27700).

Places are the parishes and unparished areas (at their representative point)
and the towns and villages named last in hub addresses (at the median of the
hubs that name them), searched by exact name first, then by prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

import geopandas as gpd

from assetmap.crs import to_metric
from assetmap.errors import NotFound, ValidationFailed
from assetmap.postcodes import parse_postcode

__all__ = ["Gazetteer", "Place"]

_UNPARISHED_SUFFIX = re.compile(r"\s*\(unparished\)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    name: str
    kind: Literal["parish", "unparished", "settlement"]
    easting: float
    northing: float


def _place_key(name: str) -> str:
    return " ".join(_UNPARISHED_SUFFIX.sub("", name).casefold().split())


@dataclass
class Gazetteer:
    """Postcodes and place names to points (EPSG:27700)."""

    postcodes: dict[str, tuple[float, float]] = field(default_factory=dict)
    places: list[Place] = field(default_factory=list)

    @classmethod
    def from_frames(
        cls,
        postcodes: gpd.GeoDataFrame | None,
        community_areas: gpd.GeoDataFrame | None,
        assets: gpd.GeoDataFrame | None = None,
    ) -> Gazetteer:
        lookup: dict[str, tuple[float, float]] = {}
        if postcodes is not None and len(postcodes):
            frame = to_metric(postcodes, "postcodes")
            frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
            for code, x, y in zip(frame["postcode"].astype(str), frame.geometry.x,
                                  frame.geometry.y, strict=True):
                lookup[" ".join(code.upper().split())] = (float(x), float(y))
        places: list[Place] = []
        if community_areas is not None and len(community_areas):
            frame = to_metric(community_areas, "community_areas")
            points = frame.geometry.representative_point()
            for name, governance, point in zip(frame["name"].astype(str),
                                               frame["governance"].astype(str), points,
                                               strict=True):
                kind: Literal["parish", "unparished"] = (
                    "unparished" if governance == "unparished" else "parish"
                )
                places.append(Place(name, kind, float(point.x), float(point.y)))
        places.extend(_settlements(assets, {_place_key(p.name) for p in places}))
        places.sort(key=lambda p: (_place_key(p.name), p.name))
        return cls(lookup, places)

    def postcode(self, text: str) -> tuple[str, tuple[float, float]]:
        code = parse_postcode(text)
        point = self.postcodes.get(code)
        if point is None:
            raise NotFound(
                f"We could not find the postcode {code}. Check it, or enter the name of "
                "your town or village instead. This service only knows postcodes in its area.",
                key="error.postcode_unknown",
                values={"postcode": code},
            )
        return code, point

    def find_places(self, text: str, limit: int = 10) -> list[Place]:
        """Exact name first (case, spacing and "(unparished)" ignored), else prefix matches."""
        key = _place_key(text)
        if not key:
            return []
        exact = [p for p in self.places if _place_key(p.name) == key]
        if exact:
            return exact[:1]
        return [p for p in self.places if _place_key(p.name).startswith(key)][:limit]

    def place(self, text: str) -> Place:
        matches = self.find_places(text)
        if not matches:
            raise NotFound(
                f"We could not find a place called {text.strip()!r}. Check the spelling, "
                "try the name of a nearby town or village, or enter a postcode.",
                key="error.place_unknown",
                values={"place": text.strip()},
            )
        if len(matches) > 1:
            names = ", ".join(p.name for p in matches)
            raise ValidationFailed(
                f"More than one place starts with {text.strip()!r}: {names}. Choose one.",
                details=[{"field": "place", "problem": "ambiguous", "candidates": names}],
                key="error.place_ambiguous",
                values={"place": text.strip()},
            )
        return matches[0]


def _settlements(assets: gpd.GeoDataFrame | None, known: set[str]) -> list[Place]:
    """Towns and villages named last in hub addresses ("1 Main St, Whetborough").

    A stand-in for a settlements gazetteer: each name is placed at the median of
    the assets that give it. Names already known as parishes are left out.
    """
    if assets is None or not len(assets) or "address" not in assets.columns:
        return []
    frame = to_metric(assets, "assets")
    frame = frame[frame["address"].notna() & frame.geometry.notna()]
    if frame.empty:
        return []
    towns = frame["address"].astype(str).str.rsplit(",", n=1).str[-1].str.strip()
    has_town = frame["address"].astype(str).str.contains(",") & towns.str.len().gt(1)
    table = pd.DataFrame(
        {"town": towns[has_town], "x": frame.geometry.x[has_town], "y": frame.geometry.y[has_town]}
    )
    places = []
    for town, group in table.groupby("town", sort=True):
        name = str(town)
        if _place_key(name) in known or any(c.isdigit() for c in name):
            continue
        places.append(Place(name, "settlement", float(group["x"].median()),
                            float(group["y"].median())))
    return places
