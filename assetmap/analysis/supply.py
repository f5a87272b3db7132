"""Capacity-aware access: hub places per 1,000 residents by an enhanced two-step
floating catchment (E2SFCA; Luo and Qi, 2009).

Step 1, each hub j: its capacity S_j (people it holds; ``DEFAULT_CAPACITY`` where the
register does not say) over the residents who could use it, each small area i
counted with a distance-decay weight W(d_ij / r_i) when the hub lies within that
small area's own catchment r_i::

    R_j = S_j / Σ_{i: d_ij ≤ r_i} W(d_ij / r_i) P_i

Step 2, each small area: A_i = Σ_{j: d_ij ≤ r_i} W(d_ij / r_i) R_j, places per
resident, shown per 1,000. Every place of a hub that reaches anyone is shared out,
so Σ_i P_i A_i is the total capacity of those hubs. Residents who compete for one
small hall show a low figure; residents per hub inside a boundary cannot show that.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

import geopandas as gpd
import shapely

from assetmap.analysis.access import (
    catchment_radii,
    hub_locations,
    small_area_locations,
    urban_flags,
)
from assetmap.analysis.gaps import GapResult
from assetmap.analysis.inputs import point_coordinates
from assetmap.analysis.thresholds import GapThresholds
from assetmap.errors import ValidationFailed

__all__ = [
    "DECAYS",
    "DEFAULT_CAPACITY",
    "GAUSSIAN_EDGE_SIGMA",
    "STEPS",
    "SUPPLY_COLUMN",
    "Supply",
    "SupplyFigures",
    "add_supply",
    "decay_weight",
    "district_supply",
    "e2sfca",
    "hub_capacities",
    "with_supply",
]

DEFAULT_CAPACITY = 100  # people a hub holds when its record does not say (layers/assets.yaml)
GAUSSIAN_EDGE_SIGMA = 0.5  # Gaussian width as a share of the catchment: weight 0.135 at the edge
# Stepped decay (Luo and Qi, 2009): full weight in the nearest third of the catchment.
STEPS = ((1 / 3, 1.0), (2 / 3, 0.68), (1.0, 0.22))
DECAYS = ("gaussian", "stepped")


def decay_weight(relative: np.ndarray, decay: str = "gaussian") -> np.ndarray:
    """W(t) for t = distance ÷ own catchment (0 beyond the catchment, t > 1)."""
    t = np.asarray(relative, dtype=float)
    if decay == "gaussian":
        w = np.exp(-(t * t) / (2 * GAUSSIAN_EDGE_SIGMA**2))
    elif decay == "stepped":
        w = np.zeros_like(t)
        for edge, value in reversed(STEPS):
            w = np.where(t <= edge, value, w)
    else:
        raise ValidationFailed(
            f"decay={decay!r}: use one of {', '.join(DECAYS)}.",
            details=[{"field": "decay", "problem": f"must be one of {', '.join(DECAYS)}"}],
        )
    return np.where(t <= 1.0, w, 0.0)


@dataclass(frozen=True)
class Supply:
    """E2SFCA figures: per small area (``per_resident``) and per hub."""

    per_resident: np.ndarray  # A_i, places per resident
    hub_ratio: np.ndarray  # R_j, places per weighted resident
    hub_demand: np.ndarray  # Σ W P, the weighted residents competing for each hub
    capacity: np.ndarray

    @property
    def reaching(self) -> np.ndarray:
        """Hubs with someone in reach (whose places are shared out)."""
        return np.asarray(self.hub_demand > 0)


def _pairs(
    demand_xy: np.ndarray, catchment_m: np.ndarray, supply_xy: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(small area, hub, distance) for every hub within each small area's own catchment."""
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    if len(demand_xy) and len(supply_xy):
        hubs = cKDTree(supply_xy)
        for radius in np.unique(catchment_m):
            members = np.flatnonzero(catchment_m == radius)
            pairs = cKDTree(demand_xy[members]).sparse_distance_matrix(
                hubs, float(radius), output_type="ndarray")
            found.append((members[pairs["i"]], pairs["j"].astype(np.int64), pairs["v"]))
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    area, hub, distance = (np.concatenate(part) for part in zip(*found, strict=True))
    return area, hub, distance


def e2sfca(
    demand_xy: np.ndarray, population: np.ndarray, catchment_m: np.ndarray,
    supply_xy: np.ndarray, capacity: np.ndarray, decay: str = "gaussian",
) -> Supply:
    """The two steps over sparse (small area, hub) pairs within each own catchment."""
    area, hub, distance = _pairs(demand_xy, catchment_m, supply_xy)
    weight = decay_weight(distance / catchment_m[area], decay)
    demand = np.bincount(hub, weights=weight * population[area], minlength=len(supply_xy))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(demand > 0, capacity / demand, 0.0)
    per_resident = np.bincount(area, weights=weight * ratio[hub], minlength=len(demand_xy))
    return Supply(per_resident=per_resident, hub_ratio=ratio, hub_demand=demand,
                  capacity=np.asarray(capacity, dtype=float))


def hub_capacities(hubs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each hub's capacity, and whether its record gave one (a whole number above 0)."""
    if "capacity" not in hubs.columns:
        return np.full(len(hubs), float(DEFAULT_CAPACITY)), np.zeros(len(hubs), dtype=bool)
    given = pd.to_numeric(hubs["capacity"], errors="coerce").to_numpy(float)
    known = np.isfinite(given) & (given > 0)
    return np.where(known, given, float(DEFAULT_CAPACITY)), known


@dataclass(frozen=True)
class SupplyFigures:
    """One district's E2SFCA figures, for the report and the API."""

    per_1000: pd.Series  # per small area (index of the district's access table)
    decay: str
    hubs_used: int
    hubs_known_capacity: int
    default_capacity: int = DEFAULT_CAPACITY


def _window(frame: gpd.GeoDataFrame, bounds: np.ndarray, margin: float) -> np.ndarray:
    """Positions of rows whose shape meets ``bounds`` grown by ``margin`` (or has none)."""
    box = (bounds[0] - margin, bounds[1] - margin, bounds[2] + margin, bounds[3] + margin)
    hits = frame.sindex.query(shapely.box(*box), predicate="intersects")
    missing = np.flatnonzero(frame.geometry.isna().to_numpy() | frame.geometry.is_empty)
    return np.union1d(hits, missing)


def district_supply(
    small_areas: gpd.GeoDataFrame, hubs: gpd.GeoDataFrame, district_access: pd.DataFrame,
    thresholds: GapThresholds, decay: str = "gaussian",
) -> SupplyFigures:
    """E2SFCA for one district's small areas, with every competing resident counted.

    A district's hubs also serve residents across its border, so the demand is every
    small area within twice the largest catchment of the district (those are all who
    share its hubs) and the supply every hub within one catchment: the district's
    figures are exactly those of a county-wide run, at a fraction of the cost.
    ``small_areas`` and ``hubs`` are the county's, prepared (EPSG:27700).
    """
    decay_weight(np.zeros(1), decay)  # refuse an unknown decay before any work
    reach = max(thresholds.urban_catchment_m, thresholds.rural_catchment_m)
    xy = district_access[["location_easting", "location_northing"]].to_numpy(float)
    if not len(xy):
        return SupplyFigures(pd.Series(dtype=float), decay, 0, 0)
    bounds = np.array([*xy.min(axis=0), *xy.max(axis=0)])
    local = small_areas.iloc[_window(small_areas, bounds, 2 * reach)]
    population = local["population"].to_numpy(float)
    local_xy, _ = small_area_locations(local)
    urban, _ = urban_flags(local, population, thresholds.urban_density_per_km2)
    hub_xy, _ = hub_locations(hubs)
    placed = np.isfinite(point_coordinates(hubs.geometry)).all(axis=1)
    capacity, known = hub_capacities(hubs[placed])
    near = ((hub_xy[:, 0] >= bounds[0] - reach) & (hub_xy[:, 0] <= bounds[2] + reach)
            & (hub_xy[:, 1] >= bounds[1] - reach) & (hub_xy[:, 1] <= bounds[3] + reach))
    supply = e2sfca(local_xy, population, catchment_radii(urban, thresholds), hub_xy[near],
                    capacity[near], decay)
    per_1000 = pd.Series(supply.per_resident * 1000, index=local.index)
    return SupplyFigures(
        per_1000=per_1000.reindex(district_access.index),
        decay=decay,
        hubs_used=int(near.sum()),
        hubs_known_capacity=int(known[near].sum()),
    )


SUPPLY_COLUMN = "hub_places_per_1000"


def _per_1000_by(codes: pd.Series, population: np.ndarray, per_1000: np.ndarray) -> pd.Series:
    """Residents-weighted hub places per 1,000 for each code: Σ P·A ÷ Σ P × 1,000."""
    frame = pd.DataFrame({"code": codes.to_numpy(), "people": population,
                          "places": population * np.nan_to_num(per_1000)})
    sums = frame.groupby("code", sort=False)[["people", "places"]].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        return sums["places"] / sums["people"].where(sums["people"] > 0)


def with_supply(result: GapResult, figures: SupplyFigures) -> GapResult:
    """``result`` with ``hub_places_per_1000`` per small area, community area and district.

    A measure beside the others: flags, score and ranks do not use it.
    """
    small = result.small_areas.copy()
    per_1000 = figures.per_1000.reindex(small.index).to_numpy(float)
    small[SUPPLY_COLUMN] = per_1000
    population = small["population"].to_numpy(float)
    areas = result.community_areas.copy()
    by_area = _per_1000_by(small["community_area_code"].astype(object), population, per_1000)
    areas[SUPPLY_COLUMN] = areas["code"].map(by_area).astype(float)
    districts = result.districts.copy()
    by_district = _per_1000_by(small["district_code"].astype(object), population, per_1000)
    districts[SUPPLY_COLUMN] = districts["district_code"].map(by_district).astype(float)
    return replace(result, small_areas=small, community_areas=areas, districts=districts)


def add_supply(
    result: GapResult, small_areas: gpd.GeoDataFrame, hubs: gpd.GeoDataFrame,
    thresholds: GapThresholds, decay: str = "gaussian",
) -> tuple[GapResult, SupplyFigures]:
    """:func:`district_supply` for ``result``'s small areas, added by :func:`with_supply`."""
    figures = district_supply(small_areas, hubs, result.small_areas, thresholds, decay)
    return with_supply(result, figures), figures
