"""Gap analysis: where people are far from, or short of, a place to meet.

Pure functions of GeoDataFrames; everything is measured in British National
Grid (EPSG:27700) whatever CRS the inputs arrive in. The method, with every
threshold and formula, is described for planners in docs/METHOD.md.

The public functions take raw frames and prepare them once
(:mod:`assetmap.analysis.inputs`); :func:`analyse_prepared` is the analysis on
frames already prepared (as :class:`~assetmap.analysis.AnalysisInputs` holds them).

Typical use::

    result = analyse(small_areas, community_areas, assets, catalog.hub_categories,
                     GapThresholds(), district="Blaby")
    result.community_areas  # ranked table with flags, reasons and score
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

import geopandas as gpd

from assetmap.analysis.access import access_table, small_area_access
from assetmap.analysis.areas import (
    assign_small_areas,
    count_hubs,
    focus,
    hub_positions,
    measure_areas,
    rank_within_districts,
)
from assetmap.analysis.inputs import (
    hubs_among,
    prepare_access_table,
    prepare_assets,
    prepare_community_areas,
    prepare_located,
    prepare_small_areas,
)
from assetmap.analysis.thresholds import GapThresholds
from assetmap.errors import DataError, NotFound

__all__ = [
    "GapResult",
    "analyse",
    "analyse_prepared",
    "community_area_gaps",
    "district_summary",
    "resolve_district",
    "select_hubs",
    "small_area_access",
]


@dataclass(frozen=True)
class GapResult:
    """Everything one analysis produced; all geometries in EPSG:27700.

    ``small_areas``: access per small area (see :func:`small_area_access`), with
    the community area and district each was counted in.
    ``community_areas``: measures, flags, ``reasons``, ``score`` and ``rank``.
    ``districts``: per-district totals over *all* community areas, plus the
    unparished subset. ``thresholds``: the settings, flat, for echoing.
    ``warnings``: data problems a reader should know about (never silent).
    ``hub_area_codes``: the community area each hub lies in (index of ``hubs``;
    None where it lies in none), among every community area of the county.
    """

    small_areas: gpd.GeoDataFrame
    community_areas: gpd.GeoDataFrame
    districts: pd.DataFrame
    hubs: gpd.GeoDataFrame
    thresholds: dict[str, float | int]
    district_code: str | None = None
    all_areas: bool = False
    warnings: tuple[str, ...] = ()
    hub_area_codes: pd.Series | None = None


def select_hubs(assets: gpd.GeoDataFrame, hub_categories: Iterable[str]) -> gpd.GeoDataFrame:
    """Assets that count as hubs: a hub category and not closed (EPSG:27700)."""
    return hubs_among(prepare_assets(assets), hub_categories)


def _record_areas(
    access: gpd.GeoDataFrame,
    position: np.ndarray,
    how: np.ndarray,
    areas: gpd.GeoDataFrame,
    *,
    report_unplaced: bool,
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Record each small area's community area and district; say what did not fit."""
    placed = position >= 0
    out = access.copy()
    # Unplaced rows keep whatever code they came with, so the warning can be traced.
    if "community_area_code" in out.columns:
        codes = out["community_area_code"].to_numpy(dtype=object).copy()
    else:
        codes = np.full(len(out), None, dtype=object)
    codes[placed] = areas["code"].to_numpy()[position[placed]]
    district = np.full(len(out), None, dtype=object)
    district[placed] = areas["district_code"].to_numpy()[position[placed]]
    warnings = []
    if "district_code" in out.columns:
        given = out["district_code"].to_numpy(dtype=object)
        differs = placed & pd.notna(given) & (given != district)
        if differs.any():
            warnings.append(
                f"{int(differs.sum()):,} small areas give a district_code different from "
                f"that of their community area; the community area's district is used."
            )
        district[~placed] = given[~placed]
    if report_unplaced and (~placed).any():
        people = float(out["population"].to_numpy()[~placed].sum())
        warnings.append(
            f"{int((~placed).sum()):,} small areas ({people:,.0f} residents) lie in no "
            f"community area (unknown community_area_code, or location outside every "
            f"area); they are left out of community-area and district figures."
        )
    out["community_area_code"] = codes
    out["district_code"] = district
    assigned_by = how.astype(object)
    assigned_by[~placed] = None
    out["assigned_by"] = assigned_by
    return out, warnings


def community_area_gaps(
    small_areas_access: gpd.GeoDataFrame,
    community_areas: gpd.GeoDataFrame,
    hubs: gpd.GeoDataFrame,
    thresholds: GapThresholds,
    *,
    all_areas: bool = False,
) -> gpd.GeoDataFrame:
    """Measures, flags, score and within-district rank of community areas.

    ``small_areas_access`` is the output of :func:`small_area_access`; each small
    area is counted in the area named by its ``community_area_code``, or, where
    that is missing, the area its location lies in. Unparished areas only unless
    ``all_areas``.
    """
    areas = prepare_community_areas(community_areas)
    access = prepare_access_table(
        small_areas_access,
        ["population", "distance_to_nearest_hub_m", "catchment_m", "within_catchment"],
        "community_area_gaps",
    )
    position, _ = assign_small_areas(access, areas)
    measured = measure_areas(
        access, position, areas, count_hubs(prepare_located(hubs, "hubs"), areas), thresholds
    )
    return rank_within_districts(focus(measured, all_areas))


def district_summary(
    area_gaps: pd.DataFrame, districts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per-district totals that the community-area rows of ``area_gaps`` sum to.

    Pass the table of *all* community areas for district-wide totals; the
    ``unparished_*`` columns then give the unparished subset. ``districts``
    (with ``code`` and ``name``) adds district names.
    """
    table = pd.DataFrame(
        {
            "district_code": area_gaps["district_code"].to_numpy(),
            "community_areas": 1,
            "population": area_gaps["population"].to_numpy(float),
            "uncovered_population": area_gaps["uncovered_population"].to_numpy(float),
            "hubs": area_gaps["hub_count"].to_numpy(),
            "areas_under_served": area_gaps["under_served"].to_numpy(int),
        }
    )
    for flag in ("no_hub", "poor_access", "over_capacity", "high_need"):
        table[f"areas_{flag}"] = area_gaps[flag].to_numpy(int)
    unparished = area_gaps["unparished"].to_numpy(bool)
    for column in ("community_areas", "population", "uncovered_population", "areas_under_served"):
        table[f"unparished_{column}"] = np.where(unparished, table[column], 0)
    summary = table.groupby("district_code", sort=True).sum().reset_index()
    for prefix in ("", "unparished_"):
        population = summary[f"{prefix}population"].to_numpy(float)
        uncovered = summary[f"{prefix}uncovered_population"].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(population > 0, uncovered / population, np.nan)
        at = summary.columns.get_loc(f"{prefix}uncovered_population")
        summary.insert(int(at) + 1, f"{prefix}uncovered_share", share)
    if districts is not None and {"code", "name"} <= set(districts.columns):
        names = dict(zip(districts["code"], districts["name"], strict=False))
        summary.insert(1, "district_name", summary["district_code"].map(names))
    return summary


def resolve_district(
    district: str, community_areas: pd.DataFrame, districts: pd.DataFrame | None = None
) -> str:
    """The district code meant by ``district`` (a code or a name, any case)."""
    codes = sorted(set(community_areas["district_code"].dropna().astype(str)))
    names: dict[str, str] = {}
    if districts is not None and {"code", "name"} <= set(districts.columns):
        names = {str(c): str(n) for c, n in zip(districts["code"], districts["name"], strict=False)}
    wanted = district.strip().casefold()
    for code in codes:
        if wanted in (code.casefold(), names.get(code, "").casefold()):
            return str(code)
    valid = ", ".join(f"{names[c]} ({c})" if c in names else c for c in codes)
    raise NotFound(f"Unknown district {district!r}. Use one of these names or codes: {valid}.")


def analyse(
    small_areas: gpd.GeoDataFrame,
    community_areas: gpd.GeoDataFrame,
    assets: gpd.GeoDataFrame,
    hub_categories: Iterable[str],
    thresholds: GapThresholds | None = None,
    district: str | None = None,
    all_areas: bool = False,
    *,
    districts: pd.DataFrame | None = None,
) -> GapResult:
    """Run the whole gap analysis, for one district (code or name) or all of them.

    Hubs in every district count for distances (people cross district lines);
    figures and ranks cover the chosen district's community areas. ``districts``
    (``code``, ``name``) lets ``district`` be a name and names the summary rows.
    """
    thresholds = thresholds or GapThresholds()
    areas = prepare_community_areas(community_areas)
    hubs = select_hubs(assets, hub_categories)
    small = prepare_small_areas(small_areas)
    chosen = None if district is None else resolve_district(district, areas, districts)
    return analyse_prepared(
        small, areas, hubs, thresholds, district_code=chosen, all_areas=all_areas,
        districts=districts,
    )


def _active_hubs(
    hubs: gpd.GeoDataFrame, hub_position: np.ndarray, n_areas: int, thresholds: GapThresholds
) -> np.ndarray | None:
    """Hubs per area counted by their activity weight, when ``activity_weighting`` is on."""
    if not thresholds.activity_weighting:
        return None
    if "activity_weight" not in hubs.columns:
        raise DataError(
            "activity_weighting needs each hub's activity_weight (AnalysisInputs.hubs_for, "
            "from the activities layer); import activities or leave activity_weighting off"
        )
    weights = hubs["activity_weight"].to_numpy(dtype=float)
    placed = hub_position >= 0
    return np.bincount(hub_position[placed], weights=weights[placed], minlength=n_areas)


def analyse_prepared(
    small_areas: gpd.GeoDataFrame,
    community_areas: gpd.GeoDataFrame,
    hubs: gpd.GeoDataFrame,
    thresholds: GapThresholds,
    *,
    district_code: str | None = None,
    all_areas: bool = False,
    districts: pd.DataFrame | None = None,
) -> GapResult:
    """:func:`analyse` on prepared layers: checked, in EPSG:27700, hubs already chosen.

    ``district_code`` is a code (see :func:`resolve_district`) or None for every district.
    """
    chosen, areas, small = district_code, community_areas, small_areas
    if chosen is not None and "community_area_code" in small.columns:
        # Cheap pre-filter: small areas coded to another district's areas cannot count.
        ours = areas["code"][(areas["district_code"] == chosen).to_numpy()]
        codes = small["community_area_code"]
        small = small[(codes.isna() | codes.isin(ours)).to_numpy()]
    access = access_table(small, hubs, thresholds)
    # Small areas and hubs are placed among *every* community area, so a one-district
    # run counts exactly what the whole run counts for that district.
    position, how = assign_small_areas(access, areas)
    hub_position = hub_positions(hubs, areas)
    hub_count = np.bincount(hub_position[hub_position >= 0], minlength=len(areas))
    active = _active_hubs(hubs, hub_position, len(areas), thresholds)
    if chosen is not None:
        # In a one-district run, small areas outside the district simply do not belong.
        in_district = (areas["district_code"] == chosen).to_numpy()
        keep = (position >= 0) & in_district[np.maximum(position, 0)]
        renumber = np.cumsum(in_district) - 1
        access, position, how = access[keep], renumber[position[keep]], how[keep]
        areas, hub_count = areas[in_district], hub_count[in_district]
        active = active[in_district] if active is not None else None
    access, warnings = _record_areas(
        access, position, how, areas, report_unplaced=chosen is None
    )
    measured = measure_areas(access, position, areas, hub_count, thresholds, active_hubs=active)
    hub_codes = np.full(len(hubs), None, dtype=object)
    hub_codes[hub_position >= 0] = community_areas["code"].to_numpy()[
        hub_position[hub_position >= 0]
    ]
    return GapResult(
        small_areas=access,
        community_areas=rank_within_districts(focus(measured, all_areas)),
        districts=district_summary(measured, districts),
        hubs=hubs,
        thresholds=thresholds.as_flat_dict(),
        district_code=chosen,
        all_areas=all_areas,
        warnings=tuple(warnings),
        hub_area_codes=pd.Series(hub_codes, index=hubs.index, dtype=object),
    )
