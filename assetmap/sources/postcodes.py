"""Postcode centroids from Code-Point Open or the ONS Postcode Directory (ONSPD) CSVs.

Code-Point Open: ``Postcode, Positional_quality_indicator, Eastings, Northings,
…, Admin_district_code`` (raw files have no header row), or a headed extract
with ``postcode, easting, northing, admin_district_code``. ONSPD: ``pcds`` (or
``pcd``), ``oseast1m``, ``osnrth1m``, ``oslaua`` and ``doterm``; terminated
postcodes (``doterm`` set) are skipped. Rows without a usable postcode or grid
reference are skipped and counted by reason.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

import geopandas as gpd

from assetmap.crs import GB_EXTENT_M, METRIC_CRS
from assetmap.errors import DataError
from assetmap.postcodes import normalise_postcode

__all__ = ["PostcodeImport", "read_postcodes"]

# Raw Code-Point Open column order (no header row in the product's CSVs).
_CODEPOINT_RAW = [
    "postcode", "positional_quality_indicator", "eastings", "northings", "country_code",
    "nhs_regional_ha_code", "nhs_ha_code", "admin_county_code", "admin_district_code",
    "admin_ward_code",
]
_SHAPES = {
    # shape: (postcode, easting, northing, district) column candidates, lower-cased
    "onspd": (("pcds", "pcd", "pcd2"), ("oseast1m",), ("osnrth1m",), ("oslaua", "lad")),
    "codepoint": (("postcode",), ("eastings", "easting"), ("northings", "northing"),
                  ("admin_district_code", "district_code")),
}


@dataclass
class PostcodeImport:
    """What was read: the table, the shape recognised, and rows skipped with reasons."""

    postcodes: gpd.GeoDataFrame
    shape: str
    rows_read: int
    skipped: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        text = (f"{self.rows_read:,} rows read as {self.shape}, "
                f"{len(self.postcodes):,} postcodes kept")
        if self.skipped:
            reasons = ", ".join(f"{n:,} {why}" for why, n in self.skipped.most_common())
            text += f"; skipped {reasons}"
        return text


def _first(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    return next((c for c in candidates if c in columns), None)


def _read_table(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty; expected a Code-Point Open or ONSPD "
                        "CSV with one row per postcode") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(f"{path}: cannot read as CSV ({exc})") from exc
    if frame.empty and not len(frame.columns):
        raise DataError(f"{path}: the file is empty")
    header = [str(c).strip().lower() for c in frame.columns]
    if normalise_postcode(header[0]) is not None:
        # The first "column name" is a postcode: a raw Code-Point Open file with no header.
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, header=None,
                            encoding="utf-8-sig")
        names = _CODEPOINT_RAW[: len(frame.columns)]
        names += [f"extra_{i}" for i in range(len(frame.columns) - len(names))]
        frame.columns = names
    else:
        frame.columns = header
    return frame


def read_postcodes(path: Path) -> PostcodeImport:
    """Read a Code-Point Open or ONSPD CSV into postcode points (EPSG:27700)."""
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    frame = _read_table(path)
    columns = list(frame.columns)
    shape = "onspd" if "oseast1m" in columns else "codepoint"
    code_col, east_col, north_col, district_col = (
        _first(columns, candidates) for candidates in _SHAPES[shape]
    )
    if code_col is None or east_col is None or north_col is None:
        raise DataError(
            f"{path}: not a Code-Point Open or ONSPD file. Expected columns postcode, "
            "eastings, northings (Code-Point Open) or pcds, oseast1m, osnrth1m (ONSPD); "
            f"found {', '.join(columns[:12])}"
        )
    skipped: Counter[str] = Counter()
    keep = np.ones(len(frame), dtype=bool)
    if shape == "onspd" and "doterm" in columns:
        terminated = frame["doterm"].str.strip().ne("").to_numpy()
        skipped["terminated"] += int(terminated.sum())
        keep &= ~terminated
    codes = frame[code_col].map(lambda v: normalise_postcode(v) if v else None)
    bad_code = codes.isna().to_numpy() & keep
    skipped["malformed postcode"] += int(bad_code.sum())
    keep &= ~bad_code
    eastings = pd.to_numeric(frame[east_col].str.strip(), errors="coerce").to_numpy(dtype=float)
    northings = pd.to_numeric(frame[north_col].str.strip(), errors="coerce").to_numpy(dtype=float)
    minx, miny, maxx, maxy = GB_EXTENT_M  # outside: a bad grid reference
    missing = ~(np.isfinite(eastings) & np.isfinite(northings)) & keep
    skipped["no grid reference"] += int(missing.sum())
    keep &= ~missing
    with np.errstate(invalid="ignore"):
        # Code-Point marks postcodes with no coordinates as (0, 0) and quality 90.
        outside = ~((eastings > minx) & (eastings < maxx) & (northings > miny)
                    & (northings < maxy)) & keep
    skipped["grid reference outside Great Britain"] += int(outside.sum())
    keep &= ~outside
    duplicate = codes.where(keep).duplicated(keep="first").to_numpy() & keep
    skipped["duplicate postcode"] += int(duplicate.sum())
    keep &= ~duplicate
    districts = (frame[district_col].str.strip() if district_col else pd.Series([""] * len(frame)))
    table = gpd.GeoDataFrame(
        {
            "postcode": codes[keep].astype(str).to_numpy(),
            "district_code": districts[keep].replace("", None).to_numpy(dtype=object),
        },
        geometry=gpd.points_from_xy(eastings[keep], northings[keep]),
        crs=METRIC_CRS,
    )
    table = table.sort_values("postcode", ignore_index=True)
    skipped = Counter({reason: n for reason, n in skipped.items() if n})
    return PostcodeImport(table, shape, len(frame), skipped)
