"""Place names for the finder from a gazetteer CSV (``assetmap import places FILE``).

Two formats, told apart by their columns:

* **ONS Index of Place Names (IPN)**: ``placeyyCD`` (id), ``placeyyNM`` (name),
  ``descnm`` (what it is: ``LOC`` locality, ``BUA``/``BUASD`` built-up area,
  ``PAR`` parish, ``WD`` ward, …), ``lat``/``long`` (WGS84). Rows of other
  descriptions (counties, constituencies, …) are skipped and counted.
* **OS Open Names**: ``ID``, ``NAME1``, ``TYPE``, ``LOCAL_TYPE``, ``GEOMETRY_X``,
  ``GEOMETRY_Y`` (EPSG:27700), as a CSV with that header, or the product's own
  header-less files (34 columns in the documented order). Only ``TYPE`` =
  ``populatedPlace`` is kept (City, Town, Village, Hamlet, Suburban Area, Other
  Settlement).

Places are kept when they lie in, or within 2 km of, the store's districts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

import geopandas as gpd

from assetmap.crs import METRIC_CRS, to_metric
from assetmap.errors import DataError
from assetmap.locate import assign_to_areas
from assetmap.sources.checks import ImportReport, find_field, read_csv_table

__all__ = ["OPEN_NAMES_COLUMNS", "PlacesImport", "merged_places", "read_places"]

# OS Open Names CSV columns, in the order of the product's header-less files.
OPEN_NAMES_COLUMNS = (
    "ID", "NAMES_URI", "NAME1", "NAME1_LANG", "NAME2", "NAME2_LANG", "TYPE", "LOCAL_TYPE",
    "GEOMETRY_X", "GEOMETRY_Y", "MOST_DETAIL_VIEW_RES", "LEAST_DETAIL_VIEW_RES", "MBR_XMIN",
    "MBR_YMIN", "MBR_XMAX", "MBR_YMAX", "POSTCODE_DISTRICT", "POSTCODE_DISTRICT_URI",
    "POPULATED_PLACE", "POPULATED_PLACE_URI", "POPULATED_PLACE_TYPE", "DISTRICT_BOROUGH",
    "DISTRICT_BOROUGH_URI", "DISTRICT_BOROUGH_TYPE", "COUNTY_UNITARY", "COUNTY_UNITARY_URI",
    "COUNTY_UNITARY_TYPE", "REGION", "REGION_URI", "COUNTRY", "COUNTRY_URI",
    "RELATED_SPATIAL_OBJECT", "SAME_AS_DBPEDIA", "SAME_AS_GEONAMES",
)
_IPN_KINDS = {"LOC": "locality", "BUA": "town", "BUASD": "town", "PAR": "parish",
              "WD": "ward"}
_OPEN_NAMES_KINDS = {"City": "city", "Town": "town", "Village": "village", "Hamlet": "hamlet",
                     "Suburban Area": "suburb", "Other Settlement": "other"}
_NEAR_M = 2_000.0


@dataclass
class PlacesImport:
    """Places as read (EPSG:27700): ``id``, ``name``, ``kind``, ``district_code``, ``source``."""

    table: gpd.GeoDataFrame
    report: ImportReport
    source: str


def _open_names_frame(path: Path) -> pd.DataFrame:
    table = read_csv_table(path)
    if "NAME1" in table.columns:
        return table
    if len(table.columns) == len(OPEN_NAMES_COLUMNS):  # the product's header-less files
        table = pd.read_csv(path, dtype=str, keep_default_na=False, header=None,
                            names=list(OPEN_NAMES_COLUMNS), encoding="utf-8-sig")
        return table
    raise DataError(
        f"{path}: not a place-name file: expected the ONS Index of Place Names (placeyyNM, "
        f"descnm, lat, long) or OS Open Names (NAME1, TYPE, LOCAL_TYPE, GEOMETRY_X, "
        f"GEOMETRY_Y); found {', '.join(table.columns[:10])}"
    )


def _ipn(table: pd.DataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    columns = list(table.columns)
    name, _ = find_field(columns, (r"place(?P<yy>\d{2})nm",))
    code, _ = find_field(columns, (r"place(?P<yy>\d{2})cd",))
    assert name is not None
    report.vintage = f"IPN 20{name.column[5:7]}"
    kinds = table.get("descnm", pd.Series("", index=table.index)).str.strip().map(_IPN_KINDS)
    report.skip("not a town, village, locality, parish or ward", int(kinds.isna().sum()))
    keep = kinds.notna().to_numpy()
    table, kinds = table[keep], kinds[keep]
    lon = pd.to_numeric(table["long"], errors="coerce").to_numpy(float)
    lat = pd.to_numeric(table["lat"], errors="coerce").to_numpy(float)
    ids = table[code.column] if code is not None else table[name.column]
    frame = gpd.GeoDataFrame({"id": ids.to_numpy(), "name": table[name.column].str.strip(),
                              "kind": kinds.to_numpy()},
                             geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    return to_metric(frame, "places")


def _open_names(table: pd.DataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    populated = (table["TYPE"].str.strip() == "populatedPlace").to_numpy()
    report.skip("not a populated place (roads, landforms, …)", int((~populated).sum()))
    table = table[populated]
    x = pd.to_numeric(table["GEOMETRY_X"], errors="coerce").to_numpy(float)
    y = pd.to_numeric(table["GEOMETRY_Y"], errors="coerce").to_numpy(float)
    kinds = table["LOCAL_TYPE"].str.strip().map(_OPEN_NAMES_KINDS).fillna("other")
    return gpd.GeoDataFrame({"id": table["ID"].to_numpy(), "name": table["NAME1"].str.strip(),
                             "kind": kinds.to_numpy()},
                            geometry=gpd.points_from_xy(x, y), crs=METRIC_CRS)


def read_places(path: Path, districts: gpd.GeoDataFrame) -> PlacesImport:
    """Read an IPN or Open Names CSV, keeping places in or near ``districts``."""
    table = read_csv_table(path)
    report = ImportReport("places", rows_read=0)
    if find_field(list(table.columns), (r"place(?P<yy>\d{2})nm",))[0] is not None:
        source, frame = "ONS IPN", _ipn(table, report)
    else:
        table = _open_names_frame(path)
        source, frame = "OS Open Names", _open_names(table, report)
        report.vintage = "OS Open Names"
    report.rows_read = len(table)
    placed = ~(frame.geometry.is_empty | frame.geometry.x.isna()).to_numpy()
    named = frame["name"].astype(str).str.len().gt(0).to_numpy()
    report.skip("no name or no position", int((~(placed & named)).sum()))
    frame = frame[placed & named]
    if districts is None or not len(districts):
        raise DataError(f"{path}: the store has no districts to keep places in. Import "
                        f"districts first: `assetmap import districts FILE`.")
    frame["district_code"] = assign_to_areas(frame, districts, "code",
                                             tolerance_m=_NEAR_M).to_numpy()
    inside = frame["district_code"].notna().to_numpy()
    report.skip("outside the store's districts", int((~inside).sum()))
    frame = frame[inside].drop_duplicates("id").reset_index(drop=True)
    frame["source"] = source
    report.kept = len(frame)
    return PlacesImport(gpd.GeoDataFrame(frame, geometry="geometry", crs=METRIC_CRS),
                        report, source)


def merged_places(current: gpd.GeoDataFrame | None, imported: PlacesImport) -> gpd.GeoDataFrame:
    """The places table after an import: rows of other sources kept, this source's replaced."""
    if current is None or not len(current):
        return imported.table
    others = current[current["source"].astype(str) != imported.source]
    frame = pd.concat([to_metric(others, "places"), imported.table], ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=METRIC_CRS).sort_values(
        ["name", "id"], ignore_index=True)

