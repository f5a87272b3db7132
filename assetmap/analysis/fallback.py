"""Stated fallback units for the gap analysis when no parish boundaries are loaded.

Without parishes and unparished areas there is nothing true to rank, so the
analysis ranks the small areas' LSOAs instead (dissolved from the small areas
that name one; a small area with no LSOA stands for itself). Every unit has
governance ``unknown`` and every output says these are fallback units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

import geopandas as gpd

__all__ = ["UNKNOWN_GOVERNANCE", "FallbackUnits", "fallback_units"]

UNKNOWN_GOVERNANCE = "unknown"


@dataclass(frozen=True)
class FallbackUnits:
    """Units to rank (``code``, ``name``, ``district_code``, ``governance``) and the small
    areas with ``community_area_code`` set to their unit; ``label`` names the units."""

    areas: gpd.GeoDataFrame
    small_areas: gpd.GeoDataFrame
    label: str


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), None, dtype=object)
    values: np.ndarray = frame[name].astype(object).to_numpy(copy=True)
    values[pd.isna(values)] = None
    return values


def fallback_units(small_areas: gpd.GeoDataFrame) -> FallbackUnits:
    """LSOAs (or small areas where no LSOA is known) as the units to rank.

    ``small_areas`` are prepared (EPSG:27700, checked), as :class:`AnalysisInputs` holds them.
    """
    small = small_areas.copy()
    codes = small["code"].astype(str).to_numpy(dtype=object)
    lsoa = _column(small, "lsoa_code")
    has_lsoa = pd.notna(lsoa)
    unit = np.where(has_lsoa, lsoa, codes)
    names = _column(small, "lsoa_name")
    names = np.where(has_lsoa & pd.notna(names), names, unit)
    small["community_area_code"] = unit
    parts = gpd.GeoDataFrame(
        {"code": unit, "name": names, "district_code": _column(small, "district_code")},
        geometry=small.geometry.to_numpy(),
        crs=small.crs,
    )
    areas = parts.dissolve(by="code", aggfunc="first", sort=True).reset_index()
    areas["governance"] = UNKNOWN_GOVERNANCE
    areas = areas[["code", "name", "district_code", "governance", areas.geometry.name]]
    if has_lsoa.all() and len(small):
        label = "LSOAs"
    elif not has_lsoa.any():
        label = "small areas"
    else:
        label = "LSOAs (small areas where no LSOA is known)"
    return FallbackUnits(areas, small, label)
