"""One district's result: the analysis, the siting shortlist and their context.

:func:`build_district_report` runs the gap analysis for one district and the
siting search on the district's small areas, on :class:`AnalysisInputs` that
were checked and projected when they were built (nothing is checked or
reprojected here), and keeps everything a reader needs to check the figures:
the thresholds, the data sources and their vintage, whether the data is
synthetic, and when the report was made. Every output format (HTML, PDF, CSV,
GeoJSON, GeoPackage, in :mod:`assetmap.reports`) is rendered from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cached_property

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

import geopandas as gpd

from assetmap.analysis.activity import KnownGroups, groups_table, known_groups
from assetmap.analysis.areas import INSIDE_ONLY
from assetmap.analysis.gaps import GapResult, analyse_prepared, resolve_district
from assetmap.analysis.inputs import AnalysisInputs, point_coordinates
from assetmap.analysis.naming import name_sites, with_localities
from assetmap.analysis.siting import KIND_SMALL_AREA, greedy_sites, non_hub_assets
from assetmap.analysis.thresholds import GapThresholds
from assetmap.analysis.views import DistrictViews, district_views
from assetmap.locate import assign_to_areas
from assetmap.provenance import NO_PARISHES, Source

_CATEGORY_LABELS = {
    "community_hub": "community hub",
    "village_hall": "village hall",
    "community_centre": "community centre",
    "community_library": "community-managed library",
    "council_library": "council library",
    "church_hall": "church hall",
    "community_cafe": "community café",
}


def category_labels(categories: Iterable[str]) -> str:
    """``"community hub, village hall"`` for ``("community_hub", "village_hall")``."""
    return ", ".join(_CATEGORY_LABELS.get(c, c.replace("_", " ")) for c in categories)


def _and(labels: str) -> str:
    """``"a, b and c"`` from ``"a, b, c"``."""
    head, _, last = labels.rpartition(", ")
    return f"{head} and {last}" if head else last

__all__ = [
    "DistrictReport",
    "absent_categories",
    "build_district_report",
    "category_labels",
    "district_hubs",
]


@dataclass(frozen=True)
class DistrictReport:
    """One district's gap report: the analysis, the siting shortlist and their context.

    Geometries are in EPSG:27700. ``district_areas`` holds *every* community
    area of the district (the ranked ones and, by default, the parished ones
    that were not ranked) so maps can show the whole district; ``boundary`` is
    the district's own outline (empty when the districts layer lacks it).
    ``candidates`` are the existing assets considered as sites.
    """

    district_code: str
    district_name: str
    result: GapResult
    sites: gpd.GeoDataFrame
    thresholds: GapThresholds
    sources: tuple[Source, ...]
    synthetic: bool
    generated: datetime
    all_areas: bool
    n_sites: int
    hub_categories: tuple[str, ...]
    district_areas: gpd.GeoDataFrame
    boundary: gpd.GeoDataFrame
    candidates: gpd.GeoDataFrame
    notice: str = ""
    attribution: str = ""
    extra_warnings: tuple[str, ...] = ()
    fallback_units: str = ""  # e.g. "LSOAs" when ranked instead of missing parishes
    absent_categories: tuple[str, ...] = ()  # hub categories with no asset loaded
    # Who works in each community area (assetmap.analysis.activity); empty with no organisations.
    known_groups: KnownGroups = field(default_factory=KnownGroups)
    # Equality view, stale coverage and rank stability (assetmap.analysis.views).
    views: DistrictViews | None = None

    @property
    def groups_by_area(self) -> pd.DataFrame:
        """The groups known to work in each ranked area, and where there is neither a hub nor
        a group (:func:`~assetmap.analysis.activity.groups_table`)."""
        return groups_table(self.areas, self.known_groups, self.district_code)

    @property
    def view(self) -> str:
        """What the figures can see when some hub categories have no assets ("" when all do).

        E.g. "community-managed library and council library access view: community hub,
        village hall, community centre and church hall not loaded".
        """
        if not self.absent_categories:
            return ""
        seen = [c for c in self.hub_categories if c not in self.absent_categories]
        return (f"{_and(category_labels(seen))} access view: "
                f"{_and(category_labels(self.absent_categories))} not loaded")

    @property
    def title(self) -> str:
        view = f" ({self.view})" if self.view else ""
        return f"Gap report: {self.district_name}{view}"

    @property
    def areas(self) -> gpd.GeoDataFrame:
        """The ranked community areas of this district, rank 1 first."""
        return self.result.community_areas

    @property
    def summary(self) -> dict[str, float]:
        """District-wide totals (every community area), from ``GapResult.districts``."""
        rows = self.result.districts
        row = rows[rows["district_code"] == self.district_code]
        if not len(row):
            return {}
        values = row.iloc[0].to_dict()
        return {k: v for k, v in values.items() if k not in ("district_code", "district_name")}

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(self.result.warnings) + tuple(self.extra_warnings)

    @cached_property
    def hubs(self) -> gpd.GeoDataFrame:
        """Hubs that matter here: inside the district, or nearest to some of its residents.

        Adds ``in_district`` and ``catchment_m``: the catchment of the district small
        area whose residents are nearest the hub (for drawing catchment circles).
        """
        return district_hubs(self.result, self.district_areas)

    @property
    def focus_label(self) -> str:
        if self.fallback_units:
            return f"{self.fallback_units} as fallback units: parish boundaries not loaded"
        return "every community area" if self.all_areas else "unparished areas only"


def absent_categories(inputs: AnalysisInputs) -> tuple[str, ...]:
    """Hub categories with no asset in the store, when some others have assets."""
    assets = inputs.assets
    loaded = set(assets["category"].dropna().astype(str)) if "category" in assets else set()
    if not loaded:
        return ()
    return tuple(c for c in inputs.hub_categories if c not in loaded)


def _district_name(code: str, districts: pd.DataFrame) -> str:
    if {"code", "name"} <= set(districts.columns):
        match = districts.loc[districts["code"].astype(str) == code, "name"]
        if len(match) and pd.notna(match.iloc[0]):
            return str(match.iloc[0])
    return code


def _in_district(
    assets: gpd.GeoDataFrame, code: str, community_areas: gpd.GeoDataFrame
) -> np.ndarray:
    """Assets of the district: by their ``district_code``, else by the area they lie in."""
    if "district_code" in assets.columns:
        return np.asarray(assets["district_code"].astype(object) == code, dtype=bool)
    ours = community_areas["code"][(community_areas["district_code"] == code).to_numpy()]
    return _in_areas(assets, community_areas, set(ours.astype(str)))


def _in_areas(
    points: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, codes: set[str] | None = None
) -> np.ndarray:
    """True for points that :func:`assetmap.locate.assign_to_areas` puts in one of ``areas``
    (or, given ``codes``, in one of the areas with those codes)."""
    if not len(points) or not len(areas):
        return np.zeros(len(points), dtype=bool)
    found = assign_to_areas(points, areas, "code", tolerance_m=INSIDE_ONLY)
    return np.asarray(found.isin(codes) if codes is not None else found.notna(), dtype=bool)


def district_hubs(result: GapResult, district_areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """See :attr:`DistrictReport.hubs`."""
    hubs = result.hubs
    ids = hubs["id"].astype(str) if "id" in hubs.columns else pd.Series(hubs.index.astype(str))
    nearest = set(result.small_areas["nearest_hub_id"].dropna().astype(str))
    if result.hub_area_codes is not None:
        inside = result.hub_area_codes.isin(set(district_areas["code"])).to_numpy(bool)
    else:
        inside = _in_areas(hubs, district_areas)
    keep = inside | ids.isin(nearest).to_numpy()
    out = hubs[keep].copy()
    out["in_district"] = inside[keep]
    small = result.small_areas
    catchment = np.full(len(out), np.nan)
    points = point_coordinates(out.geometry)
    placed = np.isfinite(points).all(axis=1)
    if len(small) and placed.any():
        located = small[["location_easting", "location_northing"]].to_numpy(float)
        _, nearest_area = cKDTree(located).query(points[placed])
        catchment[placed] = small["catchment_m"].to_numpy(float)[nearest_area]
    out["catchment_m"] = catchment
    return out


def _utc(moment: datetime) -> datetime:
    """``moment`` in UTC to the second (a naive time is taken to be UTC already)."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.replace(microsecond=0)


def _warnings(
    inputs: AnalysisInputs, result: GapResult, district_name: str, *, all_areas: bool
) -> tuple[str, ...]:
    """What a reader of this district's figures must know about the data behind them."""
    warnings = []
    if inputs.fallback_units:
        warnings.append(
            f"{NO_PARISHES} This report ranks {inputs.fallback_units} instead, as stated "
            f"fallback units with governance \"unknown\"; load parish boundaries with "
            f"`assetmap import parishes FILE` to rank parishes and unparished areas."
        )
    if not len(result.community_areas):
        warnings.append(
            f"{district_name} has no unparished areas, so nothing is ranked; "
            f"run the report on every community area to compare its parishes."
            if not all_areas
            else f"{district_name} has no community areas to rank."
        )
    absent = absent_categories(inputs)
    if absent:
        warnings.append(
            f"No assets of {len(absent)} of the {len(inputs.hub_categories)} hub categories are "
            f"loaded ({', '.join(c.replace('_', ' ') for c in absent)}), so residents near such "
            f"places still count as far from a hub: the figures overstate the gaps."
        )
    if not inputs.hub_categories:
        warnings.append(
            "No asset category is declared a hub (hub_categories in layers/assets.yaml), "
            "so every resident counts as outside every catchment."
        )
    return tuple(warnings)


def build_district_report(
    inputs: AnalysisInputs,
    district: str,
    thresholds: GapThresholds | None = None,
    *,
    all_areas: bool = False,
    n_sites: int = 5,
    now: datetime | None = None,
    stale_after_days: int = 365,
) -> DistrictReport:
    """Analyse one district (code or name, any case) and shortlist up to ``n_sites`` sites.

    Siting covers the whole district's small areas, parished and unparished;
    its candidates are the district's existing assets that are neither hubs nor
    closed, plus every small area's location point. Coverage with fresh hubs only
    counts hubs checked within ``stale_after_days`` of ``now``.
    """
    thresholds = thresholds or GapThresholds()
    # Fallback units have no governance, so there is no unparished subset to focus on.
    all_areas = all_areas or bool(inputs.fallback_units)
    districts, community_areas = inputs.districts, inputs.community_areas
    code = resolve_district(district, community_areas, districts)
    result = analyse_prepared(
        inputs.small_areas, community_areas, inputs.hubs_for(thresholds), thresholds,
        district_code=code, all_areas=all_areas, districts=districts,
    )
    result = replace(result, small_areas=with_localities(result.small_areas, inputs.point_names))
    district_areas = community_areas[(community_areas["district_code"] == code).to_numpy()]
    candidates = non_hub_assets(inputs.assets, inputs.hub_categories)
    candidates = candidates[_in_district(candidates, code, community_areas)]
    sites = greedy_sites(result.small_areas, candidates, n=n_sites)
    sites = name_sites(sites, inputs.point_names, KIND_SMALL_AREA)

    warnings = _warnings(inputs, result, _district_name(code, districts), all_areas=all_areas)
    boundary = districts[(districts["code"].astype(str) == code).to_numpy()]
    generated = _utc(now or datetime.now(UTC))
    return DistrictReport(
        district_code=code,
        district_name=_district_name(code, districts),
        result=result,
        sites=sites,
        thresholds=thresholds,
        sources=inputs.info.sources,
        synthetic=inputs.info.synthetic,
        generated=generated,
        all_areas=all_areas,
        n_sites=n_sites,
        hub_categories=tuple(inputs.hub_categories),
        district_areas=district_areas,
        boundary=boundary,
        candidates=candidates,
        notice=inputs.info.notice,
        attribution=inputs.info.attribution_text,
        extra_warnings=warnings,
        fallback_units=inputs.fallback_units,
        absent_categories=absent_categories(inputs),
        known_groups=_known_groups(inputs),
        views=district_views(result, community_areas, district_areas, thresholds,
                             as_of=generated.date(), stale_after_days=stale_after_days),
    )


def _known_groups(inputs: AnalysisInputs) -> KnownGroups:
    """Who works in each community area: the area each asset is in, then the groups."""
    assets = inputs.assets
    if inputs.organisations is None or "id" not in assets.columns:
        return KnownGroups()
    codes = assign_to_areas(assets, inputs.community_areas, "code", tolerance_m=INSIDE_ONLY)
    asset_areas = {str(i): str(c) for i, c in zip(assets["id"], codes, strict=True)
                   if c is not None}
    districts = set(inputs.community_areas["district_code"].astype(str))
    return known_groups(inputs.organisations, inputs.activities, asset_areas, districts)
