"""Where each planned row goes: its point in EPSG:27700 (from its coordinates, its postcode, or
where it already is), checked against the county, and the area codes that point gives."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

import geopandas as gpd
import shapely
from shapely.geometry import Point

from assetmap.crs import METRIC_CRS
from assetmap.locate import assign_to_areas
from assetmap.postcodes import normalise_postcode
from assetmap.register.imports.coordinates import XY, County, to_metric_xy
from assetmap.register.position_checks import FAR_POSTCODE_M, distance_words, postcode_points

if TYPE_CHECKING:
    from assetmap.register.imports.plan import Planner

__all__ = ["MOVE_THRESHOLD_M", "fill_area_codes", "place_rows", "warn_far_postcodes"]

MOVE_THRESHOLD_M = 1.0  # closer than this is the same point (rounding of degrees)
_AREA_FIELDS = (("district_code", "districts", "code"), ("community_area_code", "community_areas",
                                                          "code"))
_COORDINATE_FIELDS = {"longitude", "latitude", "easting", "northing", "geometry"}


def place_rows(planner: Planner, county: County | None) -> None:
    """Every row's point in EPSG:27700, checked against the county (unless ``county`` is None:
    the reader chose its rows by where they lie)."""
    placed = to_metric_xy(planner.rows, planner.table.format)
    for index in placed:
        planner.located_by[index] = planner.rows[index].coordinates
    kept = _without_coordinates(planner, placed)
    inside = county.covers(placed) if county is not None else set(placed)
    for index, xy in placed.items():
        if index in inside:
            planner.points[index] = xy
        elif county is not None:
            _outside(planner, index, xy, county)
    planner.points.update(kept)  # already in the store: not checked again


def _keeps_position(planner: Planner, index: int) -> XY | None:
    """Where an update giving no position stays: its stored point, unless its postcode changes."""
    before = planner.existing.get(planner.ids[index] or "")
    if before is None or before.geometry is None:
        return None
    values = planner.values[index]
    if "postcode" in values and values["postcode"] != normalise_postcode(
        str(before.properties.get("postcode") or "")
    ):
        return None
    return before.geometry.x, before.geometry.y


def _without_coordinates(planner: Planner, placed: dict[int, XY]) -> dict[int, XY]:
    """Place rows with no coordinates by postcode (into ``placed``); return the rows that
    keep the position they have in the store (an update giving no position)."""
    by_postcode: dict[int, str] = {}
    kept: dict[int, XY] = {}
    for index, row in enumerate(planner.rows):
        if row.xy is not None or any(p.field in _COORDINATE_FIELDS for p in row.problems):
            continue
        given = planner.values[index].get("postcode")
        stays = _keeps_position(planner, index)
        if stays is not None:
            kept[index] = stays
            planner.located_by[index] = "its current position"
        elif given:
            by_postcode[index] = given
        elif not any(p.field == "postcode" for p in row.problems):
            row.problems.append(planner.problem(
                index, "location", "", "has no position: no coordinates and no postcode",
                "give longitude and latitude (or easting and northing), or a postcode",
            ))
    found = _lookup_postcodes(planner, set(by_postcode.values()))
    for index, postcode in by_postcode.items():
        if postcode in found:
            placed[index] = found[postcode]
            planner.located_by[index] = f"postcode {postcode}"
        else:
            planner.rows[index].problems.append(planner.problem(
                index, "postcode", postcode,
                "is not in the store's postcode table, so it cannot place the asset",
                "give longitude and latitude (or easting and northing), or check the "
                "postcode; `assetmap import postcodes` loads the postcode table",
            ))
    return kept


def _outside(planner: Planner, index: int, xy: XY, county: County) -> None:
    """Name a point outside the county: swapped coordinates, or how far out it is."""
    row = planner.rows[index]
    if row.xy is not None and row.crs is not None and county.swapped_inside(row):
        x_name, _, y_name = row.coordinates.partition("/")
        pair = f"{x_name} and {y_name}" if y_name else "the two coordinates"
        row.problems.append(planner.problem(
            index, row.coordinates, f"{row.xy[0]:g}, {row.xy[1]:g}",
            "look swapped: as given they lie outside the county, swapped they lie inside it",
            f"swap {pair} ({county.typical(row.crs)} here)",
        ))
        return
    if row.xy is not None:
        field, value = row.coordinates, f"{row.xy[0]:g}, {row.xy[1]:g}"
        fix = ("check the coordinates and their CRS; only assets in the county's districts "
               "can be imported")
    else:
        field, value = "postcode", str(planner.values[index].get("postcode"))
        fix = "check the postcode, or give the asset's coordinates"
    planner.reject(index, planner.problem(
        index, field, value, f"lies outside the county: {county.nearest_district(xy)}", fix,
    ), "outside the county")


def _lookup_postcodes(planner: Planner, postcodes: set[str]) -> dict[str, XY]:
    return postcode_points(planner.store, planner.catalog, postcodes)


def warn_far_postcodes(planner: Planner) -> None:
    """A row placed by its coordinates whose postcode lies far from them: a warning row (the
    asset is imported; a typing mistake in either is the usual cause)."""
    given = {index: planner.values[index].get("postcode") for index in planner.points
             if planner.rows[index].xy is not None}
    wanted = {str(code) for code in given.values() if code}
    found = _lookup_postcodes(planner, wanted)
    for index, postcode in given.items():
        where = found.get(str(postcode)) if postcode else None
        if where is None:
            continue
        x, y = planner.points[index]
        metres = float(np.hypot(where[0] - x, where[1] - y))
        if metres > FAR_POSTCODE_M:
            planner.plan.warnings.append(planner.problem(
                index, "postcode", postcode,
                f"lies {distance_words(metres)} from the row's coordinates",
                "check the postcode and the coordinates; the asset is placed by its coordinates",
            ))


def _placed_points(planner: Planner) -> gpd.GeoSeries:
    """The rows' points (index: row index), made once for every area layer's lookup."""
    made = planner.cache.get("placed_points")
    if isinstance(made, gpd.GeoSeries) and len(made) == len(planner.points):
        return made
    keys = list(planner.points)
    xy = np.array([planner.points[k] for k in keys], dtype=float)  # shapely is slow on tuples
    made = gpd.GeoSeries(shapely.points(xy), index=keys, crs=METRIC_CRS)
    planner.cache["placed_points"] = made
    return made


def _area_codes(planner: Planner, areas: gpd.GeoDataFrame, code_field: str) -> dict[int, str]:
    """Row index -> the code of the area its point is in (:func:`assign_to_areas`)."""
    if not planner.points:
        return {}
    codes = assign_to_areas(_placed_points(planner), areas, code_field,
                            tolerance_m=planner.tolerance_m)
    return {key: code for key, code in codes.items() if code is not None}


def fill_area_codes(planner: Planner) -> None:
    """Fill district and community area codes from the point when not given."""
    for field, layer_name, code_field in _AREA_FIELDS:
        layer = planner.catalog.get(layer_name)
        if field not in planner.layer.field_names or layer is None:
            continue
        if not planner.store.has_layer(layer):
            continue
        codes = _area_codes(planner, planner.store.read(layer, fields=[code_field]), code_field)
        for index in planner.points:
            values = planner.values[index]
            before = planner.existing.get(planner.ids[index] or "")
            given = values.get(field)
            found = codes.get(index)
            if given:
                if found is not None and found != given:
                    planner.plan.warnings.append(planner.problem(
                        index, field, given,
                        f"differs from the {layer.title.lower()} the point lies in ({found})",
                        f"check the position, or leave {field} empty to fill it from the point",
                    ))
                continue
            moved = before is not None and before.geometry is not None and (
                before.geometry.distance(Point(planner.points[index])) >= MOVE_THRESHOLD_M
            )
            if before is None or field in values or moved:
                values[field] = found
