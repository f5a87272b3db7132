"""Human names for points a planner reads: "near Lutterworth, LE17 4AB (SP 543 845)".

A point (a candidate site, a small area's location) is named by the nearest
settlement or street-level place within :data:`PLACE_RADIUS_M` (towns, villages
and localities before wards), else by the named community area it lies in; the
postcode is the nearest postcode point and the OS grid reference is computed from
the easting and northing (:func:`grid_reference`). Nothing is invented: a piece
that is not known is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

import geopandas as gpd

from assetmap.locate import assign_to_areas
from assetmap.sources import is_unnamed_area_label

__all__ = ["PLACE_RADIUS_M", "PointNames", "grid_reference", "name_sites", "with_localities"]

PLACE_RADIUS_M = 2000.0
POSTCODE_RADIUS_M = 1000.0
# The 500 km and 100 km squares: 5 × 5 letters, A–Z without I, rows from the north.
_LETTERS = "ABCDEFGHJKLMNOPQRSTUVWXYZ"


def grid_reference(easting: float, northing: float, digits: int = 3) -> str:
    """The OS National Grid reference of a point, e.g. ``"NN 166 712"`` (``digits`` each way).

    Empty for a point outside the grid (or not finite).
    """
    if not (np.isfinite(easting) and np.isfinite(northing)):
        return ""
    e, n = int(easting), int(northing)
    if not (0 <= e < 700_000 and 0 <= n < 1_300_000):
        return ""
    e100, n100 = e // 100_000, n // 100_000
    first = (19 - n100) - (19 - n100) % 5 + (e100 + 10) // 5
    second = (19 - n100) * 5 % 25 + e100 % 5
    scale = 10 ** (5 - digits)
    return (
        f"{_LETTERS[first]}{_LETTERS[second]} "
        f"{(e % 100_000) // scale:0{digits}d} {(n % 100_000) // scale:0{digits}d}"
    )


def _points(frame: gpd.GeoDataFrame | None) -> tuple[np.ndarray, gpd.GeoDataFrame]:
    if frame is None or not len(frame):
        return np.zeros((0, 2)), gpd.GeoDataFrame(geometry=[])
    metric = frame[(frame.geometry.notna() & ~frame.geometry.is_empty).to_numpy()]
    xy = np.column_stack([metric.geometry.x.to_numpy(), metric.geometry.y.to_numpy()])
    keep = np.isfinite(xy).all(axis=1)
    return xy[keep], metric[keep]


def _nearest(xy: np.ndarray, labels: np.ndarray, at: np.ndarray, radius: float) -> list[str]:
    if not len(xy) or not len(at):
        return [""] * len(at)
    distance, index = cKDTree(xy).query(at, distance_upper_bound=radius)
    return [str(labels[i]) if np.isfinite(d) else "" for d, i in zip(distance, index, strict=True)]


@dataclass(frozen=True)
class PointNames:
    """Names points from the store's places, postcodes and community areas (EPSG:27700).

    :class:`~assetmap.analysis.inputs.AnalysisInputs` projects the layers once.
    """

    places: gpd.GeoDataFrame | None = None
    postcodes: gpd.GeoDataFrame | None = None
    community_areas: gpd.GeoDataFrame | None = None

    def localities(self, xy: np.ndarray) -> list[str]:
        """The nearest settlement (then ward) within reach, else the named community area."""
        found = [""] * len(xy)
        pxy, places = _points(self.places)
        if len(places) and "name" in places.columns:
            names = places["name"].astype(str).to_numpy()
            kinds = places.get("kind", pd.Series("", index=places.index)).astype(str).to_numpy()
            for wards in (False, True):  # settlements first, wards only where none is near
                pick = (kinds == "ward") == wards
                near = _nearest(pxy[pick], names[pick], xy, PLACE_RADIUS_M)
                found = [old or new for old, new in zip(found, near, strict=True)]
        missing = np.array([not name for name in found], dtype=bool)
        if missing.any():
            for i, name in zip(np.flatnonzero(missing), self._area_names(xy[missing]), strict=True):
                found[i] = name
        return found

    def _area_names(self, xy: np.ndarray) -> list[str]:
        areas = self.community_areas
        if areas is None or not len(areas) or "name" not in areas.columns or not len(xy):
            return [""] * len(xy)
        points = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=areas.crs)
        codes = assign_to_areas(points, areas, "code")
        names = dict(zip(areas["code"].astype(str), areas["name"], strict=False))
        out = []
        for code in codes:
            name = names.get(str(code)) if pd.notna(code) else None
            text = "" if name is None or pd.isna(name) else str(name)
            out.append("" if is_unnamed_area_label(text) else text)
        return out

    def postcodes_at(self, xy: np.ndarray) -> list[str]:
        cxy, codes = _points(self.postcodes)
        if not len(codes) or "postcode" not in codes.columns:
            return [""] * len(xy)
        return _nearest(cxy, codes["postcode"].astype(str).to_numpy(), xy, POSTCODE_RADIUS_M)

    def labels(self, xy: np.ndarray) -> pd.DataFrame:
        """``locality``, ``postcode``, ``grid_reference`` and ``label`` for each point."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        localities, postcodes = self.localities(xy), self.postcodes_at(xy)
        grid = [grid_reference(x, y) for x, y in xy]
        labels = []
        for place, postcode, ref in zip(localities, postcodes, grid, strict=True):
            head = ", ".join(part for part in (f"near {place}" if place else "", postcode) if part)
            labels.append(f"{head} ({ref})" if head and ref else head or ref)
        return pd.DataFrame(
            {"locality": localities, "postcode": postcodes, "grid_reference": grid,
             "label": labels}
        )


def name_sites(
    sites: gpd.GeoDataFrame, names: PointNames, small_area_kind: str
) -> gpd.GeoDataFrame:
    """``sites`` with ``locality``, ``postcode`` and ``grid_reference`` columns added.

    A small area's location (``kind == small_area_kind``) has no name of its own, so
    its ``name`` becomes the label ("near Lutterworth, LE17 4AB (SP 543 845)");
    it stays as it was when nothing at all is known about the point.
    """
    out = sites.copy()
    if not len(out):
        for column in ("locality", "postcode", "grid_reference"):
            out[column] = pd.Series(dtype=object)
        return out
    xy = np.column_stack([out.geometry.x.to_numpy(), out.geometry.y.to_numpy()])
    labels = names.labels(xy)
    for column in ("locality", "postcode", "grid_reference"):
        out[column] = labels[column].to_numpy()
    unnamed = (out["kind"] == small_area_kind).to_numpy() & (labels["label"] != "").to_numpy()
    out.loc[unnamed, "name"] = labels["label"].to_numpy()[unnamed]
    return out


def with_localities(small_areas: gpd.GeoDataFrame, names: PointNames) -> gpd.GeoDataFrame:
    """``small_areas`` with a ``locality`` column: each location point's place name."""
    out = small_areas.copy()
    xy = out[["location_easting", "location_northing"]].to_numpy(float).reshape(-1, 2)
    out["locality"] = names.localities(xy) if len(out) else pd.Series(dtype=object)
    return out
