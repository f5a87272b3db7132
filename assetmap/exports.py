"""Layer downloads as CSV, GeoJSON and GeoPackage, shared by the API and the command line.

Every file says where its data came from. The dataset's ``notice`` (e.g. that
the sample is synthetic) and ``attribution`` (the licence statement real open
data requires) from the store's metadata travel *inside* the file:

- CSV: an ``attribution`` column on every row. A comment line before the
  header would break Excel's column detection and most CSV readers, and an
  HTTP header is lost as soon as the file is saved; a column survives both,
  and stays with rows copied into another sheet.
- GeoJSON: top-level foreign members ``synthetic``, ``notice``, ``attribution`` (a list of lines).
- GeoPackage: an ``export_metadata`` key/value table and the layer's
  description (which QGIS shows as the layer abstract).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import geopandas as gpd
import shapely

from assetmap import __version__
from assetmap.crs import METRIC_CRS, WEB_CRS, to_metric, to_web
from assetmap.errors import ValidationFailed
from assetmap.formats.csv import table_csv_bytes
from assetmap.formats.geojson import feature_collection
from assetmap.formats.gpkg import GpkgLayer, geopackage_bytes
from assetmap.layers import LayerSpec
from assetmap.provenance import DatasetInfo
from assetmap.store import BBox, Store

__all__ = [
    "FORMATS",
    "ExportContext",
    "ExportFormat",
    "LayerExport",
    "export_layer",
    "layer_csv",
    "layer_geojson",
    "layer_gpkg",
    "resolve_format",
]

_LONLAT_DECIMALS = 6  # about 0.1 m
_METRE_DECIMALS = 2  # 1 cm in British National Grid
# GeoPackage layers declare one geometry type; lines and polygons are stored as
# their Multi* type so a layer may mix single and multi parts.
_GPKG_GEOMETRY = {
    "Point": "Point",
    "MultiPoint": "MultiPoint",
    "LineString": "MultiLineString",
    "MultiLineString": "MultiLineString",
    "Polygon": "MultiPolygon",
    "MultiPolygon": "MultiPolygon",
}


@dataclass(frozen=True)
class ExportContext:
    """What a file is a download of: the layer, its provenance and the selection made."""

    layer: LayerSpec
    provenance: DatasetInfo
    bbox: BBox | None = None  # EPSG:27700 metres
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def selection(self) -> dict[str, str]:
        """The bbox and filters as text (empty when the whole layer is exported)."""
        chosen: dict[str, str] = {}
        if self.bbox is not None:
            chosen["bbox_27700"] = ",".join(f"{v:.{_METRE_DECIMALS}f}" for v in self.bbox)
        for name, values in self.filters.items():
            chosen[f"filter:{name}"] = ",".join(values)
        return chosen


def _free_name(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted_`` … when a declared field already has that name."""
    name = wanted
    while name in taken:
        name += "_"
    taken.add(name)
    return name


def _position_columns(frame: gpd.GeoDataFrame, layer: LayerSpec) -> dict[str, Any]:
    """Points: lon/lat (EPSG:4326) and easting/northing (EPSG:27700); else WKT (EPSG:27700).

    None for a plain layer (``geometry_type: none``): it has no positions.
    """
    if not layer.is_spatial:
        return {}
    metric = to_metric(frame.geometry, layer.name)
    if layer.geometry_type == "Point":
        web = to_web(frame.geometry, layer.name)
        return {
            "longitude": np.round(shapely.get_x(web.values), _LONLAT_DECIMALS),
            "latitude": np.round(shapely.get_y(web.values), _LONLAT_DECIMALS),
            "easting": np.round(shapely.get_x(metric.values), _METRE_DECIMALS),
            "northing": np.round(shapely.get_y(metric.values), _METRE_DECIMALS),
        }
    return {"wkt": shapely.to_wkt(metric.values, rounding_precision=_METRE_DECIMALS)}


def layer_csv(frame: gpd.GeoDataFrame, context: ExportContext) -> bytes:
    """One row per feature: declared fields in order, position columns, then ``attribution``.

    Excel-safe (:mod:`assetmap.formats.csv`): UTF-8 with a byte-order mark, CRLF
    line ends, and text a spreadsheet would run as a formula defused.
    """
    layer = context.layer
    frame = frame.reset_index(drop=True)
    table = pd.DataFrame({name: frame[name] for name in layer.field_names})
    taken = set(layer.field_names)
    for name, values in _position_columns(frame, layer).items():
        table[_free_name(name, taken)] = values
    statement = context.provenance.statement
    if statement:
        table[_free_name("attribution", taken)] = statement
    return table_csv_bytes(table)


def layer_geojson(frame: gpd.GeoDataFrame, context: ExportContext) -> bytes:
    """An RFC 7946 FeatureCollection in EPSG:4326 (lon, lat) with provenance members."""
    layer = context.layer
    members: dict[str, Any] = {
        "name": layer.name,
        "title": layer.title,
        **context.provenance.members(),
    }
    selection = context.selection()
    if selection:
        members["selection"] = selection
    text = feature_collection(
        frame, id_field=layer.id_field, fields=layer.field_names, extra=members
    )
    return text.encode("utf-8")


def _metadata_table(frame: gpd.GeoDataFrame, context: ExportContext) -> pd.DataFrame:
    layer, provenance = context.layer, context.provenance
    rows: list[tuple[str, str]] = [
        ("layer", layer.name),
        ("title", layer.title),
        ("description", layer.description),
        ("crs", METRIC_CRS),
        ("feature_count", str(len(frame))),
        ("synthetic", "true" if provenance.synthetic else "false"),
        ("notice", provenance.notice),
        ("attribution", provenance.attribution_text),
        ("exported_at", dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
        ("exported_by", f"assetmap {__version__}"),
        *context.selection().items(),
    ]
    return pd.DataFrame(rows, columns=["key", "value"])


def layer_gpkg(frame: gpd.GeoDataFrame, context: ExportContext) -> bytes:
    """A GeoPackage in EPSG:27700: the layer, plus an ``export_metadata`` table."""
    layer = context.layer
    description = " ".join(p for p in (layer.description, context.provenance.statement) if p)
    if layer.is_spatial:
        data = to_metric(frame, layer.name)[[*layer.field_names, frame.geometry.name]]
        geometry_type: str | None = _GPKG_GEOMETRY[layer.geometry_type]
    else:  # a plain layer becomes an attributes table
        data, geometry_type = pd.DataFrame(frame[list(layer.field_names)]), None
    return geopackage_bytes({
        layer.name: GpkgLayer(
            data,
            geometry_type=geometry_type,
            promote_to_multi=geometry_type not in (None, layer.geometry_type),
            identifier=layer.title,
            description=description,
        ),
        "export_metadata": _metadata_table(frame, context),
    })


Writer = Callable[[gpd.GeoDataFrame, ExportContext], bytes]


@dataclass(frozen=True)
class ExportFormat:
    name: str
    suffix: str
    media_type: str
    crs: str  # coordinates as written, for messages
    write: Writer


FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat(
        "csv", ".csv", "text/csv; charset=utf-8", f"{WEB_CRS} and {METRIC_CRS}", layer_csv
    ),
    "geojson": ExportFormat("geojson", ".geojson", "application/geo+json", WEB_CRS, layer_geojson),
    "gpkg": ExportFormat(
        "gpkg", ".gpkg", "application/geopackage+sqlite3", METRIC_CRS, layer_gpkg
    ),
}
_CHOICES = ", ".join(FORMATS)


def resolve_format(name: str | None, out: Path | None = None) -> ExportFormat:
    """The format named, or the one ``out``'s suffix implies; a clash or a guess is refused."""
    by_suffix = {form.suffix: form for form in FORMATS.values()}
    implied = by_suffix.get(out.suffix.lower()) if out is not None else None
    if name is None:
        if implied is None:
            raise ValidationFailed(
                f"Say which format to write: --format {'|'.join(FORMATS)}, or end the file "
                f"name in {', '.join(by_suffix)}"
            )
        return implied
    form = FORMATS.get(name.lower())
    if form is None:
        raise ValidationFailed(f"Unknown export format {name!r}: use one of {_CHOICES}")
    if implied is not None and implied is not form:
        raise ValidationFailed(
            f"{out} ends in {implied.suffix} but the format is {form.name}: end the file "
            f"name in {form.suffix} or choose --format {implied.name}"
        )
    return form


@dataclass(frozen=True)
class LayerExport:
    data: bytes
    count: int
    filename: str
    format: ExportFormat
    provenance: DatasetInfo


def export_layer(
    store: Store,
    layer: LayerSpec,
    format_name: str,
    *,
    bbox: BBox | None = None,
    filters: Mapping[str, Sequence[str]] | None = None,
) -> LayerExport:
    """Read ``layer`` (optionally within ``bbox``, EPSG:27700, and ``filters``) as one file."""
    form = resolve_format(format_name)
    frame = store.read(layer, bbox=bbox, filters=filters)
    provenance = DatasetInfo.from_metadata(store.metadata())
    context = ExportContext(layer, provenance, bbox, dict(filters or {}))
    data = form.write(frame, context)
    return LayerExport(data, len(frame), f"{layer.name}{form.suffix}", form, provenance)
