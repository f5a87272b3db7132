"""Per-small-area access to hubs: location, urban or rural, catchment, nearest hub.

All coordinates are British National Grid metres (EPSG:27700).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

import geopandas as gpd
import shapely

from assetmap.analysis.inputs import point_coordinates, prepare_located, prepare_small_areas
from assetmap.analysis.thresholds import GapThresholds
from assetmap.errors import DataError

__all__ = [
    "NearestHubs",
    "access_table",
    "catchment_radii",
    "hub_locations",
    "nearest_hubs",
    "small_area_access",
    "small_area_locations",
    "urban_flags",
]

PWC_COLUMNS = ("pwc_easting", "pwc_northing")
LOCATION_PWC = "population-weighted centroid"
LOCATION_INTERIOR = "representative point"
URBAN_FROM_COLUMN = "urban column"
URBAN_FROM_DENSITY = "density rule"


def small_area_locations(small_areas: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Where each small area's residents are taken to be, and where that came from.

    The population-weighted centroid (``pwc_easting``/``pwc_northing``, always
    EPSG:27700) where both are given; otherwise a representative point, which
    always lies inside the polygon (a plain centroid may not). ``small_areas``
    must already be in EPSG:27700.
    """
    xy = np.full((len(small_areas), 2), np.nan)
    if all(column in small_areas.columns for column in PWC_COLUMNS):
        for axis, column in enumerate(PWC_COLUMNS):
            xy[:, axis] = pd.to_numeric(small_areas[column], errors="coerce").to_numpy(float)
    has_pwc = np.isfinite(xy).all(axis=1)
    if not has_pwc.all():
        xy[~has_pwc] = point_coordinates(small_areas.geometry[~has_pwc])
    unplaced = ~np.isfinite(xy).all(axis=1)
    if unplaced.any():
        codes = small_areas.loc[unplaced, "code"] if "code" in small_areas else small_areas.index
        raise DataError(
            f"The small_areas layer has {int(unplaced.sum()):,} small areas with neither a "
            f"polygon nor pwc_easting/pwc_northing (e.g. {', '.join(map(str, codes[:5]))}). "
            f"Give each small area its boundary or its population-weighted centroid."
        )
    source = np.where(has_pwc, LOCATION_PWC, LOCATION_INTERIOR)
    return xy, source


def urban_flags(
    small_areas: gpd.GeoDataFrame, population: np.ndarray, density_per_km2: float
) -> tuple[np.ndarray, np.ndarray]:
    """Urban (True) or rural, from the ``urban`` column where known, else by density.

    The density rule counts a small area as urban when its residents per km² of
    polygon area reach ``density_per_km2``. ``small_areas`` must be in EPSG:27700.
    """
    known = np.zeros(len(small_areas), dtype=bool)
    urban = np.zeros(len(small_areas), dtype=bool)
    if "urban" in small_areas.columns:
        try:
            column = small_areas["urban"].astype("boolean")
        except (TypeError, ValueError) as error:
            raise DataError(
                "The small_areas layer's `urban` column must hold true/false (or be empty "
                f"where unknown); it could not be read as such ({error})."
            ) from error
        known = column.notna().to_numpy()
        urban[known] = column[known].to_numpy(dtype=bool)
    if not known.all():
        area_km2 = shapely.area(small_areas.geometry.to_numpy()[~known]) / 1e6
        with np.errstate(divide="ignore", invalid="ignore"):
            density = np.where(area_km2 > 0, population[~known] / area_km2, np.inf)
        urban[~known] = density >= density_per_km2
    source = np.where(known, URBAN_FROM_COLUMN, URBAN_FROM_DENSITY)
    return urban, source


def catchment_radii(urban: np.ndarray, thresholds: GapThresholds) -> np.ndarray:
    """Catchment radius in metres for each small area."""
    return np.where(urban, thresholds.urban_catchment_m, thresholds.rural_catchment_m).astype(float)


def _workers(n_points: int) -> int:
    """Threads for KD-tree queries: all cores for big inputs; one where threads cost more."""
    return -1 if n_points >= 50_000 else 1


@dataclass(frozen=True)
class NearestHubs:
    """Straight-line distance to the nearest hub and hubs within each catchment."""

    distance_m: np.ndarray  # NaN where there is no hub at all
    nearest_index: np.ndarray  # position in the hub array, -1 where there is none
    hubs_in_catchment: np.ndarray  # int
    within_catchment: np.ndarray  # bool


def nearest_hubs(
    points: np.ndarray, hub_points: np.ndarray, catchment_m: np.ndarray
) -> NearestHubs:
    """Nearest hub and hub count within each point's own catchment radius (KD-tree)."""
    n = len(points)
    if len(hub_points) == 0:
        return NearestHubs(
            distance_m=np.full(n, np.nan),
            nearest_index=np.full(n, -1, dtype=np.int64),
            hubs_in_catchment=np.zeros(n, dtype=np.int64),
            within_catchment=np.zeros(n, dtype=bool),
        )
    tree = cKDTree(hub_points)
    workers = _workers(n)
    distance, index = tree.query(points, k=1, workers=workers)
    count = np.asarray(
        tree.query_ball_point(points, r=catchment_m, return_length=True, workers=workers),
        dtype=np.int64,
    )
    # A hub exactly on the catchment edge counts as inside; the two KD-tree
    # queries round differently there, so make them agree.
    within = (distance <= catchment_m) | (count > 0)
    count = np.maximum(count, within.astype(np.int64))
    return NearestHubs(
        distance_m=np.asarray(distance, dtype=float),
        nearest_index=np.asarray(index, dtype=np.int64),
        hubs_in_catchment=count,
        within_catchment=within,
    )


def hub_locations(hubs: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates of hubs that have a location, and their hub ids (``id`` or index)."""
    xy = point_coordinates(hubs.geometry)
    placed = np.isfinite(xy).all(axis=1)
    ids = hubs["id"].to_numpy() if "id" in hubs.columns else hubs.index.to_numpy()
    return xy[placed], ids[placed]


def small_area_access(
    small_areas: gpd.GeoDataFrame, hubs: gpd.GeoDataFrame, thresholds: GapThresholds
) -> gpd.GeoDataFrame:
    """Access to hubs for each small area (EPSG:27700, polygons kept).

    Adds ``location_easting``, ``location_northing``, ``location_source``,
    ``urban``, ``urban_source``, ``catchment_m``, ``distance_to_nearest_hub_m``
    (NaN when there is no hub at all), ``nearest_hub_id``, ``within_catchment``
    and ``hubs_in_catchment`` to the small areas' own columns. ``hubs`` is the
    output of :func:`assetmap.analysis.select_hubs`, in any CRS.
    """
    return access_table(
        prepare_small_areas(small_areas), prepare_located(hubs, "hubs (assets layer)"), thresholds
    )


def access_table(
    small_areas: gpd.GeoDataFrame, hubs: gpd.GeoDataFrame, thresholds: GapThresholds
) -> gpd.GeoDataFrame:
    """:func:`small_area_access` on prepared small areas and hubs (EPSG:27700, checked).

    Returns a new frame; ``small_areas`` is left as it was.
    """
    frame = small_areas.copy()
    population = frame["population"].to_numpy(dtype=float)
    xy, location_source = small_area_locations(frame)
    urban, urban_source = urban_flags(frame, population, thresholds.urban_density_per_km2)
    catchment = catchment_radii(urban, thresholds)
    hub_xy, hub_ids = hub_locations(hubs)
    nearest = nearest_hubs(xy, hub_xy, catchment)

    nearest_id = np.full(len(frame), None, dtype=object)
    found = nearest.nearest_index >= 0
    nearest_id[found] = hub_ids[nearest.nearest_index[found]]
    frame["location_easting"] = xy[:, 0]
    frame["location_northing"] = xy[:, 1]
    frame["location_source"] = location_source
    frame["urban"] = urban
    frame["urban_source"] = urban_source
    frame["catchment_m"] = catchment
    frame["distance_to_nearest_hub_m"] = nearest.distance_m
    frame["nearest_hub_id"] = nearest_id
    frame["within_catchment"] = nearest.within_catchment
    frame["hubs_in_catchment"] = nearest.hubs_in_catchment
    return frame
