"""Scenarios: the impact of closing hubs and opening new ones, against today.

A :class:`Change` closes hubs (asset ids) and opens hubs at points (longitude,
latitude). :func:`check_change` refuses ids that are not assets or not hubs and
points outside the county, naming each; :func:`evaluate_scenario` answers for one
district: residents newly outside every catchment and newly inside (each with its
:class:`~assetmap.analysis.equality.ResidentsProfile`), the district's uncovered
residents before and after, and each community area's figures and flags before
and after (the areas whose flags change are listed on their own). The after-state
is measured by the same code as the gap analysis (``measure_areas``) on a
:class:`~assetmap.analysis.coverage.CoverageIndex`, so a scenario's figures are
those a full re-run with the changed hubs would give, in milliseconds.
:func:`closure_impact` is the county-wide answer for closing one asset, shown
where an officer closes it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

import geopandas as gpd

from assetmap.analysis.areas import INSIDE_ONLY, measure_areas
from assetmap.analysis.coverage import CoverageIndex, measured_rows
from assetmap.analysis.equality import ResidentsProfile
from assetmap.crs import lonlat_to_metric
from assetmap.errors import ValidationFailed
from assetmap.locate import assign_to_areas

__all__ = [
    "FLAGS",
    "Change",
    "CheckedChange",
    "ScenarioOutcome",
    "check_change",
    "evaluate_scenario",
    "parse_close",
    "parse_open",
]

FLAGS = ("no_hub", "poor_access", "over_capacity", "high_need")
MAX_CLOSED = 500
MAX_OPENED = 50
_OPEN_HINT = "give open as LON,LAT pairs separated by ';', e.g. open=-1.13,52.63;-1.2,52.7"


@dataclass(frozen=True)
class Change:
    """Hubs closed (asset ids) and opened (WGS84 longitude, latitude), as asked."""

    close: tuple[str, ...] = ()
    open: tuple[tuple[float, float], ...] = ()

    @property
    def empty(self) -> bool:
        return not self.close and not self.open

    def as_dict(self) -> dict[str, Any]:
        return {"close": list(self.close), "open": [list(point) for point in self.open]}

    def open_text(self) -> str:
        return ";".join(f"{lon:.6f},{lat:.6f}" for lon, lat in self.open)


def parse_close(text: str | None) -> tuple[str, ...]:
    """``"H1,H2"`` -> ``("H1", "H2")`` (blanks dropped, each id once, in order)."""
    ids = tuple(dict.fromkeys(part.strip() for part in (text or "").split(",") if part.strip()))
    if len(ids) > MAX_CLOSED:
        raise ValidationFailed(f"close names {len(ids):,} ids; at most {MAX_CLOSED} at once",
                               details=[{"field": "close", "problem": "too many ids"}])
    return ids


def _pair(text: str) -> tuple[float, float]:
    parts = [p.strip() for p in text.split(",")]
    problem = None
    try:
        lon, lat = (float(p) for p in parts) if len(parts) == 2 else (math.nan, math.nan)
    except ValueError:
        lon, lat = math.nan, math.nan
    if not (math.isfinite(lon) and math.isfinite(lat)):
        problem = "not two numbers LON,LAT"
    elif not (-180 <= lon <= 180 and -90 <= lat <= 90):
        problem = "longitude or latitude out of range (were they swapped?)"
    elif 49 <= lon <= 61 and -9 <= lat <= 2.5:
        problem = "looks like LAT,LON: give longitude first"
    if problem:
        raise ValidationFailed(
            f"open point {text!r}: {problem}; {_OPEN_HINT}",
            details=[{"field": "open", "value": text, "problem": problem}],
        )
    return lon, lat


def parse_open(text: str | None) -> tuple[tuple[float, float], ...]:
    """``"-1.13,52.63;-1.2,52.7"`` -> ((lon, lat), …), checked."""
    points = tuple(_pair(part) for part in (text or "").split(";") if part.strip())
    if len(points) > MAX_OPENED:
        raise ValidationFailed(f"open gives {len(points)} points; at most {MAX_OPENED} at once",
                               details=[{"field": "open", "problem": "too many points"}])
    return points


@dataclass(frozen=True)
class CheckedChange:
    """A change resolved against the index: hub columns closed, points opened (EPSG:27700)."""

    change: Change
    columns: np.ndarray  # hub columns of the index to close
    open_xy: np.ndarray  # (n, 2) metres
    open_area: np.ndarray  # community area code of each opened point
    missing: tuple[str, ...] = ()  # closed ids with no asset (kept by re-runs, never by checks)
    not_hubs: tuple[str, ...] = ()  # closed ids of assets that are not hubs (closed already…)


def _closed_problems(index: CoverageIndex, ids: tuple[str, ...]) -> tuple[list[str], list[str]]:
    assets = index.assets
    known = set(assets["id"].astype(str)) if "id" in assets.columns else set()
    hubs = index.hub_columns
    missing = [i for i in ids if i not in known]
    not_hubs = [i for i in ids if i in known and i not in hubs]
    return missing, not_hubs


def check_change(index: CoverageIndex, change: Change, *, strict: bool = True) -> CheckedChange:
    """Resolve ``change``; refuse (``strict``) or set aside unknown ids and non-hubs.

    Points outside every community area of the county are always refused.
    """
    missing, not_hubs = _closed_problems(index, change.close)
    details = [{"field": "close", "value": i, "problem": "no asset has this id"} for i in missing]
    details += [
        {"field": "close", "value": i, "problem": "this asset is not a hub (closed already, or "
         "not a hub category), so closing it changes no catchment"} for i in not_hubs
    ]
    open_xy, open_area = _opened(index, change.open, details)
    if details and (strict or any(d["field"] == "open" for d in details)):
        named = "; ".join(f"{d['value']}: {d['problem']}" for d in details)
        raise ValidationFailed(f"The scenario cannot be run: {named}.", details=details)
    hubs = index.hub_columns
    columns = np.array([hubs[i] for i in change.close if i in hubs], dtype=np.int64)
    return CheckedChange(change, columns, open_xy, open_area, tuple(missing), tuple(not_hubs))


def _opened(
    index: CoverageIndex, points: tuple[tuple[float, float], ...], details: list[dict[str, Any]]
) -> tuple[np.ndarray, np.ndarray]:
    if not points:
        return np.zeros((0, 2)), np.zeros(0, dtype=object)
    lon, lat = np.array(points, dtype=float).T
    x, y = lonlat_to_metric(lon, lat)
    xy = np.column_stack([x, y])
    where = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=index.community_areas.crs)
    codes = assign_to_areas(where, index.community_areas, "code", tolerance_m=INSIDE_ONLY)
    for (p_lon, p_lat), code in zip(points, codes, strict=True):
        if pd.isna(code):
            details.append({"field": "open", "value": f"{p_lon},{p_lat}",
                            "problem": "outside every community area of the county"})
    return xy, codes.astype(object).to_numpy()


@dataclass(frozen=True)
class AfterChange:
    """Every small area of the index after the change: hubs within catchment, distance."""

    count: np.ndarray
    lost: np.ndarray  # hubs within catchment that the change closes


def coverage_after(index: CoverageIndex, checked: CheckedChange) -> AfterChange:
    """Hubs within each small area's catchment once the change is made (county-wide)."""
    count = index.count
    lost = (np.asarray(index.covers[:, checked.columns].sum(axis=1)).ravel().astype(np.int64)
            if len(checked.columns) else np.zeros(len(count), dtype=np.int64))
    gained = np.zeros(len(count), dtype=np.int64)
    if len(checked.open_xy):
        catchment = index.access["catchment_m"].to_numpy(float)
        near = index.small_area_tree.query_ball_point(checked.open_xy, r=float(catchment.max()))
        for point, rows in zip(checked.open_xy, near, strict=True):
            rows = np.asarray(rows, dtype=np.int64)
            distance = np.hypot(*(index.xy[rows] - point).T)
            gained[rows[distance <= catchment[rows]]] += 1
    return AfterChange(count=count - lost + gained, lost=lost)


def _distance_after(index: CoverageIndex, checked: CheckedChange, rows: np.ndarray) -> np.ndarray:
    """Distance from each of ``rows`` to its nearest hub once the change is made."""
    distance = index.access["distance_to_nearest_hub_m"].to_numpy(float)[rows].copy()
    closed = set(index.hub_ids[checked.columns])
    nearest = index.access["nearest_hub_id"].astype(object).to_numpy()[rows]
    moved = np.array([str(h) in closed for h in nearest], dtype=bool)
    if moved.any():
        keep = np.ones(len(index.hub_ids), dtype=bool)
        keep[checked.columns] = False
        distance[moved] = np.nan
        if keep.any():
            distance[moved] = cKDTree(index.hub_xy[keep]).query(index.xy[rows[moved]])[0]
    if len(checked.open_xy):
        to_new = cKDTree(checked.open_xy).query(index.xy[rows])[0]
        distance = np.where(np.isnan(distance), to_new, np.fmin(distance, to_new))
    return np.asarray(distance, dtype=float)


@dataclass(frozen=True)
class ScenarioOutcome:
    """One district's answer to a change, against today."""

    district_code: str
    district_name: str
    change: Change
    newly_outside: ResidentsProfile
    newly_inside: ResidentsProfile
    uncovered_before: float
    uncovered_after: float
    population: float
    areas: pd.DataFrame  # one row per community area of the district
    missing: tuple[str, ...] = ()
    not_hubs: tuple[str, ...] = ()

    @property
    def flag_changes(self) -> pd.DataFrame:
        """The areas whose flags (or under-served status) change."""
        areas = self.areas
        changed = (areas["flags_before"] != areas["flags_after"]) | (
            areas["under_served_before"] != areas["under_served_after"])
        return areas[changed.to_numpy()]

    def as_dict(self) -> dict[str, Any]:
        from assetmap.formats.geojson import plain_records

        return {
            "district": {"code": self.district_code, "name": self.district_name},
            **self.change.as_dict(),
            "missing": list(self.missing),
            "not_hubs": list(self.not_hubs),
            "population": round(self.population),
            "uncovered_before": round(self.uncovered_before),
            "uncovered_after": round(self.uncovered_after),
            "uncovered_change": round(self.uncovered_after - self.uncovered_before),
            "newly_outside": self.newly_outside.as_dict(),
            "newly_inside": self.newly_inside.as_dict(),
            "flag_changes": plain_records(self.flag_changes, list(self.areas.columns)),
            "areas": plain_records(self.areas, list(self.areas.columns)),
        }


def _flags(table: pd.DataFrame) -> list[str]:
    marks = np.column_stack([table[f].to_numpy(bool) for f in FLAGS])
    return [", ".join(f for f, on in zip(FLAGS, row, strict=True) if on) or "none"
            for row in marks]


def _area_table(today: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "code": today["code"].astype(str).to_numpy(),
        "name": (today["name"] if "name" in today else today["code"]).astype(str).to_numpy(),
        "unparished": today["unparished"].to_numpy(bool),
        "population": today["population"].to_numpy(float),
        "uncovered_before": today["uncovered_population"].to_numpy(float),
        "uncovered_after": after["uncovered_population"].to_numpy(float),
        "uncovered_change": (after["uncovered_population"].to_numpy(float)
                             - today["uncovered_population"].to_numpy(float)),
        "hubs_before": today["hub_count"].to_numpy(int),
        "hubs_after": after["hub_count"].to_numpy(int),
        "flags_before": _flags(today),
        "flags_after": _flags(after),
        "under_served_before": today["under_served"].to_numpy(bool),
        "under_served_after": after["under_served"].to_numpy(bool),
        "score_before": today["score"].to_numpy(float).round(1),
        "score_after": after["score"].to_numpy(float).round(1),
    })


def evaluate_scenario(
    index: CoverageIndex, checked: CheckedChange, district_code: str
) -> ScenarioOutcome:
    """The change's impact on one district (a code, see ``resolve_district``)."""
    part = index.district(district_code)
    after = coverage_after(index, checked)
    rows = part.rows
    within_before = index.count[rows] > 0
    within_after = after.count[rows] > 0
    hub_count = part.hub_count.copy()
    lookup = pd.Index(part.areas["code"].astype(str))
    for codes, step in ((index.hub_area[checked.columns], -1), (checked.open_area, 1)):
        where = lookup.get_indexer(pd.Series(codes, dtype=object).astype(str))
        np.add.at(hub_count, where[where >= 0], step)
    access = measured_rows(
        index.access, rows, within_catchment=within_after, hubs_in_catchment=after.count[rows],
        distance_to_nearest_hub_m=_distance_after(index, checked, rows),
    )
    measured = measure_areas(access, part.position, part.areas, hub_count, index.thresholds)
    lost, gained = (np.zeros(len(index.count), dtype=bool) for _ in range(2))
    lost[rows], gained[rows] = within_before & ~within_after, ~within_before & within_after
    areas = _area_table(part.today, measured)
    return ScenarioOutcome(
        district_code=district_code,
        district_name=index.district_names.get(district_code, district_code),
        change=checked.change,
        newly_outside=index.profile(lost),
        newly_inside=index.profile(gained),
        uncovered_before=float(part.today["uncovered_population"].sum()),
        uncovered_after=float(measured["uncovered_population"].sum()),
        population=float(part.today["population"].sum()),
        areas=areas,
        missing=checked.missing,
        not_hubs=checked.not_hubs,
    )
