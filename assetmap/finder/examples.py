"""The search form's example ("For example LZ1 1AA or Ashby"): taken from the store itself.

A hard-coded example names a postcode that may be outside the county (LE1 1AA is
Leicester city, not the county) or unknown to the sample, and a resident who tries it gets
an error. So the example is a postcode the store knows that lies inside the county (its
districts), the one nearest the county's middle, and the place name nearest to it that the
search finds on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

import geopandas as gpd

from assetmap.crs import to_metric
from assetmap.finder.gazetteer import Gazetteer, Place

__all__ = ["SearchExample", "search_example"]

_POSTCODE_AREAS = ("postcode_district", "postcode_sector")  # "LZ1" is no example of a place


@dataclass(frozen=True)
class SearchExample:
    """A postcode and a place name residents may type; either is None when the store has none."""

    postcode: str | None = None
    place: str | None = None


def _inside(postcodes: gpd.GeoDataFrame, county: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    if county is None or not len(county):
        return postcodes
    area = to_metric(county, "districts").geometry.union_all()
    inside = postcodes[postcodes.geometry.within(area)]
    return inside if len(inside) else postcodes


def _middle(frame: gpd.GeoDataFrame, county: gpd.GeoDataFrame | None) -> tuple[float, float]:
    if county is not None and len(county):
        point = to_metric(county, "districts").geometry.union_all().representative_point()
    else:
        point = frame.geometry.union_all().centroid
    return float(point.x), float(point.y)


def _example_postcode(postcodes: gpd.GeoDataFrame | None, county: gpd.GeoDataFrame | None
                      ) -> tuple[str, float, float] | None:
    if postcodes is None or not len(postcodes):
        return None
    frame = to_metric(postcodes, "postcodes")
    frame = _inside(frame[frame.geometry.notna() & ~frame.geometry.is_empty], county)
    if not len(frame):
        return None
    x, y = _middle(frame, county)
    distances = np.hypot(frame.geometry.x.to_numpy(float) - x, frame.geometry.y.to_numpy(float) - y)
    nearest = frame.iloc[int(np.argmin(distances))]
    return (" ".join(str(nearest["postcode"]).upper().split()),
            float(nearest.geometry.x), float(nearest.geometry.y))


def _example_place(places: Sequence[Place], gazetteer: Gazetteer, x: float, y: float
                   ) -> str | None:
    named = [p for p in places if p.kind not in _POSTCODE_AREAS]
    for place in sorted(named, key=lambda p: (p.easting - x) ** 2 + (p.northing - y) ** 2):
        if gazetteer.search(place.name).found == place:  # the name alone finds it
            return place.name
    return None


def search_example(
    postcodes: gpd.GeoDataFrame | None, county: gpd.GeoDataFrame | None, gazetteer: Gazetteer
) -> SearchExample:
    """The example for the search form's hint; ``county`` is the districts layer."""
    found = _example_postcode(postcodes, county)
    if found is None:
        middle = _middle_of_places(gazetteer.places)
        place = _example_place(gazetteer.places, gazetteer, *middle) if middle else None
        return SearchExample(None, place)
    code, x, y = found
    return SearchExample(code, _example_place(gazetteer.places, gazetteer, x, y))


def _middle_of_places(places: Sequence[Place]) -> tuple[float, float] | None:
    if not places:
        return None
    return (float(np.median([p.easting for p in places])),
            float(np.median([p.northing for p in places])))
