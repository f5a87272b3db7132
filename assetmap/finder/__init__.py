"""Nearest community hubs: locate what a resident typed, then find hubs around it.

Everything here is pure data and numbers, free of HTTP:

* :mod:`assetmap.finder.hubs`: :class:`HubIndex` holds the open and at-risk hubs
  (closed assets are never shown) in a KD-tree in EPSG:27700 metres and answers
  ``nearest``/``within``.
* :mod:`assetmap.finder.gazetteer`: :class:`Gazetteer` turns a postcode or a
  place name into a point.
* :func:`check_lat_lon` (from :mod:`assetmap.crs`) accepts only points in Great
  Britain and spots swapped latitude and longitude.
* :class:`FinderData` bundles them for one version of the store, with the map
  view a search without results opens on (the data's own extent).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import geopandas as gpd

from assetmap.crs import check_lat_lon, lonlat_to_metric, metric_to_lonlat
from assetmap.errors import ValidationFailed
from assetmap.extent import GREAT_BRITAIN, MapView, view_of
from assetmap.finder.activities import Activity, ActivityIndex, Organisation, Venue
from assetmap.finder.examples import SearchExample, search_example
from assetmap.finder.gazetteer import Gazetteer, Place, PlaceSearch
from assetmap.finder.hubs import MAX_RESULTS, Hub, HubIndex, NearbyHub, distance_parts
from assetmap.finder.whats_on import FoundActivity, find_activities, find_places
from assetmap.finder.word_matches import WordMatches
from assetmap.layers import LayerCatalog
from assetmap.postcodes import looks_like_postcode
from assetmap.provenance import is_synthetic

__all__ = [
    "HOME_ZOOM",
    "MAX_RESULTS",
    "Activity",
    "ActivityIndex",
    "FinderData",
    "FoundActivity",
    "Gazetteer",
    "Hub",
    "HubIndex",
    "Location",
    "NearbyHub",
    "Organisation",
    "Place",
    "PlaceSearch",
    "SearchExample",
    "Venue",
    "check_lat_lon",
    "distance_parts",
]

# A search with no result opens on the county at this zoom (Leaflet's scale).
HOME_ZOOM = 9


@dataclass(frozen=True)
class Location:
    """Where a search is centred, and how it was found."""

    kind: Literal["postcode", "place", "point"]
    label: str
    easting: float
    northing: float
    lon: float
    lat: float
    # A place found by a near spelling: what was typed (the page says what it searched for).
    corrected_from: str = ""


@dataclass
class FinderData:
    """Everything the finder needs from one version of the store."""

    hubs: HubIndex
    gazetteer: Gazetteer
    metadata: dict[str, str] = field(default_factory=dict)
    parishes_loaded: bool = True  # False: no parish boundaries, so no search by parish name
    home: MapView = GREAT_BRITAIN  # where the map opens when a search shows no hubs
    activities: ActivityIndex = field(default_factory=ActivityIndex)
    # The store and layers the words are searched in (the store's full-text search).
    store: Any = None
    catalog: LayerCatalog | None = None
    # Each word's matching activities, asked of the store once for this version of it.
    activity_words: WordMatches | None = None
    example: SearchExample = field(default_factory=SearchExample)  # for the form's hint

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
        postcodes = read("postcodes", ["postcode"])
        districts = read("districts", ["code", "name"])
        metadata = store.metadata()
        gazetteer = Gazetteer.from_frames(
            postcodes, parishes, assets, read("places"),
            districts=({} if districts is None else dict(zip(
                districts["code"].astype(str), districts["name"].astype(str), strict=True))),
            county_names=[metadata.get("county_name") or ""],
        )
        # Only a store that could hold parishes but holds none lacks them.
        loaded = catalog.get("community_areas") is None or bool(parishes is not None
                                                                 and len(parishes))
        home = view_of([parishes, assets, postcodes], HOME_ZOOM)
        activities = ActivityIndex.from_frames(
            read("activities"), read("organisations"), assets,
            {name: catalog[name].labels for name in ("assets", "activities", "organisations")
             if catalog.get(name) is not None},
            {hub.id for hub in hubs.hubs},
        )
        layer = catalog.get("activities")
        words = None if layer is None else WordMatches(store, layer, activities.activities)
        return cls(hubs, gazetteer, metadata, parishes_loaded=loaded, home=home,
                   activities=activities, store=store, catalog=catalog, activity_words=words,
                   example=search_example(postcodes, districts, gazetteer))

    def find_activities(
        self, what: str, *, near: Location | None = None, day: str | None = None,
        audience: str | None = None, now: dt.datetime | None = None, limit: int = 10,
    ) -> list[FoundActivity]:
        """Activities matching the words near a place (or county-wide); see ``whats_on``."""
        layer = self.catalog.get("activities") if self.catalog is not None else None
        if layer is None or self.store is None or not len(self.activities):
            return []
        point = None if near is None else (near.easting, near.northing)
        return find_activities(self.activities, self.store, layer, what,
                               words=self.activity_words, near=point, day=day,
                               audience=audience, now=now, limit=limit)

    def find_places(self, what: str, near: Location, limit: int = 10) -> list[NearbyHub]:
        """Hubs near a place whose name or kind holds the words."""
        layer = self.catalog.get("assets") if self.catalog is not None else None
        if layer is None or self.store is None or not layer.search:
            return []
        return find_places(self.hubs, self.store, layer, what, near.easting, near.northing,
                           limit)

    @property
    def synthetic(self) -> bool:
        return is_synthetic(self.metadata)

    def locate_point(self, lat: float, lon: float) -> Location:
        check_lat_lon(lat, lon)
        easting, northing = lonlat_to_metric(lon, lat)
        return Location("point", f"{lat:.5f}, {lon:.5f}", easting, northing, lon, lat)

    def locate_postcode(self, text: str) -> Location:
        code, (easting, northing) = self.gazetteer.postcode(text)
        lon, lat = metric_to_lonlat(easting, northing)
        return Location("postcode", code, easting, northing, lon, lat)

    def locate_place(self, text: str) -> Location:
        place = self.gazetteer.place(text)
        lon, lat = metric_to_lonlat(place.easting, place.northing)
        typed = text.strip()
        corrected = typed if self.gazetteer.search(typed).how == "fuzzy" else ""
        return Location("place", place.name, place.easting, place.northing, lon, lat,
                        corrected_from=corrected)

    def locate_text(self, text: str) -> Location:
        """A postcode if it looks like one, otherwise a place name."""
        if not text.strip():
            raise ValidationFailed("Enter a postcode or the name of your town or village.",
                                   key="error.enter_query")
        if looks_like_postcode(text):
            area = self.gazetteer.postcode_area(text)
            if area is not None:  # a postcode district or sector ("LE17", "LE17 4")
                lon, lat = metric_to_lonlat(area.easting, area.northing)
                return Location("postcode", area.name, area.easting, area.northing, lon, lat)
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
