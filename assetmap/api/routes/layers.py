"""The layer catalogue and layer features as GeoJSON (EPSG:4326)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response

from assetmap.api.cache import ResponseCache
from assetmap.api.deps import CatalogDep, ResponsesDep, SettingsDep, StoreDep
from assetmap.api.layer_points import prepared_points
from assetmap.api.params import (
    BBOX_DESCRIPTION,
    MAX_OFFSET,
    parse_bbox,
    parse_filters,
    parse_properties,
)
from assetmap.api.schemas import ErrorResponse, FieldPublic, LayerPublic, LayersPublic, Link
from assetmap.errors import NotFound
from assetmap.formats.geojson import collection_text, feature, feature_collection
from assetmap.layers import LayerSpec
from assetmap.provenance import DatasetInfo
from assetmap.register.editing import feature_etag
from assetmap.store import BBox, Store
from assetmap.store.base import feature_from_row

__all__ = ["router"]

router = APIRouter(prefix="/api/layers", tags=["layers"])
GEOJSON = "application/geo+json"
_ERRORS: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorResponse, "description": "Unknown layer or feature"},
    422: {"model": ErrorResponse, "description": "Bad bbox, filter or parameter"},
}
_RESERVED = ("bbox", "properties", "limit", "offset")


def _public(layer: LayerSpec, count: int, base: str) -> LayerPublic:
    return LayerPublic(
        name=layer.name,
        title=layer.title,
        description=layer.description,
        geometry_type=layer.geometry_type,
        id_field=layer.id_field,
        fields=[
            FieldPublic(
                name=f.name,
                type=f.type,
                required=f.required,
                choices=list(f.choices) if f.choices is not None else None,
                description=f.description,
            )
            for f in layer.fields
        ],
        filters=list(layer.filters),
        hub_categories=list(layer.hub_categories),
        style=layer.style.model_dump(),
        labels=layer.labels,
        popup=list(layer.popup),
        feature_count=count,
        links=[
            Link(rel="items", href=f"{base}/api/layers/{layer.name}", type=GEOJSON,
                 title=f"{layer.title} as GeoJSON"),
        ],
    )


@router.get("", response_model=LayersPublic, summary="The layer catalogue")
def list_layers(request: Request, catalog: CatalogDep, store: StoreDep) -> LayersPublic:
    base = str(request.base_url).rstrip("/")
    info = DatasetInfo.from_metadata(store.metadata())
    return LayersPublic(
        layers=[_public(layer, store.count(layer), base) for layer in catalog.values()],
        synthetic=info.synthetic,
        notice=info.notice or None,
    )


@router.get(
    "/{name}",
    summary="A layer's features as GeoJSON",
    response_class=Response,
    responses={200: {"content": {GEOJSON: {}}, "description": "A GeoJSON FeatureCollection"},
               **_ERRORS},
    description=(
        "Features in EPSG:4326 (longitude, latitude). Filter by any of the layer's declared "
        "`filters` fields as extra parameters, e.g. `?category=village_hall,community_hub"
        "&status=open` (comma = any of). Unknown parameters are refused with 422."
    ),
)
def get_layer(
    name: str,
    request: Request,
    catalog: CatalogDep,
    store: StoreDep,
    settings: SettingsDep,
    responses: ResponsesDep,
    bbox: str | None = Query(
        None, description=BBOX_DESCRIPTION,
        examples=["-1.6,52.4,-0.7,52.9"],
    ),
    properties: str | None = Query(
        None, description="Comma-separated fields to return (the id is always returned)"
    ),
    limit: int | None = Query(None, ge=1, le=MAX_OFFSET,
                               description="Largest number of features to return"),
    offset: int = Query(0, ge=0, le=MAX_OFFSET, description="Features to skip (for paging)"),
) -> Response:
    layer = catalog[name]
    box = parse_bbox(bbox) if bbox is not None else None
    filters = parse_filters(layer, request.query_params.multi_items(), _RESERVED)
    fields = parse_properties(layer, properties)
    page = min(limit or settings.max_features, settings.max_features)
    key = (name, str(request.query_params), store.version())

    def links(more: bool) -> dict[str, object]:
        if not more:
            return {}
        following = request.url.include_query_params(offset=offset + page, limit=page)
        return {"links": [{"rel": "next", "href": str(following), "type": GEOJSON}]}

    def render() -> str:
        if box is not None and not filters and properties is None:
            held = _from_points(responses, store, layer, box, offset, page)
            if held is not None:
                texts, more = held
                return collection_text(texts, {"numberReturned": len(texts), **links(more)})
        frame = store.read(
            layer, bbox=box, filters=filters, fields=fields, limit=page + 1, offset=offset
        )
        more = len(frame) > page
        frame = frame.iloc[:page]
        extra = {"numberReturned": len(frame), **links(more)}
        return feature_collection(frame, id_field=layer.id_field, fields=fields, extra=extra)

    text = responses.get_or_make(key, render)
    return Response(text, media_type=GEOJSON)


def _from_points(responses: ResponseCache, store: Store, layer: LayerSpec, box: BBox,
                 offset: int, page: int) -> tuple[list[str], bool] | None:
    """A page of a point layer's features in ``box`` (and whether more follow) from its
    prepared points; None for a layer of other geometries or too large to hold."""
    if layer.geometry_type != "Point":
        return None
    points = prepared_points(responses, store, layer)
    if points.texts is None:
        return None
    chosen = points.within(box)[offset:offset + page + 1].tolist()
    return [points.texts[i] for i in chosen[:page]], len(chosen) > page


@router.get(
    "/{name}/items/{feature_id}",
    summary="One feature as GeoJSON",
    response_class=Response,
    responses={200: {"content": {GEOJSON: {}}, "description": "A GeoJSON Feature"}, **_ERRORS},
)
def get_feature(
    name: str, feature_id: str, request: Request, catalog: CatalogDep, store: StoreDep
) -> Response:
    layer = catalog[name]
    frame = store.read(layer, filters={layer.id_field: [feature_id]})
    if frame.empty:
        raise NotFound(f"No feature {feature_id!r} in layer {name!r}")
    # The ETag is what an editor sends back as If-Match (assetmap/register/editing.py).
    etag = feature_etag(feature_from_row(layer, frame.iloc[0]))
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(
        feature(frame, id_field=layer.id_field, fields=layer.field_names),
        media_type=GEOJSON,
        headers=headers,
    )
