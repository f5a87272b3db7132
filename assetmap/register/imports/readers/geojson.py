"""Assets from GeoJSON: Point features, longitude/latitude (RFC 7946, CRS84) unless a legacy
``crs`` member names another CRS.

A feature with ``"geometry": null`` is placed at its postcode, as a CSV row
without coordinates is. The feature's ``id`` is used when its properties give none.
"""

from __future__ import annotations

import json
from typing import Any

from pyproj import CRS
from pyproj.exceptions import CRSError as PyprojCRSError

from assetmap.crs import WEB_CRS
from assetmap.errors import DataError
from assetmap.layers import LayerSpec
from assetmap.register.imports.model import Problem, SourceRow, SourceTable
from assetmap.register.imports.readers.text import column_key, decode_text

__all__ = ["Z_FIX", "declared_crs", "load_json", "read_geojson"]

# Heights are refused, never dropped unnoticed.
Z_FIX = ("give [longitude, latitude] without the height (QGIS: Vector → Geometry Tools → "
         "Drop M/Z Values; or ogr2ogr -dim XY)")


def load_json(data: bytes, name: str) -> Any:
    text, _ = decode_text(data, name, allow_windows=False)
    try:
        return json.loads(text)
    except RecursionError:
        raise DataError(
            f"{name}: JSON nested too deeply to read (arrays or objects inside one another "
            "thousands of levels deep); a GeoJSON file of assets needs only a few levels"
        ) from None
    except json.JSONDecodeError as exc:
        raise DataError(
            f"{name}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc


def declared_crs(document: dict[str, Any], name: str) -> tuple[str, list[Problem]]:
    """The CRS of the coordinates: CRS84 unless a legacy (2008) ``crs`` member names one."""
    member = document.get("crs")
    if member is None:
        return WEB_CRS, []
    properties = member.get("properties") if isinstance(member, dict) else None
    named = None
    if isinstance(properties, dict):
        named = properties.get("name") or (
            f"EPSG:{properties['code']}" if "code" in properties else None
        )
    try:
        crs = CRS.from_user_input(str(named))
    except PyprojCRSError as exc:
        raise DataError(
            f"{name}: the crs member {json.dumps(member)[:120]} names no CRS this service knows. "
            "Remove it and give longitude/latitude (RFC 7946), or name one such as "
            "\"urn:ogc:def:crs:EPSG::27700\"."
        ) from exc
    if crs.is_geographic and crs.equals(CRS.from_user_input(WEB_CRS), ignore_axis_order=True):
        return WEB_CRS, []  # GeoJSON writes longitude first even under EPSG:4326
    authority = crs.to_authority()
    code = f"{authority[0]}:{authority[1]}" if authority else crs.to_wkt()
    note = Problem(
        where=name, field="crs", value=str(named),
        problem=f"uses the legacy crs member; coordinates were read as {crs.name} ({code})",
        fix="nothing, if that is right; RFC 7946 GeoJSON gives longitude/latitude and no crs",
    )
    return code, [note]


def _features(document: Any, name: str) -> list[Any]:
    kind = document.get("type") if isinstance(document, dict) else None
    if kind == "FeatureCollection" and isinstance(document.get("features"), list):
        return list(document["features"])
    if kind == "Feature":
        return [document]
    raise DataError(
        f"{name}: not a GeoJSON FeatureCollection (found "
        f"{str(kind or type(document).__name__)!r}); "
        "export the layer as GeoJSON features"
    )


def _geometry(row: SourceRow, geometry: Any, crs: str) -> None:
    if geometry is None:
        return  # placed at its postcode
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind != "Point":
        row.problems.append(Problem(
            where=row.where, row=row.row, field="geometry", value=str(kind),
            problem=f"is a {kind}, not a Point",
            fix="give each asset a Point (in QGIS: Vector → Geometry Tools → Centroids)",
        ))
        return
    coordinates = geometry.get("coordinates")
    if (
        not isinstance(coordinates, list) or len(coordinates) < 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates[:2])
    ):
        row.problems.append(Problem(
            where=row.where, row=row.row, field="geometry", value=json.dumps(coordinates)[:80],
            problem="has no usable coordinates", fix="give [longitude, latitude] as two numbers",
        ))
        return
    if len(coordinates) > 2:
        row.problems.append(Problem(
            where=row.where, row=row.row, field="geometry", value=json.dumps(coordinates)[:80],
            problem="has a height (a third coordinate, z); the register keeps positions only",
            fix=Z_FIX,
        ))
        return
    label = "longitude/latitude" if crs == WEB_CRS else "coordinates"
    row.xy, row.crs, row.coordinates = (float(coordinates[0]), float(coordinates[1])), crs, label


def read_geojson(data: bytes, name: str, layer: LayerSpec, *, max_rows: int) -> SourceTable:
    document = load_json(data, name)
    features = _features(document, name)
    if len(features) > max_rows:
        raise DataError(
            f"{name}: {len(features):,} features, more than the {max_rows:,} one import takes "
            "(ASSETMAP_IMPORT_MAX_ROWS). Split the file and import each part."
        )
    crs, warnings = declared_crs(document, name)
    ignored: set[str] = set()
    rows = []
    for index, feature in enumerate(features):
        row = SourceRow(row=index, where=f"features[{index}]", values={})
        rows.append(row)
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            row.problems.append(Problem(
                where=row.where, row=index, field="", value="", problem="is not a Feature",
                fix="give {\"type\": \"Feature\", \"geometry\": …, \"properties\": {…}}",
            ))
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            properties = {}
        for key, value in properties.items():
            field = column_key(key)
            if field in layer.field_names:
                row.values[field] = value
            else:
                ignored.add(str(key))
        if row.values.get(layer.id_field) in (None, "") and feature.get("id") is not None:
            row.values[layer.id_field] = str(feature["id"])
        _geometry(row, feature.get("geometry"), crs)
    if ignored:
        warnings.append(Problem(
            where=name, field="", value="",
            problem=f"properties {', '.join(map(repr, sorted(ignored)))} are not fields of "
            f"{layer.name} and were ignored",
            fix=f"rename them to one of: {', '.join(layer.field_names)}, if they were meant as one",
        ))
    return SourceTable(name=name, format="GeoJSON", rows=rows, warnings=warnings)
