"""Public libraries in the Libraries Hacked schema, as community assets.

Columns (any case): ``Local authority``, ``Library name``, ``Address 1``–``3``,
``Postcode``, ``Type of library`` (``CRL`` community run → ``community_library``;
``LAL``, ``CL``, ``ICL`` and others → ``council_library``), ``Year closed``
(set → status ``closed``), ``URL``, and ``lon``/``lat`` where geocoded. A library
without coordinates is placed at its postcode's centroid from the store's
postcodes. Each gets the ``district_code`` (and ``community_area_code``) of the
area it lies in (:func:`assetmap.locate.assign_to_areas`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

import geopandas as gpd

from assetmap.crs import METRIC_CRS, to_metric
from assetmap.errors import DataError
from assetmap.locate import assign_to_areas
from assetmap.postcodes import normalise_postcode
from assetmap.sources.checks import ImportReport, check_lon_lat, examples, read_csv_table

__all__ = ["LIBRARY_ID_PREFIX", "LibraryImport", "read_libraries"]

LIBRARY_ID_PREFIX = "lib-"  # every library's id starts so; an import replaces only these
COMMUNITY_RUN = "CRL"
_REQUIRED = ("library name", "type of library")


@dataclass
class LibraryImport:
    """Libraries as assets (EPSG:27700) and what happened to each row."""

    assets: gpd.GeoDataFrame
    report: ImportReport

    def summary(self) -> str:
        return self.report.summary()


def _column(table: pd.DataFrame, name: str) -> pd.Series:
    columns = {c.strip().lower(): c for c in table.columns}
    if name in columns:
        return table[columns[name]].astype(str).str.strip()
    return pd.Series([""] * len(table), index=table.index)


def _asset_id(authority: str, name: str, postcode: str) -> str:
    """A stable id from what identifies a library, so re-imports keep ids."""
    digest = hashlib.sha1(f"{authority}|{name}|{postcode}".lower().encode()).hexdigest()
    return f"{LIBRARY_ID_PREFIX}{digest[:10]}"


def _address(table: pd.DataFrame) -> list[str | None]:
    parts = [_column(table, f"address {i}") for i in (1, 2, 3)]
    lines = []
    for values in zip(*parts, strict=True):
        text = ", ".join(v for v in values if v)
        lines.append(text or None)
    return lines


def _read_table(path: Path) -> pd.DataFrame:
    """The CSV, refused unless it is a Libraries Hacked file with every library named."""
    table = read_csv_table(path)
    columns = {c.lower() for c in table.columns}
    missing = [c for c in _REQUIRED if c not in columns]
    if missing:
        raise DataError(
            f"{path}: not a Libraries Hacked file: no {', '.join(repr(c) for c in missing)} "
            f"column; found {', '.join(table.columns[:12])}"
        )
    blank = (_column(table, "library name") == "").to_numpy()
    if blank.any():
        rows = [f"row {i + 2}" for i in np.flatnonzero(blank)]
        raise DataError(f"{path}: `Library name` is empty in {examples(rows)}")
    return table


def _libraries(table: pd.DataFrame, path: Path, postcodes: gpd.GeoDataFrame | None,
               report: ImportReport) -> gpd.GeoDataFrame:
    """One asset row per library that could be placed (EPSG:27700), no area codes yet."""
    names = _column(table, "library name")
    authority = _column(table, "local authority")
    postcode_text = _column(table, "postcode")
    postcode = postcode_text.map(lambda v: normalise_postcode(v) if v else None)
    kind = _column(table, "type of library").str.upper()
    closed = _column(table, "year closed") != ""
    xy = _locate(table, path, postcode, postcodes, report)
    placed = np.isfinite(xy).all(axis=1)
    if (~placed).any():
        report.skip("no coordinates and postcode not found", int((~placed).sum()))
        report.warnings.append(
            f"not placed: {examples(names[~placed] + ' (' + postcode_text[~placed] + ')')}"
        )
    assets = gpd.GeoDataFrame(
        {
            "id": [_asset_id(a, n, p or "") for a, n, p in zip(authority, names, postcode,
                                                               strict=True)],
            "name": names.to_numpy(),
            "category": np.where(kind == COMMUNITY_RUN, "community_library", "council_library"),
            "status": np.where(closed, "closed", "open"),
            "district_code": None,
            "community_area_code": None,
            "address": _address(table),
            "postcode": postcode.to_numpy(dtype=object),
            "website": _column(table, "url").replace("", None).to_numpy(dtype=object),
        },
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        crs=METRIC_CRS,
    )[placed]
    duplicated = assets["id"].duplicated(keep=False)
    if duplicated.any():
        raise DataError(f"{path}: the same library appears twice "
                        f"({examples(assets.loc[duplicated, 'name'].unique())})")
    return assets


def read_libraries(
    path: Path,
    *,
    districts: gpd.GeoDataFrame | None = None,
    postcodes: gpd.GeoDataFrame | None = None,
    community_areas: gpd.GeoDataFrame | None = None,
    keep_districts: set[str] | None = None,
    border_m: float = 0.0,
) -> LibraryImport:
    """Read a Libraries Hacked CSV into ``assets`` rows.

    ``districts`` (``code`` and boundary) give each library its ``district_code``.
    ``keep_districts`` limits the result to libraries in those districts, plus
    those of other districts within ``border_m`` metres of them (neighbours'
    libraries that residents near the line use; 0 keeps them out). Without
    ``keep_districts`` every placed library is kept.
    """
    table = _read_table(path)
    report = ImportReport("libraries", rows_read=len(table))
    assets = _libraries(table, path, postcodes, report)
    keep = np.ones(len(assets), dtype=bool)
    if districts is not None and len(districts):
        boundaries = to_metric(districts, "districts")
        assets["district_code"] = assign_to_areas(assets, boundaries, "code")
        if keep_districts is not None:
            keep = _near(assets, boundaries, keep_districts, border_m, report)
    if community_areas is not None and len(community_areas):
        assets["community_area_code"] = assign_to_areas(
            assets, to_metric(community_areas, "community areas"), "code"
        )
    assets = assets[keep].sort_values(["district_code", "name"], na_position="last",
                                      ignore_index=True)
    report.kept = len(assets)
    return LibraryImport(assets, report)


def _locate(table: pd.DataFrame, path: Path, postcode: pd.Series,
            postcodes: gpd.GeoDataFrame | None, report: ImportReport) -> np.ndarray:
    """Easting/northing of each row: its lon/lat where given, else its postcode centroid."""
    xy = np.full((len(table), 2), np.nan)
    lon = pd.to_numeric(_column(table, "lon").replace("", None), errors="coerce").to_numpy(float)
    lat = pd.to_numeric(_column(table, "lat").replace("", None), errors="coerce").to_numpy(float)
    given = np.isfinite(lon) & np.isfinite(lat)
    if given.any():
        check_lon_lat(lon[given], lat[given], f"{path} (lon, lat)", list(postcode[given]))
        points = gpd.GeoSeries(gpd.points_from_xy(lon[given], lat[given]), crs="EPSG:4326")
        metric = to_metric(points)
        xy[given] = np.column_stack([metric.x, metric.y])
    by_postcode = ~given & postcode.notna().to_numpy()
    if by_postcode.any():
        if postcodes is None or not len(postcodes):
            raise DataError(
                f"{path}: {int(by_postcode.sum()):,} libraries have no lon/lat, and the store "
                f"has no postcodes to place them by. Import postcodes first: "
                f"`assetmap import postcodes FILE`."
            )
        centroids = to_metric(postcodes, "postcodes").set_index("postcode").geometry
        found = postcode[by_postcode].map(lambda p: centroids.get(p))
        rows = np.flatnonzero(by_postcode)
        for row, point in zip(rows, found, strict=True):
            if point is not None:
                xy[row] = (point.x, point.y)
        report.warnings.append(
            f"{int(np.isfinite(xy[rows]).all(axis=1).sum()):,} libraries placed at their "
            f"postcode's centroid"
        )
    return xy


def _near(assets: gpd.GeoDataFrame, districts: gpd.GeoDataFrame, keep: set[str],
          border_m: float, report: ImportReport) -> np.ndarray:
    """Libraries in ``keep`` districts, or within ``border_m`` of them."""
    inside = assets["district_code"].isin(keep).to_numpy()
    area = districts[districts["code"].isin(keep)].geometry.union_all()
    near = np.asarray(assets.geometry.distance(area) <= border_m, dtype=bool) & ~inside
    beyond = ~(inside | near)
    report.skip(f"more than {border_m / 1000:g} km outside the districts", int(beyond.sum()))
    if near.any():
        report.warnings.append(
            f"{int(near.sum()):,} libraries of neighbouring authorities within "
            f"{border_m / 1000:g} km of the districts are kept as hubs residents can reach "
            f"({examples(assets.loc[near, 'name'])})"
        )
    return np.asarray(inside | near, dtype=bool)
