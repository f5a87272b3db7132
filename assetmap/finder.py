"""Nearest community hubs: locate what a resident typed, then find hubs around it.

Everything here is pure data and numbers, free of HTTP:

* :class:`HubIndex` holds the open and at-risk hubs (closed assets are never
  shown) in a KD-tree in EPSG:27700 metres and answers ``nearest``/``within``.
* :class:`Gazetteer` turns a postcode or a place name into a point.
* :func:`check_lat_lon` accepts only points in Great Britain and spots swapped
  latitude and longitude.
* :class:`FinderData` bundles them for one version of the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

import geopandas as gpd

from assetmap.crs import (
    GB_BOUNDS,
    check_lat_lon,
    lonlat_to_metric,
    metric_to_lonlat,
    to_metric,
    to_web,
)
from assetmap.errors import NotFound, ValidationFailed
from assetmap.geojson import plain_columns
from assetmap.layers import LayerCatalog
from assetmap.postcodes import looks_like_postcode, parse_postcode
from assetmap.provenance import is_synthetic

__all__ = [
    "GB_BOUNDS",
    "MAX_RESULTS",
    "FinderData",
    "Gazetteer",
    "Hub",
    "HubIndex",
    "Location",
    "NearbyHub",
    "Place",
    "check_lat_lon",
    "distance_parts",
    "to_metric_point",
]

MAX_RESULTS = 50
SHOWN_STATUSES = ("open", "at_risk")
_UNPARISHED_SUFFIX = re.compile(r"\s*\(unparished\)\s*$", re.IGNORECASE)
_HUB_FIELDS = (
    "id", "name", "category", "status", "address", "postcode", "opening_times",
    "accessibility", "email", "website", "phone", "last_verified",
)


@dataclass(frozen=True)
class Hub:
    """A hub as residents see it; coordinates in both CRSs."""

    id: str
    name: str
    category: str
    category_label: str
    status: str
    status_label: str
    easting: float
    northing: float
    lon: float
    lat: float
    address: str | None = None
    postcode: str | None = None
    opening_times: str | None = None
    accessibility: tuple[str, ...] = ()
    email: str | None = None
    website: str | None = None
    phone: str | None = None
    last_verified: str | None = None

    @property
    def safe_website(self) -> str | None:
        """The website only when it is an http(s) link (never ``javascript:``)."""
        if self.website and re.match(r"^https?://", self.website.strip(), re.IGNORECASE):
            return self.website.strip()
        return None


@dataclass(frozen=True)
class NearbyHub:
    hub: Hub
    distance_m: float


@dataclass(frozen=True)
class Location:
    """Where a search is centred, and how it was found."""

    kind: Literal["postcode", "place", "point"]
    label: str
    easting: float
    northing: float
    lon: float
    lat: float


@dataclass(frozen=True)
class Place:
    name: str
    kind: Literal["parish", "unparished", "settlement"]
    easting: float
    northing: float


def to_metric_point(lon: float, lat: float) -> tuple[float, float]:
    return lonlat_to_metric(float(lon), float(lat))


def to_web_point(easting: float, northing: float) -> tuple[float, float]:
    return metric_to_lonlat(float(easting), float(northing))


def distance_parts(metres: float) -> tuple[str, str]:
    """Kilometres and miles to one decimal place: ``(\"1.2\", \"0.7\")``."""
    return f"{metres / 1000:.1f}", f"{metres / 1609.344:.1f}"


def _text(value: Any) -> str | None:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    text = str(value).strip()
    return text or None


class HubIndex:
    """Open and at-risk hubs in a KD-tree (EPSG:27700), one tree per category too."""

    def __init__(self, hubs: Sequence[Hub]) -> None:
        self.hubs = list(hubs)
        self._by_id = {hub.id: hub for hub in self.hubs}
        self._points = np.array(
            [(hub.easting, hub.northing) for hub in self.hubs], dtype=float
        ).reshape(-1, 2)
        self._tree = cKDTree(self._points) if self.hubs else None
        categories = np.array([hub.category for hub in self.hubs], dtype=object)
        self._category_rows: dict[str, np.ndarray] = {
            c: np.flatnonzero(categories == c) for c in sorted(set(categories.tolist()))
        }
        self._category_trees: dict[str, cKDTree] = {}
        self.category_labels = {hub.category: hub.category_label for hub in reversed(self.hubs)}

    @classmethod
    def from_frame(
        cls,
        assets: gpd.GeoDataFrame,
        hub_categories: Iterable[str],
        labels: Mapping[str, Mapping[str, str]] | None = None,
    ) -> HubIndex:
        labels = labels or {}
        frame = to_metric(assets, "assets")
        keep = frame["category"].isin(list(hub_categories)) & frame["status"].isin(SHOWN_STATUSES)
        frame = frame[keep & frame.geometry.notna() & ~frame.geometry.is_empty]
        if frame.empty:
            return cls([])
        web = to_web(frame.geometry, "assets")
        columns = plain_columns(frame, [f for f in _HUB_FIELDS if f in frame.columns])
        size = len(frame)
        values = {f: columns.get(f, [None] * size) for f in _HUB_FIELDS}
        category_labels = labels.get("category", {})
        status_labels = labels.get("status", {})
        hubs = []
        for i, (x, y, lon, lat) in enumerate(
            zip(frame.geometry.x, frame.geometry.y, web.x, web.y, strict=True)
        ):
            category = str(values["category"][i])
            status = str(values["status"][i])
            access = _text(values["accessibility"][i]) or ""
            hubs.append(
                Hub(
                    id=str(values["id"][i]),
                    name=str(values["name"][i]),
                    category=category,
                    category_label=category_labels.get(category, category),
                    status=status,
                    status_label=status_labels.get(status, status),
                    easting=float(x),
                    northing=float(y),
                    lon=float(lon),
                    lat=float(lat),
                    address=_text(values["address"][i]),
                    postcode=_text(values["postcode"][i]),
                    opening_times=_text(values["opening_times"][i]),
                    accessibility=tuple(a.strip() for a in access.split(";") if a.strip()),
                    email=_text(values["email"][i]),
                    website=_text(values["website"][i]),
                    phone=_text(values["phone"][i]),
                    last_verified=_text(values["last_verified"][i]),
                )
            )
        return cls(hubs)

    def __len__(self) -> int:
        return len(self.hubs)

    @property
    def categories(self) -> list[str]:
        return list(self._category_rows)

    def get(self, hub_id: str) -> Hub | None:
        return self._by_id.get(hub_id)

    def _tree_for(self, category: str) -> tuple[cKDTree, np.ndarray] | None:
        rows = self._category_rows.get(category)
        if rows is None or not len(rows):
            return None
        if category not in self._category_trees:
            self._category_trees[category] = cKDTree(self._points[rows])
        return self._category_trees[category], rows

    def nearest(
        self,
        easting: float,
        northing: float,
        n: int = 5,
        categories: Sequence[str] | None = None,
    ) -> list[NearbyHub]:
        """The ``n`` nearest hubs (optionally of the given categories), nearest first."""
        if n < 1 or self._tree is None:
            return []
        point = (easting, northing)
        found: list[tuple[float, int]] = []
        if not categories:
            k = min(n, len(self.hubs))
            distances, rows = self._tree.query(point, k=k)
            found = list(zip(np.atleast_1d(distances).tolist(), np.atleast_1d(rows).tolist(),
                             strict=True))
        else:
            for category in dict.fromkeys(categories):
                entry = self._tree_for(category)
                if entry is None:
                    continue
                tree, rows = entry
                k = min(n, len(rows))
                distances, local = tree.query(point, k=k)
                found.extend(zip(np.atleast_1d(distances).tolist(),
                                 rows[np.atleast_1d(local)].tolist(), strict=True))
            found.sort()
        return [NearbyHub(self.hubs[row], float(d)) for d, row in found[:n]]

    def within(
        self, easting: float, northing: float, radius_m: float | None = None
    ) -> list[NearbyHub]:
        """Every hub within ``radius_m`` (all hubs when ``None``), nearest first."""
        if self._tree is None:
            return []
        point = np.array([easting, northing])
        if radius_m is None:
            rows = np.arange(len(self.hubs))
        else:
            rows = np.array(self._tree.query_ball_point(point, r=radius_m), dtype=int)
        if not len(rows):
            return []
        distances = np.hypot(*(self._points[rows] - point).T)
        order = np.lexsort((rows, distances))
        return [NearbyHub(self.hubs[rows[i]], float(distances[i])) for i in order]


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


@dataclass
class FinderData:
    """Everything the finder needs from one version of the store."""

    hubs: HubIndex
    gazetteer: Gazetteer
    metadata: dict[str, str] = field(default_factory=dict)
    parishes_loaded: bool = True  # False: no parish boundaries, so no search by parish name

    @classmethod
    def from_store(cls, store: Any, catalog: LayerCatalog) -> FinderData:
        def read(name: str, fields: Sequence[str] | None = None) -> gpd.GeoDataFrame | None:
            layer = catalog.get(name)
            if layer is None or not store.has_layer(layer):
                return None
            frame: gpd.GeoDataFrame = store.read(layer, fields=fields)
            return frame

        assets = read("assets")
        asset_layer = catalog.get("assets")
        labels = asset_layer.labels if asset_layer is not None else {}
        hubs = (
            HubIndex.from_frame(assets, catalog.hub_categories, labels)
            if assets is not None
            else HubIndex([])
        )
        parishes = read("community_areas")
        gazetteer = Gazetteer.from_frames(read("postcodes", ["postcode"]), parishes, assets)
        # Only a store that could hold parishes but holds none lacks them.
        loaded = catalog.get("community_areas") is None or bool(parishes is not None
                                                                 and len(parishes))
        return cls(hubs, gazetteer, store.metadata(), parishes_loaded=loaded)

    @property
    def synthetic(self) -> bool:
        return is_synthetic(self.metadata)

    def locate_point(self, lat: float, lon: float) -> Location:
        check_lat_lon(lat, lon)
        easting, northing = to_metric_point(lon, lat)
        return Location("point", f"{lat:.5f}, {lon:.5f}", easting, northing, lon, lat)

    def locate_postcode(self, text: str) -> Location:
        code, (easting, northing) = self.gazetteer.postcode(text)
        lon, lat = to_web_point(easting, northing)
        return Location("postcode", code, easting, northing, lon, lat)

    def locate_place(self, text: str) -> Location:
        place = self.gazetteer.place(text)
        lon, lat = to_web_point(place.easting, place.northing)
        return Location("place", place.name, place.easting, place.northing, lon, lat)

    def locate_text(self, text: str) -> Location:
        """A postcode if it looks like one, otherwise a place name."""
        if not text.strip():
            raise ValidationFailed("Enter a postcode or the name of your town or village.",
                                   key="error.enter_query")
        if looks_like_postcode(text):
            return self.locate_postcode(text)
        return self.locate_place(text)

    def check_categories(self, categories: Sequence[str], allowed: Sequence[str]) -> list[str]:
        unknown = [c for c in categories if c not in allowed]
        if unknown:
            raise ValidationFailed(
                f"Unknown hub category {', '.join(unknown)}. Choose from: {', '.join(allowed)}.",
                details=[{"field": "category", "problem": f"not one of {', '.join(allowed)}"}],
            )
        return list(categories)
