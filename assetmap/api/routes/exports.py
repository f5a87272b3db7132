"""Layer downloads: ``/api/layers/{name}.csv``, ``.geojson`` and ``.gpkg``.

Registered before the layers router: ``/api/layers/{name}`` would otherwise
take ``assets.csv`` for a layer name.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request, Response

from assetmap.api.deps import CatalogDep, StoreDep
from assetmap.api.params import BBOX_DESCRIPTION, parse_bbox, parse_filters
from assetmap.api.schemas import ErrorResponse
from assetmap.exports import FORMATS, export_layer

__all__ = ["router"]

router = APIRouter(prefix="/api/layers", tags=["layers"])


@router.get(
    "/{name}.{extension}",
    summary="A layer as a CSV, GeoJSON or GeoPackage download",
    response_class=Response,
    responses={
        200: {
            "content": {form.media_type: {} for form in FORMATS.values()},
            "description": "The file, as an attachment named after the layer",
        },
        404: {"model": ErrorResponse, "description": "Unknown layer"},
        422: {"model": ErrorResponse, "description": "Bad bbox, filter or format"},
    },
    description=(
        "The whole layer, or the part chosen with `bbox` and the layer's `filters` as for "
        "`/api/layers/{name}`. CSV (UTF-8 with a byte-order mark for Excel): declared fields, "
        "then `longitude`,`latitude` (EPSG:4326) and `easting`,`northing` (EPSG:27700) for "
        "points or `wkt` (EPSG:27700) otherwise, then `attribution`; text that a spreadsheet "
        "would run as a formula starts with `'`. GeoJSON: EPSG:4326 with `synthetic`, `notice` "
        "and `attribution` members. GeoPackage: EPSG:27700 with an `export_metadata` table."
    ),
)
def export(
    name: str,
    extension: Literal["csv", "geojson", "gpkg"],
    request: Request,
    catalog: CatalogDep,
    store: StoreDep,
    bbox: str | None = Query(
        None, description=BBOX_DESCRIPTION,
        examples=["-1.6,52.4,-0.7,52.9"],
    ),
) -> Response:
    layer = catalog[name]
    box = parse_bbox(bbox) if bbox is not None else None
    filters = parse_filters(layer, request.query_params.multi_items(), ("bbox",))
    result = export_layer(store, layer, extension, bbox=box, filters=filters)
    return Response(
        result.data,
        media_type=result.format.media_type,
        headers={"Content-Disposition": f'attachment; filename="{result.filename}"'},
    )
