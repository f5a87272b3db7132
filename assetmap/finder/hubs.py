"""The hubs residents can find: open and at-risk ones (closed assets are never shown).

:class:`HubIndex` holds them in a KD-tree in EPSG:27700 metres, one tree per
category too, and answers :meth:`~HubIndex.nearest` and :meth:`~HubIndex.within`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

import geopandas as gpd

from assetmap.crs import to_metric, to_web
from assetmap.formats.geojson import plain_columns
from assetmap.hubs import hub_mask
from assetmap.store.base import plain_text

__all__ = ["MAX_RESULTS", "Hub", "HubIndex", "NearbyHub", "distance_parts"]

MAX_RESULTS = 50
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


def distance_parts(metres: float) -> tuple[str, str]:
    """Kilometres and miles to one decimal place: ``(\"1.2\", \"0.7\")``."""
    return f"{metres / 1000:.1f}", f"{metres / 1609.344:.1f}"


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
        keep = hub_mask(frame, hub_categories) & frame.geometry.notna() & ~frame.geometry.is_empty
        frame = frame[keep.to_numpy(dtype=bool)]
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
            access = plain_text(values["accessibility"][i]) or ""
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
                    address=plain_text(values["address"][i]),
                    postcode=plain_text(values["postcode"][i]),
                    opening_times=plain_text(values["opening_times"][i]),
                    accessibility=tuple(a.strip() for a in access.split(";") if a.strip()),
                    email=plain_text(values["email"][i]),
                    website=plain_text(values["website"][i]),
                    phone=plain_text(values["phone"][i]),
                    last_verified=plain_text(values["last_verified"][i]),
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
