"""Assets from a GeoPackage layer: points in the layer's own CRS, which must be declared.

The layer is first checked by SQLite (``gpkg_tables``): a table, not a view, whose rows
are counted here and agree with the count the file declares.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from typing import Any

import numpy as np
import pandas as pd

import pyogrio
from pyogrio.errors import DataSourceError

from assetmap.errors import CRSError, DataError
from assetmap.layers import LayerSpec
from assetmap.register.imports.model import Problem, SourceRow, SourceTable
from assetmap.register.imports.readers.geojson import Z_FIX
from assetmap.register.imports.readers.gpkg_tables import GpkgTable, count_rows, inspect_gpkg
from assetmap.register.imports.readers.text import column_key

__all__ = ["read_gpkg"]


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dt.date | str | int | float | bool):
        return value
    return str(value)


def _choose_layer(tables: list[GpkgTable], name: str, wanted: str | None,
                  default: str) -> GpkgTable:
    layers = [table.name for table in tables]
    by_name = {table.name: table for table in tables}
    if wanted is not None:
        if wanted not in by_name:
            raise DataError(f"{name}: no layer {wanted!r}; it has {', '.join(layers) or 'none'}")
        return by_name[wanted]
    if len(layers) == 1:
        return tables[0]
    if default in by_name:
        return by_name[default]
    raise DataError(
        f"{name}: has {len(layers)} layers ({', '.join(layers) or 'none'}); name the one to "
        f"import (--layer NAME) or call it {default!r}"
    )


def _checked_rows(data: bytes, name: str, table: GpkgTable, max_rows: int) -> int:
    """Refuse a view, a table over the row limit (counted here) or one whose declared count
    disagrees with its rows; the number of rows otherwise."""
    if table.is_view:
        raise DataError(
            f"{name}: layer {table.name!r} is a view (a saved query), not a table of assets; "
            f"save it as a table and import that (QGIS: Export → Save Features As…; or "
            f"`ogr2ogr -f GPKG assets.gpkg {name} {table.name}`)"
        )
    rows = count_rows(data, name, table.name)
    if rows > max_rows:
        raise DataError(
            f"{name}: layer {table.name!r} has {rows:,} features, more than the "
            f"{max_rows:,} one import takes (ASSETMAP_IMPORT_MAX_ROWS). Split it."
        )
    if table.declared is not None and table.declared != rows:
        raise DataError(
            f"{name}: layer {table.name!r} says it holds {table.declared:,} features "
            f"(gpkg_ogr_contents) but its table has {rows:,} rows, so the file was changed "
            "outside a GeoPackage tool or is damaged; nothing was imported. Re-export it "
            f"(`ogr2ogr -f GPKG fixed.gpkg {name}`) and import the copy."
        )
    return rows


def read_gpkg(
    data: bytes, name: str, layer: LayerSpec, *, max_rows: int, source_layer: str | None = None
) -> SourceTable:
    with warnings.catch_warnings():
        # GDAL notes when an upload's temporary name does not end in .gpkg; that is expected.
        warnings.simplefilter("ignore", RuntimeWarning)
        stored = _choose_layer(inspect_gpkg(data, name), name, source_layer, layer.name)
        chosen = stored.name
        _checked_rows(data, name, stored, max_rows)
        try:
            info = pyogrio.read_info(io.BytesIO(data), layer=chosen)
        except DataSourceError as exc:
            raise DataError(f"{name}: not a readable GeoPackage ({exc})") from exc
        if info["crs"] is None:
            raise CRSError(
                f"{name}: layer {chosen!r} has no coordinate reference system, so its points "
                "cannot be placed. Set it (QGIS: Layer Properties → Source → Assigned CRS, e.g. "
                "EPSG:27700; or `ogr2ogr -a_srs EPSG:27700 fixed.gpkg "
                f"{name}`) and import again."
            )
        frame = pyogrio.read_dataframe(io.BytesIO(data), layer=chosen, fid_as_index=True)
    crs = str(info["crs"])
    fields = {column: column_key(column) for column in frame.columns if column != "geometry"}
    ignored = [c for c, key in fields.items() if key not in layer.field_names]
    table = SourceTable(name=name, format="GeoPackage", rows=[])
    if ignored:
        table.warnings.append(Problem(
            where=name, field="", value="",
            problem=f"column(s) {', '.join(map(repr, ignored))} of layer {chosen!r} are not "
            f"fields of {layer.name} and were ignored",
            fix=f"rename them to one of: {', '.join(layer.field_names)}, if they were meant as one",
        ))
    for fid, record in zip(frame.index, frame.itertuples(index=False), strict=True):
        values = dict(zip(frame.columns, record, strict=True))
        row = SourceRow(row=int(fid), where=f"fid {fid}", values={})
        for column, key in fields.items():
            if key in layer.field_names:
                row.values[key] = _plain(values[column])
        geometry = values.get("geometry")
        if geometry is not None and not geometry.is_empty:
            if geometry.has_z:
                row.problems.append(Problem(
                    where=row.where, row=row.row, field="geometry", value=geometry.wkt[:80],
                    problem="has a height (z); the register keeps positions only", fix=Z_FIX,
                ))
            elif geometry.geom_type != "Point":
                row.problems.append(Problem(
                    where=row.where, row=row.row, field="geometry", value=geometry.geom_type,
                    problem=f"is a {geometry.geom_type}, not a Point",
                    fix="give each asset a point (QGIS: Vector → Geometry Tools → Centroids)",
                ))
            else:
                row.xy, row.crs, row.coordinates = (geometry.x, geometry.y), crs, "geometry"
        table.rows.append(row)
    return table
