"""Assemble the ``small_areas`` table from its parts, in any order.

Boundaries (``oa`` or ``lsoa``), the OA→LSOA lookup, population and IMD each
fill their own columns; a part imported later keeps what earlier parts gave
rows with the same code. Each ``apply_*`` returns the new table and lines
saying what matched, so the importer can print them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import geopandas as gpd

from assetmap.crs import METRIC_CRS
from assetmap.errors import DataError
from assetmap.sources.boundaries import BoundaryImport
from assetmap.sources.checks import examples
from assetmap.sources.statistics import StatisticsImport

__all__ = [
    "ATTRIBUTE_COLUMNS",
    "apply_imd",
    "apply_lookup",
    "apply_population",
    "small_areas_from_boundaries",
]

# Columns that come from other files than the boundaries, kept across a boundary re-import.
ATTRIBUTE_COLUMNS = ("population", "share_65_plus", "imd_decile", "urban", "pwc_easting",
                     "pwc_northing", "community_area_code", "lsoa_code", "lsoa_name")
_COLUMNS = ("code", "community_area_code", "district_code", "population", "imd_decile",
            "share_65_plus", "urban", "pwc_easting", "pwc_northing", "lsoa_code", "lsoa_name")


def _empty_like(index: pd.Index) -> pd.Series:
    return pd.Series([None] * len(index), index=index, dtype=object)


def small_areas_from_boundaries(
    imported: BoundaryImport, existing: gpd.GeoDataFrame | None = None
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Small areas from OA or LSOA boundaries, keeping earlier attributes by code."""
    table = imported.table
    out = gpd.GeoDataFrame(
        {name: (table[name] if name in table.columns else _empty_like(table.index))
         for name in _COLUMNS},
        geometry=table.geometry,
        crs=METRIC_CRS,
    )
    notes = []
    if existing is not None and len(existing):
        before = existing.set_index(existing["code"].astype(str))
        matched = out["code"].isin(before.index).to_numpy()
        for column in ATTRIBUTE_COLUMNS:
            if column not in before.columns or (column in table.columns
                                                and table[column].notna().any()):
                continue
            values = before[column].reindex(out["code"]).to_numpy(dtype=object)
            out[column] = values
        notes.append(f"kept population and other attributes of {int(matched.sum()):,} of "
                     f"{len(out):,} small areas already in the store (same code)")
    return out, notes


def _by_code(small: gpd.GeoDataFrame, codes: pd.Series, values: pd.DataFrame,
             columns: list[str]) -> np.ndarray:
    """Copy ``columns`` of ``values`` (indexed by code) onto ``small`` where ``codes`` match."""
    matched = codes.isin(values.index).to_numpy()
    for column in columns:
        looked_up = values[column].reindex(codes).to_numpy(dtype=object)
        current = (small[column].to_numpy(dtype=object) if column in small.columns
                   else np.full(len(small), None, dtype=object))
        small[column] = np.where(matched, looked_up, current)
    return np.asarray(matched, dtype=bool)


def _stats(what: str, matched: np.ndarray, small: gpd.GeoDataFrame,
           file_codes: pd.Series, used: pd.Series) -> list[str]:
    lines = [f"{what} given to {int(matched.sum()):,} of {len(small):,} small areas"]
    unmatched = small.loc[~matched, "code"]
    if len(unmatched):
        lines.append(f"{len(unmatched):,} small areas have no {what} in the file "
                     f"({examples(unmatched)})")
    extra = int((~file_codes.isin(set(used))).sum())
    if extra:
        lines.append(f"{extra:,} rows of the file are for areas not in the store "
                     f"(e.g. other districts)")
    return lines


def _require_small_areas(small: gpd.GeoDataFrame | None, what: str) -> gpd.GeoDataFrame:
    if small is None or not len(small):
        raise DataError(
            f"The store has no small areas to give {what} to. Import their boundaries first: "
            f"`assetmap import oa FILE` (Output Areas) or `assetmap import lsoa FILE`."
        )
    return small.copy()


def apply_lookup(small: gpd.GeoDataFrame | None, lookup: StatisticsImport
                 ) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Give Output Areas their LSOA code and name; report district codes that disagree."""
    out = _require_small_areas(small, "an LSOA")
    values = lookup.table.set_index("code")
    columns = [c for c in ("lsoa_code", "lsoa_name") if c in values.columns]
    matched = _by_code(out, out["code"].astype(str), values, columns)
    lines = _stats("an LSOA", matched, out, values.index.to_series(), out["code"])
    if "district_code" in values.columns:
        given = values["district_code"].reindex(out["code"]).to_numpy(dtype=object)
        differs = matched & (given != out["district_code"].to_numpy(dtype=object))
        if differs.any():
            lines.append(
                f"warning: {int(differs.sum()):,} small areas are in a different district in "
                f"the lookup ({examples(out.loc[differs, 'code'])}); the boundaries' district "
                f"is kept"
            )
    return out, lines


def apply_population(small: gpd.GeoDataFrame | None, population: StatisticsImport
                     ) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Set ``population`` (and ``share_65_plus``) of small areas with the same code."""
    out = _require_small_areas(small, "a population")
    values = population.table.set_index("code")
    matched = out["code"].isin(values.index).to_numpy()
    if not matched.any():
        level = population.level
        raise DataError(
            f"None of the {len(values):,} {level} codes in the population file match the "
            f"store's small areas (e.g. {examples(out['code'][:3])}). Give population for the "
            f"same kind of area as the boundaries (OA population for OA boundaries)."
        )
    columns = [c for c in ("population", "share_65_plus") if c in values.columns]
    _by_code(out, out["code"].astype(str), values, columns)
    return out, _stats("a population", matched, out, values.index.to_series(), out["code"])


def apply_imd(small: gpd.GeoDataFrame | None, imd: StatisticsImport
              ) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Give each small area its LSOA's IMD decile (an LSOA its own).

    The layer keeps the decile, which the gap analysis uses; ranks and scores are read
    (and checked) but not stored.
    """
    out = _require_small_areas(small, "an IMD decile")
    lsoa = out["lsoa_code"].astype(object) if "lsoa_code" in out.columns else _empty_like(out.index)
    is_lsoa = out["code"].isin(imd.table["code"]).to_numpy()
    lsoa = pd.Series(np.where(pd.isna(lsoa.to_numpy()) & is_lsoa, out["code"], lsoa),
                     index=out.index, dtype=object)
    if lsoa.isna().all():
        raise DataError(
            "IMD deciles are published for LSOAs, and the store's small areas have no LSOA "
            "code. Import the OA→LSOA lookup first: `assetmap import lookup FILE`."
        )
    values = imd.table.set_index("code")
    matched = _by_code(out, lsoa.astype(str), values, ["imd_decile"])
    if "lsoa_name" in values.columns:
        names = values["lsoa_name"].reindex(lsoa.astype(str)).to_numpy(dtype=object)
        current = out["lsoa_name"].to_numpy(dtype=object)
        out["lsoa_name"] = np.where(pd.isna(current) & matched, names, current)
    return out, _stats("an IMD decile", matched, out, values.index.to_series(),
                       lsoa.dropna().astype(str))
