"""Checks every importer shares: CRS and coordinates, geometry validity, codes, vintages.

Each check either returns what it fixed (so the importer can report it) or
raises :class:`~assetmap.errors.DataError` naming the file, the rows and the
fix. Nothing here writes to a store.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

import geopandas as gpd
import pyogrio
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError as ProjCRSError

from assetmap.crs import GB_EXTENT_M, GB_LOOSE_BOUNDS, METRIC_CRS, in_great_britain
from assetmap.errors import CRSError, DataError

__all__ = [
    "GB_EXTENT",
    "Field",
    "ImportReport",
    "check_coordinates",
    "check_lon_lat",
    "examples",
    "find_field",
    "read_csv_table",
    "read_vector",
    "reject_duplicates",
    "repair_geometries",
    "vintage_warnings",
]

GB_EXTENT = GB_EXTENT_M  # Great Britain in British National Grid metres
VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".zip")


@dataclass
class ImportReport:
    """What one importer read: rows read, kept, skipped by reason, repairs and warnings."""

    what: str
    rows_read: int = 0
    kept: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    repaired: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    vintage: str = ""

    def skip(self, reason: str, count: int) -> None:
        """Count ``count`` rows left out for ``reason`` (nothing when there are none)."""
        if count:
            self.skipped[reason] += int(count)

    def summary(self) -> str:
        text = f"{self.rows_read:,} rows read, {self.kept:,} {self.what} kept"
        if self.vintage:
            text += f" ({self.vintage})"
        skipped = {why: n for why, n in self.skipped.items() if n}
        if skipped:
            reasons = ", ".join(f"{n:,} {why}" for why, n in Counter(skipped).most_common())
            text += f"; skipped {reasons}"
        if self.repaired:
            text += (f"; repaired {len(self.repaired):,} invalid geometr"
                     f"{'y' if len(self.repaired) == 1 else 'ies'} "
                     f"({examples(self.repaired)})")
        return text


def examples(values: Iterable[object], limit: int = 8) -> str:
    """``'A, B, C and 4 more'``: enough to find the rows, short enough to read."""
    items = [str(v) for v in values]
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit:,} more" if len(items) > limit else "")


# -- reading -----------------------------------------------------------------------------


def _parse_crs(value: str, path: Path) -> CRS:
    try:
        return CRS.from_user_input(value)
    except ProjCRSError as exc:
        raise CRSError(
            f"{path}: --crs {value!r} is not a coordinate reference system; use e.g. "
            f"EPSG:27700 (British National Grid) or EPSG:4326 (longitude/latitude)"
        ) from exc


def read_vector(path: Path, *, crs: str | None = None) -> gpd.GeoDataFrame:
    """A GeoJSON, GeoPackage or shapefile as read, with its CRS checked and set.

    A file with no CRS is refused unless ``crs`` is given; ``crs`` also overrides
    a wrongly declared one. Coordinates that contradict the CRS (metres labelled
    as degrees, latitude and longitude swapped) are refused with the fix.
    """
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    if path.suffix.lower() not in VECTOR_SUFFIXES:
        raise DataError(
            f"{path}: not a boundary file this importer reads; give a GeoJSON (.geojson), "
            f"GeoPackage (.gpkg) or shapefile (.shp)"
        )
    try:
        frame = pyogrio.read_dataframe(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise DataError(f"{path}: cannot read as a vector file ({exc})") from exc
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry is None:
        raise DataError(f"{path}: the file has no geometry column")
    if crs is not None:
        frame = frame.set_crs(_parse_crs(crs, path), allow_override=True)
    elif frame.crs is None:
        raise CRSError(
            f"{path}: the file does not say which coordinate reference system it uses "
            f"(a shapefile without its .prj, or a GeoPackage with an undefined SRS). Give it "
            f"with --crs, e.g. --crs EPSG:27700 for British National Grid metres or "
            f"--crs EPSG:4326 for longitude/latitude."
        )
    check_coordinates(frame, path)
    return frame


def check_coordinates(frame: gpd.GeoDataFrame, path: Path | str) -> None:
    """Refuse coordinates that cannot be what the CRS says (checked on the bounds)."""
    present = frame.geometry[~(frame.geometry.isna() | frame.geometry.is_empty)]
    if present.empty:
        return
    minx, miny, maxx, maxy = present.total_bounds
    crs = CRS.from_user_input(frame.crs)
    if crs.is_geographic:
        if max(abs(minx), abs(maxx)) > 180 or max(abs(miny), abs(maxy)) > 90:
            raise CRSError(
                f"{path}: the file says its coordinates are degrees ({crs.name}), but they "
                f"run from ({minx:,.0f}, {miny:,.0f}) to ({maxx:,.0f}, {maxy:,.0f}), which "
                f"look like British National Grid metres. Re-save it with EPSG:27700, or give "
                f"--crs EPSG:27700."
            )
        _check_degrees(present, path)
        return
    corners_in_gb = in_great_britain(minx, miny, GB_LOOSE_BOUNDS) and in_great_britain(
        maxx, maxy, GB_LOOSE_BOUNDS)
    if crs.equals(METRIC_CRS) and corners_in_gb:
        raise CRSError(
            f"{path}: the file says British National Grid metres, but its coordinates "
            f"({minx:.3f}, {miny:.3f}) to ({maxx:.3f}, {maxy:.3f}) look like longitude/latitude "
            f"degrees. Give --crs EPSG:4326."
        )


def _check_degrees(geometry: gpd.GeoSeries, path: Path | str) -> None:
    """Swapped or misplaced longitude/latitude: name the place they land instead."""
    points = shapely.point_on_surface(geometry.to_numpy())
    x, y = shapely.get_x(points), shapely.get_y(points)
    in_gb = in_great_britain(x, y, GB_LOOSE_BOUNDS)
    swapped = in_great_britain(y, x, GB_LOOSE_BOUNDS)
    if in_gb.all():
        return
    if swapped.mean() > 0.5:
        raise CRSError(
            f"{path}: longitude and latitude look swapped: {int(swapped.sum()):,} of "
            f"{len(points):,} features put longitude {x[swapped][0]:.3f} and latitude "
            f"{y[swapped][0]:.3f}, in the Indian Ocean off Somalia, where ({y[swapped][0]:.3f}, "
            f"{x[swapped][0]:.3f}) would be in Great Britain. Write coordinates as longitude "
            f"first, then latitude (GeoJSON's order)."
        )
    outside = int((~in_gb).sum())
    raise CRSError(
        f"{path}: {outside:,} of {len(points):,} features lie outside Great Britain "
        f"(e.g. longitude {x[~in_gb][0]:.3f}, latitude {y[~in_gb][0]:.3f}). Check the "
        f"coordinate reference system, or give the right one with --crs."
    )


def check_lon_lat(lon: np.ndarray, lat: np.ndarray, where: str, labels: Sequence[str]) -> None:
    """Refuse point coordinates given as lon/lat that are swapped or not in Great Britain."""
    frame = gpd.GeoDataFrame(
        {"label": list(labels)}, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326"
    )
    frame = frame[np.isfinite(lon) & np.isfinite(lat)]
    check_coordinates(frame, where)


def read_csv_table(path: Path) -> pd.DataFrame:
    """A CSV as text columns (names stripped; a byte-order mark ignored)."""
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty; expected a header row and data") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(f"{path}: cannot read as CSV ({exc})") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


# -- fields and vintages -----------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """A column found by pattern, with the two-digit year its name carries (if any)."""

    column: str
    year: int | None

    @property
    def vintage(self) -> str:
        return "" if self.year is None else str(self.year)


def find_field(
    columns: Iterable[str], patterns: Sequence[str], *, prefer_latest: bool = True
) -> tuple[Field | None, list[Field]]:
    """The column matching ``patterns`` (regexes, tried in order, case-insensitive).

    A ``(?P<yy>..)`` or ``(?P<yyyy>....)`` group in a pattern captures the vintage year
    (``LAD21CD`` → 2021, ``LSOA code (2011)`` → 2011).
    Returns the chosen field and every other match, so callers can warn about files
    carrying several vintages.
    """
    found: list[Field] = []
    for pattern in patterns:
        regex = re.compile(pattern, re.IGNORECASE)
        for column in columns:
            match = regex.fullmatch(column.strip())
            if match is None or any(f.column == column for f in found):
                continue
            groups = match.groupdict()
            year = (int(groups["yyyy"]) if groups.get("yyyy")
                    else 2000 + int(groups["yy"]) if groups.get("yy") else None)
            found.append(Field(column, year))
        if found:
            break
    if not found:
        return None, []
    if prefer_latest:
        found.sort(key=lambda f: -(f.year or 0))
    return found[0], found[1:]


def vintage_warnings(
    path: Path | str, vintages: Mapping[str, int | None], stored: Mapping[str, str]
) -> list[str]:
    """Warnings for codes of different vintages: within the file, and against the store.

    ``vintages`` maps a geography (``OA``, ``LSOA``, ``LAD``) to the year its codes
    in this file are from; ``stored`` the same for what the store already holds
    (from its ``vintage:`` metadata, e.g. ``{"OA": "2011"}``).
    """
    warnings = []
    statistical = {g: y for g, y in vintages.items() if g in ("OA", "LSOA", "MSOA") and y}
    if len(set(statistical.values())) > 1:
        listed = ", ".join(f"{g} {y}" for g, y in statistical.items())
        warnings.append(
            f"{path}: mixes census geographies of different years ({listed}); 2011 and 2021 "
            f"Output Areas and LSOAs differ, so some codes will not nest or match."
        )
    for geography, year in vintages.items():
        before = stored.get(geography)
        if year and before and before != str(year):
            warnings.append(
                f"{path}: {geography} codes here are the {year} vintage but the store's are "
                f"{before}; codes that changed between them will not match."
            )
    return warnings


# -- codes and geometries ----------------------------------------------------------------


def reject_duplicates(codes: pd.Series, path: Path | str, what: str) -> None:
    """Refuse a file that gives the same code twice, naming the codes."""
    repeated = codes[codes.duplicated(keep=False) & codes.notna() & (codes != "")]
    if len(repeated):
        counts = repeated.value_counts()
        raise DataError(
            f"{path}: {len(counts):,} {what} code(s) appear more than once "
            f"({examples(f'{code} ×{n}' for code, n in counts.items())}). Each must appear "
            f"once: remove the repeats or dissolve multi-part areas into one feature per code."
        )


def _polygonal(shape: shapely.Geometry) -> shapely.Geometry:
    """The polygon parts of a repaired shape, as one MultiPolygon (lines and points dropped)."""
    parts = [
        part
        for part in shapely.get_parts(shape)
        if shapely.get_type_id(part) in (3, 6)  # Polygon, MultiPolygon
    ]
    polygons = [p for part in parts for p in shapely.get_parts(part)]
    return shapely.multipolygons(polygons) if polygons else shapely.Polygon()


def repair_geometries(
    frame: gpd.GeoDataFrame,
    codes: pd.Series,
    path: Path | str,
    *,
    reject_invalid: bool = False,
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Polygons as MultiPolygons, invalid ones repaired with ``shapely.make_valid``.

    Returns the frame and the codes repaired. With ``reject_invalid`` an invalid
    geometry is an error naming the codes instead. Missing or empty geometries
    are always an error.
    """
    values = frame.geometry.to_numpy()
    empty = shapely.is_missing(values) | shapely.is_empty(values)
    if empty.any():
        raise DataError(
            f"{path}: {int(empty.sum()):,} features have no geometry "
            f"({examples(codes[empty])}); every area needs its boundary."
        )
    kinds = shapely.get_type_id(values)
    not_polygon = ~np.isin(kinds, (3, 6))
    if not_polygon.any():
        raise DataError(
            f"{path}: {int(not_polygon.sum()):,} features are not polygons "
            f"({examples(codes[not_polygon])}); boundaries must be Polygon or MultiPolygon."
        )
    invalid = ~shapely.is_valid(values)
    if invalid.any() and reject_invalid:
        reasons = [shapely.is_valid_reason(v) for v in values[invalid][:3]]
        raise DataError(
            f"{path}: {int(invalid.sum()):,} invalid geometries ({examples(codes[invalid])}; "
            f"e.g. {'; '.join(reasons)}). Repair them (e.g. in QGIS, or drop --reject-invalid "
            f"to repair them with shapely.make_valid) and import again."
        )
    fixed = values.copy()
    if invalid.any():
        fixed[invalid] = [_polygonal(shapely.make_valid(v)) for v in values[invalid]]
        lost = shapely.is_empty(fixed)
        if lost.any():
            raise DataError(
                f"{path}: {int(lost.sum()):,} geometries have no area left after repair "
                f"({examples(codes[lost])}); fix them at source."
            )
    single = shapely.get_type_id(fixed) == 3
    fixed[single] = [shapely.multipolygons([p]) for p in fixed[single]]
    out = frame.set_geometry(gpd.GeoSeries(fixed, index=frame.index, crs=frame.crs))
    return out, [str(c) for c in codes[invalid]]
