"""Which area is this point in? One rule for importers, officer edits, reports and the finder.

:func:`assign_to_areas` gives each point the code of the area it lies in:

1. **Inside first.** A point inside an area, or on its boundary, takes that
   area's code. A point on a shared boundary, or inside several overlapping
   areas, takes the *smallest* code (string order), so the answer never
   depends on row order.
2. **Else the nearest within the tolerance.** A point outside every area but
   within ``tolerance_m`` metres of one (boundaries are generalised; a hall on
   the county line should not lose its codes) takes the nearest area's code;
   areas equally near are again decided by the smallest code.
3. **Else missing** (``None``).

Distances are measured in EPSG:27700 metres whatever the inputs' CRS. Both
steps are one vectorised STRtree query each, so 100,000 points take well under
a second.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

import geopandas as gpd
import shapely

from assetmap.crs import to_metric

__all__ = ["DEFAULT_TOLERANCE_M", "assign_to_areas"]

DEFAULT_TOLERANCE_M = 100.0


def assign_to_areas(
    points: gpd.GeoSeries | gpd.GeoDataFrame,
    areas: gpd.GeoDataFrame,
    code_field: str,
    *,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> pd.Series:
    """The ``code_field`` of the area each point lies in (see the module docstring).

    ``points``: a GeoSeries or GeoDataFrame of points in any CRS (missing or
    empty geometries get ``None``). ``areas``: polygons in any CRS with a
    ``code_field`` column; rows with no code or no geometry are ignored. Returns
    an object Series of codes as text (or ``None``) with the points' index.
    """
    geometries = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
    values = np.full(len(points), None, dtype=object)
    out = pd.Series(values, index=points.index, dtype=object)
    if not len(geometries) or not len(areas):
        return out
    xy = to_metric(geometries, "points").to_numpy()
    frame = to_metric(areas, "areas")
    keep = (frame[code_field].notna() & frame.geometry.notna() & ~frame.geometry.is_empty)
    frame = frame[keep.to_numpy(bool)]
    if frame.empty:
        return out
    codes = frame[code_field].astype(str).to_numpy(dtype=object)
    # Each area's position in code order: "smallest code" becomes "smallest rank".
    rank = np.empty(len(codes), dtype=np.int64)
    rank[np.argsort(codes.astype(str), kind="stable")] = np.arange(len(codes))
    tree = shapely.STRtree(frame.geometry.to_numpy())
    usable = ~(shapely.is_missing(xy) | shapely.is_empty(xy))
    found = np.full(len(xy), -1, dtype=np.int64)

    rows = np.flatnonzero(usable)
    inside = _inside_pairs(frame.geometry.to_numpy(), xy[rows])
    _take_smallest(found, rows, inside, rank)
    if tolerance_m > 0:
        rows = np.flatnonzero(usable & (found < 0))
        if len(rows):
            near = tree.query_nearest(xy[rows], max_distance=tolerance_m, all_matches=True)
            _take_smallest(found, rows, near, rank)
    hit = found >= 0
    values[hit] = codes[found[hit]]
    return pd.Series(values, index=points.index, dtype=object)


def _inside_pairs(
    areas: npt.NDArray[np.object_], points: npt.NDArray[np.object_]
) -> npt.NDArray[np.intp]:
    """(point, area) index pairs where the point lies in the area or on its boundary: what
    ``STRtree.query(points, predicate="intersects")`` gives, several times faster.

    Points sorted by easting: each area tests only those within its box (a slice, then a
    mask), straight from their coordinates against the prepared polygon, with no GEOS point
    made for each pair (100,000 points in 7 districts: 0.3 s through the tree, 0.03 s so).
    """
    x, y = shapely.get_x(points), shapely.get_y(points)
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    shapely.prepare(areas)
    found_points, found_areas = [], []
    for area_index, (minx, miny, maxx, maxy) in enumerate(shapely.bounds(areas).tolist()):
        start = int(np.searchsorted(xs, minx, side="left"))
        stop = int(np.searchsorted(xs, maxx, side="right"))
        if start >= stop:
            continue
        in_box = start + np.flatnonzero((ys[start:stop] >= miny) & (ys[start:stop] <= maxy))
        hits = in_box[shapely.intersects_xy(areas[area_index], xs[in_box], ys[in_box])]
        found_points.append(order[hits])
        found_areas.append(np.full(len(hits), area_index, dtype=np.intp))
    if not found_points:
        return np.empty((2, 0), dtype=np.intp)
    return np.vstack([np.concatenate(found_points), np.concatenate(found_areas)])


def _take_smallest(
    found: npt.NDArray[np.int64],
    rows: npt.NDArray[np.intp],
    pairs: npt.NDArray[np.intp],
    rank: npt.NDArray[np.int64],
) -> None:
    """For each queried point, keep the matching area with the smallest code."""
    query, area = pairs
    if not len(query):
        return
    order = np.lexsort((rank[area], query))
    query, area = query[order], area[order]
    first = np.flatnonzero(np.r_[True, query[1:] != query[:-1]])
    found[rows[query[first]]] = area[first]
