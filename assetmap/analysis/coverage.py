"""Which hubs cover which small areas, county-wide, built once for scenarios to reuse.

A :class:`CoverageIndex` is the whole county's gap analysis (every district, every
community area) plus a sparse small-area × hub matrix: entry (i, j) is set when hub
j lies within small area i's own catchment. Closing hubs is then a column
subtraction and opening one a KD-tree query round a point, so the impact of a
change is answered in milliseconds (see :mod:`assetmap.analysis.scenarios`). The
index is built from checked :class:`~assetmap.analysis.AnalysisInputs` for one set
of thresholds; the web app keeps one per store version (``ReportService.coverage``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, cast

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.spatial import cKDTree

import geopandas as gpd

from assetmap.analysis.areas import is_unparished, measure_areas
from assetmap.analysis.equality import (
    ResidentsProfile,
    SmallAreaTraits,
    decile_bands,
    residents_profile,
    small_area_traits,
)
from assetmap.analysis.gaps import analyse_prepared
from assetmap.analysis.inputs import AnalysisInputs, point_coordinates
from assetmap.analysis.thresholds import GapThresholds

__all__ = ["CoverageIndex", "DistrictSlice", "build_coverage"]

# The access-table columns measure_areas reads; scenarios replace the last four.
_MEASURED = ("population", "imd_decile", "catchment_m", "distance_to_nearest_hub_m",
             "within_catchment", "hubs_in_catchment", "nearest_hub_id")


@dataclass(frozen=True)
class DistrictSlice:
    """One district's rows of the index, and its community areas measured today."""

    rows: np.ndarray  # positions in the index's small areas
    areas: gpd.GeoDataFrame  # the district's community areas, no geometry
    position: np.ndarray  # each row's position in ``areas``
    hub_count: np.ndarray  # hubs inside each of ``areas`` today
    today: gpd.GeoDataFrame  # measure_areas of today


@dataclass(frozen=True)
class CoverageIndex:
    """The county today, for one set of thresholds; arrays aligned on placed small areas.

    ``access`` holds the small areas that lie in a community area (those outside every
    one are left out of every figure, as in the gap analysis), with
    ``community_area_code`` and ``district_code``. ``covers`` is CSC (small areas ×
    hubs); ``hub_ids``/``hub_xy``/``hub_area`` describe its columns (hubs with a
    location); ``hub_area`` is the community area code each hub lies in ("" for none).
    """

    thresholds: GapThresholds
    access: pd.DataFrame
    xy: np.ndarray
    covers: sparse.csc_matrix
    hub_ids: np.ndarray
    hub_xy: np.ndarray
    hub_area: np.ndarray
    community_areas: gpd.GeoDataFrame  # every area of the county, with geometry (EPSG:27700)
    district_names: dict[str, str]
    assets: pd.DataFrame  # id, name, category, status of every asset (to check closed ids)
    _slices: dict[str, DistrictSlice] = field(default_factory=dict, repr=False, compare=False)

    @property
    def count(self) -> np.ndarray:
        """Hubs within each small area's catchment today."""
        return np.asarray(self.access["hubs_in_catchment"].to_numpy(dtype=np.int64))

    @property
    def population(self) -> np.ndarray:
        return np.asarray(self.access["population"].to_numpy(dtype=float))

    @cached_property
    def hub_columns(self) -> dict[str, int]:
        return {str(hub): j for j, hub in enumerate(self.hub_ids)}

    @cached_property
    def traits(self) -> SmallAreaTraits:
        """Population, IMD decile, share aged 65+ and unparished, per small area."""
        areas = self.community_areas
        return small_area_traits(self.access, set(areas["code"].astype(str)[is_unparished(areas)]))

    def profile(self, mask: np.ndarray) -> ResidentsProfile:
        """The residents of the small areas where ``mask`` (county-wide) is true."""
        return residents_profile(self.traits, mask, decile_bands(self.thresholds.deprived_deciles))

    def district(self, code: str) -> DistrictSlice:
        """The district's slice (built on first use, then kept)."""
        if code not in self._slices:
            self._slices[code] = _slice(self, code)
        return self._slices[code]

    @cached_property
    def small_area_tree(self) -> cKDTree:
        return cKDTree(self.xy)


def _slice(index: CoverageIndex, code: str) -> DistrictSlice:
    areas_all = index.community_areas
    in_district = (areas_all["district_code"].astype(str) == code).to_numpy()
    # Plain frames: measure_areas reads only columns, and pandas sets them far faster
    # than geopandas does (the scenario answer is mostly this measuring).
    areas = _plain(pd.DataFrame(areas_all[in_district].drop(columns="geometry")))
    rows = np.flatnonzero(index.access["district_code"].astype(object).to_numpy() == code)
    lookup = pd.Index(areas["code"].astype(str))
    position = lookup.get_indexer(index.access["community_area_code"].astype(str).to_numpy()[rows])
    hub_position = lookup.get_indexer(index.hub_area.astype(str))
    hub_count = np.bincount(hub_position[hub_position >= 0], minlength=len(areas))
    today = measure_areas(measured_rows(index.access, rows), position, areas, hub_count,
                          index.thresholds)
    return DistrictSlice(rows=rows, areas=areas, position=position, hub_count=hub_count,
                         today=today)


def measured_rows(access: pd.DataFrame, rows: np.ndarray, **replaced: Any) -> gpd.GeoDataFrame:
    """The columns measure_areas reads, for ``rows``, with some replaced by new arrays."""
    columns = [c for c in _MEASURED if c in access.columns]
    frame = pd.DataFrame({c: access[c].to_numpy()[rows] for c in columns})
    for name, values in replaced.items():
        frame[name] = values
    return _plain(frame)


def _plain(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """``frame`` as measure_areas takes it: it reads columns only, never a geometry."""
    return cast(gpd.GeoDataFrame, frame)


def _coverage_matrix(
    xy: np.ndarray, catchment: np.ndarray, hub_xy: np.ndarray, within: np.ndarray,
    nearest: np.ndarray,
) -> sparse.csc_matrix:
    """Small areas × hubs, set where the hub lies within the small area's catchment."""
    n, m = len(xy), len(hub_xy)
    if m == 0 or n == 0:
        return sparse.csc_matrix((n, m), dtype=np.int32)
    found = cKDTree(hub_xy).query_ball_point(xy, r=catchment)
    # The analysis counts a hub exactly on the edge as inside; make the matrix agree.
    lists = [
        hubs if hubs or not within[i] else [int(nearest[i])] for i, hubs in enumerate(found)
    ]
    lengths = np.fromiter((len(h) for h in lists), dtype=np.int64, count=n)
    columns = np.fromiter((j for h in lists for j in h), dtype=np.int64, count=int(lengths.sum()))
    pointer = np.concatenate([[0], np.cumsum(lengths)])
    data = np.ones(len(columns), dtype=np.int32)
    return sparse.csr_matrix((data, columns, pointer), shape=(n, m)).tocsc()


def build_coverage(inputs: AnalysisInputs, thresholds: GapThresholds) -> CoverageIndex:
    """The county's coverage today under ``thresholds`` (from checked inputs)."""
    result = analyse_prepared(
        inputs.small_areas, inputs.community_areas, inputs.hubs, thresholds, all_areas=True,
        districts=inputs.districts,
    )
    codes = pd.Index(inputs.community_areas["code"].astype(str))
    access = result.small_areas
    placed = codes.get_indexer(access["community_area_code"].astype(str)) >= 0
    access = pd.DataFrame(access[placed].drop(columns="geometry")).reset_index(drop=True)
    hubs = result.hubs
    hub_xy = point_coordinates(hubs.geometry)
    located = np.isfinite(hub_xy).all(axis=1)
    ids = hubs["id"].to_numpy() if "id" in hubs.columns else hubs.index.to_numpy()
    area_codes = (result.hub_area_codes if result.hub_area_codes is not None
                  else pd.Series(None, index=hubs.index, dtype=object))
    xy = access[["location_easting", "location_northing"]].to_numpy(dtype=float)
    hub_index = {hub: k for k, hub in enumerate(ids[located])}
    nearest_ids = access["nearest_hub_id"].to_numpy(dtype=object)
    nearest = np.array([hub_index.get(h, -1) for h in nearest_ids], dtype=np.int64)
    covers = _coverage_matrix(
        xy, access["catchment_m"].to_numpy(float), hub_xy[located],
        access["within_catchment"].to_numpy(bool), nearest,
    )
    access["hubs_in_catchment"] = np.asarray(covers.sum(axis=1)).ravel().astype(np.int64)
    districts = inputs.districts
    names = (dict(zip(districts["code"].astype(str), districts["name"].astype(str), strict=False))
             if {"code", "name"} <= set(districts.columns) else {})
    asset_columns = [c for c in ("id", "name", "category", "status") if c in inputs.assets]
    return CoverageIndex(
        thresholds=thresholds,
        access=access,
        xy=xy,
        covers=covers,
        hub_ids=np.asarray(ids[located]).astype(str),
        hub_xy=hub_xy[located],
        hub_area=np.array(["" if pd.isna(c) else str(c) for c in area_codes.to_numpy()[located]],
                          dtype=object),
        community_areas=inputs.community_areas,
        district_names=names,
        assets=pd.DataFrame(inputs.assets[asset_columns]),
    )
