"""Per-community-area measures, flags, score and rank, from small-area access.

The arithmetic is stated for planners in assetmap/analysis/method.py (docs/METHOD.md is
generated from it); keep the two in step.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import geopandas as gpd

from assetmap.analysis.inputs import point_coordinates
from assetmap.analysis.thresholds import GapThresholds
from assetmap.locate import assign_to_areas

__all__ = [
    "COMPONENTS",
    "SCORE_DECIMALS",
    "assign_small_areas",
    "count_hubs",
    "focus",
    "hub_positions",
    "is_unparished",
    "measure_areas",
    "rank_bands",
    "rank_within_districts",
]

COMPONENTS = ("uncovered", "distance", "capacity", "need")
SCORE_DECIMALS = 1  # the precision reports show scores at; ranks tied at it share a band
INSIDE_ONLY = 0.0  # assign_to_areas tolerance: inside (or on) the boundary, never "nearest"
# Open-ended measures are divided by this multiple of their threshold, then capped at 1,
# so a component reads 0.5 exactly at its flag threshold.
_CAP_MULTIPLE = 2.0


def _area_of(points: gpd.GeoSeries, areas: gpd.GeoDataFrame) -> np.ndarray:
    """Position in ``areas`` of the area each point lies in (-1 for none).

    The one rule of :func:`assetmap.locate.assign_to_areas`: the area a point lies
    in; on a shared boundary, or inside several, the smallest code, so the answer
    does not depend on input order. With no tolerance: the method counts what lies
    inside an area's boundary (docs/METHOD.md), and a library just over the county
    line must not count for the district beside it.
    """
    if len(points) == 0 or len(areas) == 0:
        return np.full(len(points), -1, dtype=np.int64)
    codes = assign_to_areas(points, areas, "code", tolerance_m=INSIDE_ONLY)
    lookup = pd.Index(areas["code"].astype(str))
    position = np.full(len(points), -1, dtype=np.int64)
    found = codes.notna().to_numpy()
    position[found] = lookup.get_indexer(codes[found])
    return position


def hub_positions(hubs: gpd.GeoDataFrame, community_areas: gpd.GeoDataFrame) -> np.ndarray:
    """Position in ``community_areas`` of the area each hub is in (-1: none, or no location)."""
    xy = point_coordinates(hubs.geometry)
    placed = np.isfinite(xy).all(axis=1)
    points = gpd.GeoSeries(
        gpd.points_from_xy(xy[placed, 0], xy[placed, 1]), crs=community_areas.crs
    )
    position = np.full(len(hubs), -1, dtype=np.int64)
    position[placed] = _area_of(points, community_areas)
    return position


def count_hubs(hubs: gpd.GeoDataFrame, community_areas: gpd.GeoDataFrame) -> np.ndarray:
    """Number of hubs in each community area (EPSG:27700; see :func:`hub_positions`)."""
    inside = hub_positions(hubs, community_areas)
    return np.bincount(inside[inside >= 0], minlength=len(community_areas))


def assign_small_areas(
    access: gpd.GeoDataFrame, community_areas: gpd.GeoDataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Community-area position of each small area (-1 for none) and how it was found.

    By the small area's ``community_area_code`` where given; otherwise spatially,
    by the community area its location point lies in.
    """
    position = np.full(len(access), -1, dtype=np.int64)
    by_code = np.zeros(len(access), dtype=bool)
    if "community_area_code" in access.columns:
        codes = access["community_area_code"]
        by_code = codes.notna().to_numpy()
        lookup = pd.Index(community_areas["code"])
        position[by_code] = lookup.get_indexer(codes[by_code])
    if not by_code.all():
        located = access.loc[~by_code, ["location_easting", "location_northing"]].to_numpy()
        points = gpd.GeoSeries(
            gpd.points_from_xy(located[:, 0], located[:, 1]), crs=community_areas.crs
        )
        position[~by_code] = _area_of(points, community_areas)
    how = np.where(by_code, "code", "location")
    return position, how


def is_unparished(community_areas: pd.DataFrame) -> np.ndarray:
    """True for unparished areas: ``governance`` says so, or (without it) an E43 code."""
    if "governance" in community_areas.columns:
        return np.asarray(community_areas["governance"] == "unparished", dtype=bool)
    return np.asarray(community_areas["code"].astype(str).str.startswith("E43"), dtype=bool)


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole > 0, part / np.where(whole > 0, whole, 1), np.nan)


def _percent(share: float, threshold: float) -> str:
    """Whole per cent, with a decimal when rounding would hide that it beats the threshold."""
    if round(share * 100) == round(threshold * 100):
        return f"{share:.1%}"
    return f"{share:.0%}"


def _reasons(table: pd.DataFrame, thresholds: GapThresholds) -> list[str]:
    deciles = thresholds.deprived_label
    reasons = []
    for row in table[
        [
            "population",
            "no_hub",
            "poor_access",
            "over_capacity",
            "high_need",
            "share_outside_catchment",
            "residents_per_hub",
            "deprived_share",
        ]
    ].itertuples(index=False):
        parts = []
        if row.population <= 0:
            parts.append("no residents")
        if row.no_hub:
            parts.append("no hub")
        if row.poor_access:
            share = _percent(row.share_outside_catchment, thresholds.poor_access_share)
            parts.append(f"{share} of residents outside every catchment")
        if row.over_capacity:
            parts.append(f"{row.residents_per_hub:,.0f} residents per hub")
        if row.high_need:
            share = _percent(row.deprived_share, thresholds.high_need_share)
            parts.append(f"high need: {share} of residents in {deciles}")
        reasons.append("; ".join(parts))
    return reasons


def measure_areas(
    access: gpd.GeoDataFrame,
    position: np.ndarray,
    community_areas: gpd.GeoDataFrame,
    hub_count: np.ndarray,
    thresholds: GapThresholds,
    *,
    active_hubs: np.ndarray | None = None,
) -> gpd.GeoDataFrame:
    """Measures, flags, components and score for every community area (no rank yet).

    ``position`` gives each small area's row in ``community_areas`` (-1: none);
    ``hub_count`` the hubs inside each community area. ``active_hubs``, when the analysis
    weights hubs by their activity (``activity_weighting``), is each area's hubs counted by
    that weight (:mod:`assetmap.analysis.activity`): residents per hub divide by it instead.
    """
    out = community_areas.copy()
    out["unparished"] = is_unparished(community_areas)
    reach = _add_measures(out, access, position, hub_count, thresholds)
    if active_hubs is not None:
        out["active_hubs"] = active_hubs
        out["residents_per_hub"] = _share(out["population"].to_numpy(), active_hubs)
    _add_flags(out, thresholds)
    _add_score(out, reach, thresholds)
    return out


def _add_measures(
    out: gpd.GeoDataFrame,
    access: gpd.GeoDataFrame,
    position: np.ndarray,
    hub_count: np.ndarray,
    thresholds: GapThresholds,
) -> np.ndarray:
    """Population-weighted measures per area; returns the mean distance component."""
    assigned = position >= 0
    where = position[assigned]
    pop = access["population"].to_numpy(dtype=float)[assigned]
    distance = access["distance_to_nearest_hub_m"].to_numpy(dtype=float)[assigned]
    catchment = access["catchment_m"].to_numpy(dtype=float)[assigned]
    outside = ~access["within_catchment"].to_numpy(dtype=bool)[assigned]
    if "imd_decile" in access.columns:
        decile = pd.to_numeric(access["imd_decile"], errors="coerce").to_numpy(float)[assigned]
    else:
        decile = np.full(len(pop), np.nan)
    known = np.isfinite(decile)
    deprived = known & (decile <= thresholds.deprived_deciles)
    # Distance as a multiple of the small area's own catchment, capped: 0 at a hub,
    # 0.5 on the catchment edge, 1 at twice the catchment or with no hub at all.
    with np.errstate(invalid="ignore"):
        reach = np.where(
            np.isnan(distance),
            1.0,
            np.minimum(distance / catchment, _CAP_MULTIPLE) / _CAP_MULTIPLE,
        )

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(where, weights=values, minlength=len(out))

    population = total(pop)
    uncovered = total(pop * outside)
    known_pop = total(pop * known)
    with np.errstate(invalid="ignore"):
        distance_sum = total(pop * distance)  # NaN only when there is no hub anywhere
    out["small_areas"] = np.bincount(where, minlength=len(out))
    out["population"] = population
    out["hub_count"] = hub_count
    out["residents_per_hub"] = _share(population, hub_count.astype(float))
    out["uncovered_population"] = uncovered
    out["share_outside_catchment"] = _share(uncovered, population)
    out["pop_weighted_mean_distance_m"] = _share(distance_sum, population)
    out["imd_known_share"] = np.nan_to_num(_share(known_pop, population))
    out["deprived_share"] = _share(total(pop * deprived), known_pop)
    return np.asarray(np.nan_to_num(_share(total(pop * reach), population)), dtype=float)


def _add_flags(out: gpd.GeoDataFrame, thresholds: GapThresholds) -> None:
    """The four flags, ``under_served`` and the readable ``reasons``."""
    has_people = out["population"].to_numpy() > 0
    hub_count = out["hub_count"].to_numpy()
    out["no_hub"] = hub_count == 0
    out["poor_access"] = has_people & (
        out["share_outside_catchment"].to_numpy() > thresholds.poor_access_share
    )
    out["over_capacity"] = (hub_count > 0) & (
        out["residents_per_hub"].to_numpy() > thresholds.over_capacity_residents_per_hub
    )
    out["high_need"] = np.nan_to_num(out["deprived_share"].to_numpy()) > thresholds.high_need_share
    out["under_served"] = has_people & (out["no_hub"] | out["poor_access"] | out["over_capacity"])
    out["reasons"] = _reasons(out, thresholds)


def _add_score(out: gpd.GeoDataFrame, reach: np.ndarray, thresholds: GapThresholds) -> None:
    """Components (each 0–1, rising as things get worse) and the weighted 0–100 score."""
    has_people = out["population"].to_numpy() > 0
    per_hub = np.nan_to_num(out["residents_per_hub"].to_numpy())
    capacity_scale = _CAP_MULTIPLE * thresholds.over_capacity_residents_per_hub
    capacity = np.where(out["no_hub"].to_numpy(), 1.0, np.minimum(per_hub / capacity_scale, 1.0))
    components = {
        "uncovered": np.nan_to_num(out["share_outside_catchment"].to_numpy()),
        "distance": reach,
        "capacity": np.where(has_people, capacity, 0.0),
        "need": np.nan_to_num(out["deprived_share"].to_numpy()),
    }
    weights = thresholds.weights.model_dump()
    score = np.zeros(len(out))
    for name in COMPONENTS:
        out[f"component_{name}"] = components[name]
        score += weights[name] * components[name]
    out["score"] = 100.0 * score


def focus(areas: gpd.GeoDataFrame, all_areas: bool) -> gpd.GeoDataFrame:
    """Unparished areas only, unless ``all_areas``."""
    return areas if all_areas else areas[areas["unparished"].to_numpy()]


def rank_within_districts(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add ``rank`` (1 = most under-served) within each district, sorted by it.

    Under-served areas come first, then by score (high first), then population
    (larger first), then code, so ties always resolve the same way.
    """
    ordered = areas.sort_values(
        ["district_code", "under_served", "score", "population", "code"],
        ascending=[True, False, False, False, True],
        kind="mergesort",
    ).copy()
    ordered["rank"] = ordered.groupby("district_code", sort=False).cumcount().to_numpy() + 1
    ordered["rank_band"] = rank_bands(ordered)
    return ordered.reset_index(drop=True)


def rank_bands(ordered: pd.DataFrame) -> np.ndarray:
    """Each rank as shown: ``"3"``, or a band such as ``"3–4"`` where shown scores tie.

    ``ordered`` is sorted and ranked by :func:`rank_within_districts`. Neighbouring
    ranks of one district, with the same under-served flag, whose scores are equal
    at the precision reports show (:data:`SCORE_DECIMALS`) cannot honestly be told
    apart, so they share a band, first to last rank (``"3–5"``). A band never starts
    with "=" (spreadsheets would read ``=3`` as a formula).
    """
    shown = np.round(ordered["score"].to_numpy(float), SCORE_DECIMALS)
    keys = pd.DataFrame(
        {
            "district": ordered["district_code"].to_numpy(),
            "under": ordered["under_served"].to_numpy(bool),
            "score": np.where(np.isnan(shown), -np.inf, shown),
        }
    )
    new = (keys != keys.shift()).any(axis=1).to_numpy()
    group = np.cumsum(new)
    rank = ordered["rank"].to_numpy(int)
    first = pd.Series(rank).groupby(group).transform("min").to_numpy()
    last = pd.Series(rank).groupby(group).transform("max").to_numpy()
    return np.array(
        [
            str(a) if a == b else f"{a}–{b}"
            for a, b in zip(first, last, strict=True)
        ],
        dtype=object,
    )
