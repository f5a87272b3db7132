"""What's on, as residents see it: activities, the groups that run them and where.

:class:`ActivityIndex` holds, for one version of the store, the running activities (``active``
and ``paused``; ended ones are never shown), the organisations, and the places they run
(open and at-risk assets; closed ones host nothing) in a KD-tree in EPSG:27700 metres. Words are
matched by the store's full-text search (:meth:`assetmap.store.Store.search`), narrowed to the
assets near the place searched; :mod:`assetmap.finder.whats_on` runs the search.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

import geopandas as gpd

from assetmap.activities.records import Activity, Organisation
from assetmap.crs import to_metric, to_web
from assetmap.formats.geojson import plain_columns
from assetmap.store.base import plain_int, plain_text
from assetmap.store.search_terms import split_values

__all__ = ["Activity", "ActivityIndex", "Organisation", "Venue", "safe_link"]

_SHOWN_STATUSES = ("active", "paused")
_ACTIVITY_FIELDS = ("id", "name", "category", "description", "organisation_id", "asset_ids",
                    "schedule", "audience", "age_min", "age_max", "cost", "email", "phone",
                    "website", "status")
_ORGANISATION_FIELDS = ("id", "name", "kind", "charity_number", "company_number",
                        "description", "email", "phone", "website", "last_verified")


# A website with a scheme and no spaces; anything else (``javascript:``, text) is not a link.
_WEB_LINK = re.compile(r"^https?://\S+$", re.IGNORECASE)


def safe_link(value: Any) -> str | None:
    """A website only when it is an http(s) link (never ``javascript:``)."""
    found = plain_text(value)
    return found if found and _WEB_LINK.match(found) else None


@dataclass(frozen=True)
class Venue:
    """A place activities run at: an open or at-risk asset."""

    id: str
    name: str
    category_label: str
    status: str
    address: str | None
    postcode: str | None
    easting: float
    northing: float
    lon: float
    lat: float
    is_hub: bool  # has a hub page (/hubs/{id})


def _rows(frame: gpd.GeoDataFrame | pd.DataFrame | None, names: tuple[str, ...]
          ) -> list[dict[str, Any]]:
    if frame is None or frame.empty:
        return []
    columns = plain_columns(frame, [n for n in names if n in frame.columns])
    return [{n: columns[n][i] if n in columns else None for n in names}
            for i in range(len(frame))]


@dataclass
class ActivityIndex:
    """Running activities, their organisations and venues, for one version of the store."""

    activities: dict[str, Activity] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    venues: list[Venue] = field(default_factory=list)
    by_venue: dict[str, list[str]] = field(default_factory=dict)
    by_organisation: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.venue_by_id = {venue.id: venue for venue in self.venues}
        points = np.array([(v.easting, v.northing) for v in self.venues], dtype=float)
        self.points = points.reshape(-1, 2)
        self.tree = cKDTree(self.points) if self.venues else None

    @classmethod
    def from_frames(
        cls,
        activities: pd.DataFrame | None,
        organisations: pd.DataFrame | None,
        assets: gpd.GeoDataFrame | None,
        labels: Mapping[str, Mapping[str, Mapping[str, str]]],
        hub_ids: set[str],
    ) -> ActivityIndex:
        """``labels``: each layer's labels by layer name (``{"activities": {"category": …}}``)."""
        venues = _venues(assets, labels.get("assets", {}), hub_ids)
        known = {v.id for v in venues}
        kinds = labels.get("organisations", {}).get("kind", {})
        orgs = {
            str(r["id"]): Organisation(
                id=str(r["id"]), name=str(r["name"]), kind=str(r["kind"]),
                kind_label=kinds.get(str(r["kind"]), str(r["kind"])),
                **{k: plain_text(r[k]) for k in _ORGANISATION_FIELDS[3:]},
            )
            for r in _rows(organisations, _ORGANISATION_FIELDS)
        }
        categories = labels.get("activities", {}).get("category", {})
        found: dict[str, Activity] = {}
        for r in _rows(activities, _ACTIVITY_FIELDS):
            places = tuple(a for a in split_values(r["asset_ids"]) if a in known)
            if str(r["status"]) not in _SHOWN_STATUSES or not places:
                continue
            found[str(r["id"])] = Activity(
                id=str(r["id"]), name=str(r["name"]), category=str(r["category"]),
                category_label=categories.get(str(r["category"]), str(r["category"])),
                status=str(r["status"]), asset_ids=places, audience=split_values(r["audience"]),
                age_min=plain_int(r["age_min"]), age_max=plain_int(r["age_max"]),
                **{k: plain_text(r[k]) for k in ("schedule", "description", "organisation_id",
                                            "cost", "email", "phone", "website")},
            )
        return cls.indexed(found, orgs, venues)

    @classmethod
    def indexed(cls, activities: dict[str, Activity], organisations: dict[str, Organisation],
                venues: list[Venue]) -> ActivityIndex:
        by_venue: dict[str, list[str]] = {}
        by_organisation: dict[str, list[str]] = {}
        for activity in activities.values():
            for place in activity.asset_ids:
                by_venue.setdefault(place, []).append(activity.id)
            if activity.organisation_id:
                by_organisation.setdefault(activity.organisation_id, []).append(activity.id)
        hosting = [v for v in venues if v.id in by_venue]
        return cls(activities, organisations, hosting, by_venue, by_organisation)

    def __len__(self) -> int:
        return len(self.activities)

    def nearest_venues(self, easting: float, northing: float, k: int) -> list[tuple[Venue, float]]:
        """The ``k`` nearest venues hosting something, nearest first."""
        if self.tree is None or k < 1:
            return []
        k = min(k, len(self.venues))
        distances, rows = self.tree.query((easting, northing), k=k)
        return [(self.venues[int(r)], float(d)) for d, r in
                zip(np.atleast_1d(distances), np.atleast_1d(rows), strict=True)]


def _venues(assets: gpd.GeoDataFrame | None, labels: Mapping[str, Mapping[str, str]],
            hub_ids: set[str]) -> list[Venue]:
    if assets is None or assets.empty:
        return []
    frame = to_metric(assets, "assets")
    keep = (frame["status"].astype(str).isin(["open", "at_risk"]) & frame.geometry.notna()
            & ~frame.geometry.is_empty)
    frame = frame[keep.to_numpy(dtype=bool)]
    if frame.empty:
        return []
    web = to_web(frame.geometry, "assets")
    rows = _rows(frame, ("id", "name", "category", "status", "address", "postcode"))
    categories = labels.get("category", {})
    return [
        Venue(id=str(r["id"]), name=str(r["name"]),
              category_label=categories.get(str(r["category"]), str(r["category"])),
              status=str(r["status"]), address=plain_text(r["address"]),
              postcode=plain_text(r["postcode"]),
              easting=float(x), northing=float(y), lon=float(lon), lat=float(lat),
              is_hub=str(r["id"]) in hub_ids)
        for r, x, y, lon, lat in zip(rows, frame.geometry.x, frame.geometry.y, web.x, web.y,
                                     strict=True)
    ]
