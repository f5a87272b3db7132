"""Layer downloads: ``/api/layers/{name}.csv``, ``.geojson`` and ``.gpkg``.

Registered before the layers router: ``/api/layers/{name}`` would otherwise
take ``assets.csv`` for a layer name.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from assetmap.api.cache import PUBLIC, Rendered, conditional
from assetmap.api.deps import CatalogDep, RenderedDep, RenderPoolDep, StoreDep
from assetmap.api.params import BBOX_DESCRIPTION, parse_bbox, parse_filters
from assetmap.api.schemas import ErrorResponse
from assetmap.exports import FORMATS, export_layer
from assetmap.layers import LayerSpec
from assetmap.store import BBox, Filters, Store

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
        304: {"description": "Not modified: the ETag given in If-None-Match is current"},
        404: {"model": ErrorResponse, "description": "Unknown layer"},
        422: {"model": ErrorResponse, "description": "Bad bbox, filter or format"},
        503: {"model": ErrorResponse, "description": "Busy making other files; try again "
              "after Retry-After seconds"},
    },
    description=(
        "The whole layer, or the part chosen with `bbox` and the layer's `filters` as for "
        "`/api/layers/{name}`. CSV (UTF-8 with a byte-order mark for Excel): declared fields, "
        "then `longitude`,`latitude` (EPSG:4326) and `easting`,`northing` (EPSG:27700) for "
        "points or `wkt` (EPSG:27700) otherwise, then `attribution`; text that a spreadsheet "
        "would run as a formula starts with `'`. GeoJSON: EPSG:4326 with `synthetic`, `notice` "
        "and `attribution` members. GeoPackage: EPSG:27700 with an `export_metadata` table. "
        "Made once per register version and query, then served with a strong `ETag` "
        "(`If-None-Match` gives `304 Not Modified`)."
    ),
)
async def export(
    name: str,
    extension: Literal["csv", "geojson", "gpkg"],
    request: Request,
    catalog: CatalogDep,
    store: StoreDep,
    rendered: RenderedDep,
    pool: RenderPoolDep,
    bbox: str | None = Query(
        None, description=BBOX_DESCRIPTION,
        examples=["-1.6,52.4,-0.7,52.9"],
    ),
) -> Response:
    layer = catalog[name]
    box = parse_bbox(bbox) if bbox is not None else None
    filters = parse_filters(layer, request.query_params.multi_items(), ("bbox",))
    version = await run_in_threadpool(store.version)  # a query on PostGIS: not on the loop
    key = ("export", version, layer.name, extension, box,
           tuple((k, tuple(v)) for k, v in sorted(filters.items())))
    kept = rendered.get(key)
    found = kept if isinstance(kept, Rendered) else None
    if found is None:
        found = await pool.run(_render, store, layer, extension, box, filters)
        rendered.put(key, found)
    return conditional(request, found, PUBLIC)


def _render(store: Store, layer: LayerSpec, extension: str, box: BBox | None,
            filters: Filters) -> Rendered:
    result = export_layer(store, layer, extension, bbox=box, filters=filters)
    return Rendered.of(result.data, result.format.media_type,
                       {"Content-Disposition": f'attachment; filename="{result.filename}"'})
