"""Where each row is: coordinates to EPSG:27700, checked against the county, with the usual
mistakes named (latitude and longitude swapped, grid metres given as degrees and back).

The county is the union of the store's ``districts``; a point up to
``tolerance_m`` outside it still counts (boundaries are generalised and a
hall on the county line should not be refused). Which area a point is in is
:func:`assetmap.locate.assign_to_areas`, the one rule officer edits use too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np

import geopandas as gpd
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from assetmap.crs import METRIC_CRS, metric_to_lonlat, transformer
from assetmap.errors import DataError
from assetmap.layers import LayerCatalog
from assetmap.register.imports.model import Problem, SourceRow
from assetmap.store.base import Store

__all__ = ["COUNTY_TOLERANCE_M", "XY", "County", "to_metric_xy"]

COUNTY_TOLERANCE_M = 100.0
XY = tuple[float, float]
# British National Grid's extent in metres: numbers in it that are not degrees are grid refs.
_GRID = (0.0, 0.0, 700_000.0, 1_300_000.0)

_BNG_AS_DEGREES_FIX = {
    "CSV": "these are easting/northing metres (EPSG:27700): put them in columns named "
    "easting and northing",
    "GeoJSON": "declare the CRS with \"crs\": {\"type\": \"name\", \"properties\": {\"name\": "
    "\"urn:ogc:def:crs:EPSG::27700\"}}, or reproject the file to longitude/latitude (EPSG:4326)",
    "GeoPackage": "the layer's CRS is wrong: assign EPSG:27700 to it",
    "register": "these are easting/northing metres: set coordinates.crs to EPSG:27700 in the "
    "mapping file",
}
_DEGREES_AS_METRES_FIX = {
    "CSV": "these are longitude/latitude degrees: put them in columns named longitude and latitude",
    "GeoJSON": "remove the crs member: the coordinates are longitude/latitude already",
    "GeoPackage": "the layer's CRS is wrong: assign EPSG:4326 to it",
    "register": "these are longitude/latitude degrees: set coordinates.crs to EPSG:4326 in the "
    "mapping file",
}


@cache
def _is_geographic(crs: str) -> bool:
    return bool(CRS.from_user_input(crs).is_geographic)


def _degrees(a: float, b: float) -> bool:
    return -180 <= a <= 180 and -90 <= b <= 90


def _grid(a: float, b: float) -> bool:
    return _GRID[0] <= a <= _GRID[2] and _GRID[1] <= b <= _GRID[3] and (abs(a) > 180 or abs(b) > 90)


def _plausible(row: SourceRow, fmt: str) -> bool:
    """False (with a problem on the row) when the numbers cannot be in the stated CRS."""
    assert row.xy is not None and row.crs is not None
    a, b = row.xy

    def refuse(problem: str, fix: str) -> bool:
        row.problems.append(Problem(where=row.where, row=row.row, field=row.coordinates,
                                    value=f"{a:g}, {b:g}", problem=problem, fix=fix))
        return False

    if not (math.isfinite(a) and math.isfinite(b)):
        return refuse("are not finite numbers", "give real coordinates")
    if _is_geographic(row.crs):
        if _degrees(a, b):
            return True
        if _grid(a, b):
            return refuse("are not degrees: they look like British National Grid metres",
                          _BNG_AS_DEGREES_FIX.get(fmt, "give longitude/latitude"))
        if _degrees(b, a):
            return refuse("look swapped: a latitude cannot be beyond ±90",
                          "swap them: longitude comes first, then latitude")
        return refuse("are not a longitude and latitude",
                      "longitude is between -180 and 180, latitude between -90 and 90")
    if _degrees(a, b) and not _grid(a, b):
        return refuse("look like longitude/latitude degrees, not grid metres",
                      _DEGREES_AS_METRES_FIX.get(fmt, "give coordinates in the stated CRS"))
    return True


def to_metric_xy(rows: list[SourceRow], fmt: str) -> dict[int, XY]:
    """Row index -> (easting, northing) for rows whose coordinates are plausible."""
    by_crs: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        if row.xy is not None and row.crs is not None and _plausible(row, fmt):
            by_crs.setdefault(row.crs, []).append(index)
    placed: dict[int, XY] = {}
    for crs, indexes in by_crs.items():
        xs = np.array([rows[i].xy[0] for i in indexes])  # type: ignore[index]
        ys = np.array([rows[i].xy[1] for i in indexes])  # type: ignore[index]
        eastings, northings = transformer(crs, METRIC_CRS).transform(xs, ys)
        finite = (np.isfinite(eastings) & np.isfinite(northings)).tolist()
        for i, x, y, ok in zip(indexes, np.asarray(eastings).tolist(),
                               np.asarray(northings).tolist(), finite, strict=True):
            if ok:
                placed[i] = (x, y)
            else:
                row = rows[i]
                row.problems.append(Problem(
                    where=row.where, row=row.row, field=row.coordinates,
                    value=f"{row.xy[0]:g}, {row.xy[1]:g}",  # type: ignore[index]
                    problem=f"cannot be converted from {crs} to British National Grid",
                    fix="check the coordinates and their CRS",
                ))
    return placed


@dataclass(frozen=True)
class County:
    """The union of the store's districts (EPSG:27700), to test points against."""

    districts: gpd.GeoDataFrame
    outline: BaseGeometry
    tolerance_m: float = COUNTY_TOLERANCE_M

    @classmethod
    def from_store(
        cls, store: Store, catalog: LayerCatalog, tolerance_m: float = COUNTY_TOLERANCE_M
    ) -> County:
        layer = catalog["districts"]
        districts = store.read(layer) if store.has_layer(layer) else None
        if districts is None or districts.empty:
            raise DataError(
                "The store has no districts, so imported assets cannot be checked against the "
                "county. Load the district boundaries into the store first."
            )
        outline = shapely.union_all(districts.geometry.to_numpy())
        shapely.prepare(outline)
        return cls(districts, outline, tolerance_m)

    def covers(self, points: dict[int, XY]) -> set[int]:
        """The keys of the points inside the county (or within the tolerance of it)."""
        if not points:
            return set()
        keys = list(points)
        xs = np.array([points[k][0] for k in keys])
        ys = np.array([points[k][1] for k in keys])
        inside = shapely.contains_xy(self.outline, xs, ys)
        rest = np.flatnonzero(~inside)
        if len(rest):
            near = shapely.dwithin(shapely.points(xs[rest], ys[rest]), self.outline,
                                   self.tolerance_m)
            inside[rest[near]] = True
        return {k for k, ok in zip(keys, inside, strict=True) if ok}

    def nearest_district(self, xy: XY) -> str:
        distances = self.districts.distance(shapely.Point(xy))
        best = distances.idxmin()
        district = self.districts.loc[best]
        return (f"{distances[best] / 1000:.1f} km from the nearest district, "
                f"{district['name']} ({district['code']})")

    def swapped_inside(self, row: SourceRow) -> bool:
        """Whether the row's two coordinates, taken the other way round, fall in the county."""
        if row.xy is None or row.crs is None:
            return False
        b, a = row.xy
        if _is_geographic(row.crs) and not _degrees(a, b):
            return False
        x, y = transformer(row.crs, METRIC_CRS).transform(a, b)
        return bool(np.isfinite(x) and np.isfinite(y)) and bool(self.covers({0: (x, y)}))

    def typical(self, crs: str) -> str:
        """The county's middle in ``crs``, as a hint of what coordinates look like here."""
        centre = self.outline.representative_point()
        if _is_geographic(crs):
            lon, lat = metric_to_lonlat(centre.x, centre.y)
            return f"longitude about {lon:.1f}, latitude about {lat:.1f}"
        return f"easting about {centre.x:,.0f}, northing about {centre.y:,.0f}"

