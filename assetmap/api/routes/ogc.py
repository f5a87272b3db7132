"""OGC API – Features Part 1: Core (OGC 17-069r4) at ``/ogc``, for QGIS, ArcGIS and GDAL.

Every declared spatial layer is a collection (plain ones, such as activities, are read at
``/api/layers/{name}/items``). Features are GeoJSON in CRS84
(longitude, latitude) with the layer's id field as the feature id; clients
page through ``/items`` by following ``next`` links (offset-based).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import JSONResponse

import geopandas as gpd

from assetmap.api.cache import ResponseCache
from assetmap.api.deps import CatalogDep, OgcCacheDep, StoreDep
from assetmap.api.negotiation import wants_html
from assetmap.api.ogc_pages import item_extra, items_extra, ogc_page
from assetmap.api.ogc_query import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    check_datetime,
    check_format,
    check_parameters,
    layer_extent,
    matched_ids,
    parse_bbox,
    parse_count,
    parse_limit,
)
from assetmap.api.params import parse_filters
from assetmap.api.schemas import ErrorResponse
from assetmap.errors import BadRequest, NotFound, ValidationFailed
from assetmap.formats.geojson import feature, feature_collection
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.provenance import DatasetInfo
from assetmap.store import Store
from assetmap.store.base import BBox

__all__ = ["CONFORMANCE", "CRS84", "router"]

router = APIRouter(prefix="/ogc", tags=["OGC API – Features"])

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
# The OpenAPI document FastAPI serves is version 3.1, so the oas30 class is not claimed.
CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
)
JSON = "application/json"
GEOJSON = "application/geo+json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.1"
_ITEM_PARAMETERS = ("bbox", "datetime", "limit", "offset", "f")
T = TypeVar("T")


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    meaning = {
        400: "Unknown or invalid query parameter",
        404: "Unknown collection or feature",
        406: "The Accept header admits neither JSON nor HTML",
    }
    return {s: {"model": ErrorResponse, "description": meaning[s]} for s in statuses}


def _f(description: str = "Encoding: json, or html for a page to read in a browser "
       "(default: by the Accept header, JSON unless it prefers text/html)") -> dict[str, Any]:
    return {"name": "f", "in": "query", "required": False, "description": description,
            "schema": {"type": "string", "enum": ["json", "html"]}}


# Parameters read from the query string by hand (so bad values are 400, as the spec
# asks, not FastAPI's 422), declared here for the API definition.
_ITEMS_OPENAPI: dict[str, Any] = {
    "parameters": [
        {"name": "bbox", "in": "query", "required": False, "style": "form", "explode": False,
         "description": "Only features whose geometry meets this box: west,south,east,north "
                        "in CRS84 degrees (a 6-number box with heights is accepted; heights "
                        "are ignored). West > east crosses the antimeridian.",
         "schema": {"type": "array", "minItems": 4, "maxItems": 6,
                    "items": {"type": "number"}}},
        {"name": "datetime", "in": "query", "required": False, "style": "form",
         "explode": False,
         "description": "RFC 3339 date-time or interval. These collections have no temporal "
                        "geometry, so a valid value matches every feature.",
         "schema": {"type": "string"}},
        {"name": "limit", "in": "query", "required": False, "style": "form", "explode": False,
         "description": f"Features per page (default {DEFAULT_LIMIT}; larger values are "
                        f"served as {MAX_LIMIT})",
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                    "default": DEFAULT_LIMIT}},
        {"name": "offset", "in": "query", "required": False,
         "description": "Features to skip; `next` and `prev` links carry it",
         "schema": {"type": "integer", "minimum": 0, "default": 0}},
        _f(),
    ]
}


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + router.prefix


def _json(body: Mapping[str, Any]) -> JSONResponse:
    return JSONResponse(dict(body), media_type=JSON)


def _answer(request: Request, html: bool, kind: str, body: Mapping[str, Any]) -> Response:
    """The resource as a page (``kind`` of ``ogc.html``) or as JSON."""
    return ogc_page(request, kind, body) if html else _json(body)


def _check(
    request: Request,
    allowed: Sequence[str],
    offered: Sequence[str],
    repeatable: Sequence[str] = (),
) -> bool:
    """Refuse unknown parameters; True when the answer is a page (``f=html`` or Accept)."""
    check_parameters(request.query_params, allowed, repeatable)
    if wants_html(request):
        return True
    check_format(request.query_params.get("f"), request.headers.get("accept"), offered)
    return False


@contextmanager
def _as_bad_request() -> Iterator[None]:
    """A filter the layer rejects is an invalid query parameter: 400 here."""
    try:
        yield
    except ValidationFailed as exc:
        raise BadRequest(exc.message, details=exc.details) from exc


@router.get(
    "",
    summary="Landing page",
    response_class=JSONResponse,
    responses={200: {"content": {JSON: {}}, "description": "Links to the API definition, "
                     "conformance and collections"}, **_errors(400, 406)},
    openapi_extra={"parameters": [_f()]},
)
def landing(request: Request, store: StoreDep) -> Response:
    html = _check(request, ("f",), (JSON,))
    base = _base(request)
    root = str(request.base_url).rstrip("/")
    metadata = store.metadata()
    provenance = DatasetInfo.from_metadata(metadata)
    return _answer(request, html, "landing", {
        "title": metadata.get("title") or "assetmap",
        "description": " ".join(filter(None, (
            "Community assets, parishes and districts as OGC API – Features.",
            provenance.statement,
        ))),
        **provenance.members(),
        "links": [
            {"rel": "self", "type": JSON, "title": "This document", "href": base},
            {"rel": "service-desc", "type": OPENAPI, "title": "The API definition (OpenAPI)",
             "href": f"{root}/openapi.json"},
            {"rel": "service-doc", "type": "text/html", "title": "The API documentation",
             "href": f"{root}/docs"},
            {"rel": "conformance", "type": JSON, "title": "Conformance classes",
             "href": f"{base}/conformance"},
            {"rel": "data", "type": JSON, "title": "Collections", "href": f"{base}/collections"},
        ],
    })


@router.get(
    "/conformance",
    summary="Conformance classes",
    response_class=JSONResponse,
    responses={200: {"content": {JSON: {}}, "description": "The classes implemented"},
               **_errors(400, 406)},
    openapi_extra={"parameters": [_f()]},
)
def conformance(request: Request) -> Response:
    html = _check(request, ("f",), (JSON,))
    return _answer(request, html, "conformance", {"conformsTo": list(CONFORMANCE)})


def _collection(
    request: Request, cache: ResponseCache, store: Store, layer: LayerSpec
) -> dict[str, Any]:
    base = _base(request)
    collection: dict[str, Any] = {
        "id": layer.name,
        "title": layer.title,
        "description": layer.description,
        "links": [
            {"rel": "items", "type": GEOJSON, "title": f"{layer.title} as GeoJSON",
             "href": f"{base}/collections/{layer.name}/items"},
        ],
        "itemType": "feature",
        "crs": [CRS84],
    }
    extent = layer_extent(cache, store, layer)
    if extent is not None:
        collection["extent"] = {"spatial": {"bbox": [extent], "crs": CRS84}}
    attribution = DatasetInfo.from_metadata(store.metadata()).attribution_text
    if attribution:
        collection["attribution"] = attribution
    return collection


@router.get(
    "/collections",
    summary="The collections (one per layer)",
    response_class=JSONResponse,
    responses={200: {"content": {JSON: {}}, "description": "Every collection with its extent"},
               **_errors(400, 406)},
    openapi_extra={"parameters": [_f()]},
)
def collections(
    request: Request, catalog: CatalogDep, store: StoreDep, cache: OgcCacheDep
) -> Response:
    html = _check(request, ("f",), (JSON,))
    base = _base(request)
    return _answer(request, html, "collections", {
        "links": [{"rel": "self", "type": JSON, "title": "This document",
                   "href": f"{base}/collections"}],
        "collections": [_collection(request, cache, store, layer)
                        for layer in catalog.values() if layer.is_spatial],
    })


@router.get(
    "/collections/{collectionId}",
    summary="One collection",
    response_class=JSONResponse,
    responses={200: {"content": {JSON: {}}, "description": "The collection"},
               **_errors(400, 404, 406)},
    openapi_extra={"parameters": [_f()]},
)
def collection(
    request: Request,
    catalog: CatalogDep,
    store: StoreDep,
    cache: OgcCacheDep,
    collection_id: str = Path(alias="collectionId"),
) -> Response:
    layer = _spatial_layer(catalog, collection_id)
    html = _check(request, ("f",), (JSON,))
    body = _collection(request, cache, store, layer)
    body["links"].insert(0, {"rel": "self", "type": JSON, "title": layer.title,
                             "href": f"{_base(request)}/collections/{layer.name}"})
    return _answer(request, html, "collection", body)


def _spatial_layer(catalog: LayerCatalog, collection_id: str) -> LayerSpec:
    """The collection's layer; plain layers (``geometry_type: none``) are not collections."""
    layer = catalog[collection_id]
    if not layer.is_spatial:
        raise NotFound(
            f"{collection_id!r} has no positions, so it is not an OGC collection; read it at "
            f"/api/layers/{collection_id}/items"
        )
    return layer


def _timestamp() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@router.get(
    "/collections/{collectionId}/items",
    summary="Features of a collection (GeoJSON, CRS84)",
    response_class=Response,
    responses={200: {"content": {GEOJSON: {}}, "description": "A page of features with "
                     "numberMatched, numberReturned, timeStamp and next/prev links"},
               **_errors(400, 404, 406)},
    description=(
        "Besides `bbox`, `datetime`, `limit`, `offset` and `f`, each field listed in the "
        "collection's layer `filters` (see `/api/layers`) is a parameter: exact match, a comma "
        "between alternatives, e.g. `?category=village_hall,church_hall&status=open`. Any "
        "other parameter is refused with 400."
    ),
    openapi_extra=_ITEMS_OPENAPI,
)
def items(
    request: Request,
    catalog: CatalogDep,
    store: StoreDep,
    cache: OgcCacheDep,
    collection_id: str = Path(alias="collectionId"),
) -> Response:
    layer = _spatial_layer(catalog, collection_id)
    params = request.query_params
    # Filters may repeat (status=open&status=closed), as on /api/layers.
    html = _check(request, (*_ITEM_PARAMETERS, *layer.filters), (GEOJSON, JSON), layer.filters)
    limit = parse_limit(params.get("limit"))
    offset = parse_count("offset", params.get("offset"), 0, 0)
    bbox = parse_bbox(params.get("bbox"))
    check_datetime(params.get("datetime"))
    with _as_bad_request():
        filters = parse_filters(layer, params.multi_items(), _ITEM_PARAMETERS)
        frame, matched = _page(cache, store, layer, bbox, filters, offset, limit)
    links = _page_links(request, layer, offset, limit, returned=len(frame), matched=matched)
    extra = {
        "timeStamp": _timestamp(),
        "numberMatched": matched,
        "numberReturned": len(frame),
        **DatasetInfo.from_metadata(store.metadata()).members(),
        "links": links,
    }
    if html:
        return ogc_page(request, "items", extra, offset=offset, **items_extra(layer, frame))
    text = feature_collection(frame, id_field=layer.id_field, fields=layer.field_names,
                              extra=extra)
    return Response(text, media_type=GEOJSON)


def _page(
    cache: ResponseCache, store: Store, layer: LayerSpec, bbox: BBox | None,
    filters: Mapping[str, Sequence[str]], offset: int, limit: int,
) -> tuple[gpd.GeoDataFrame, int]:
    """One page of features and how many match in all.

    Without a bbox the store pages and counts itself (SQL LIMIT/OFFSET and count(*)), so
    the first page of 100,000 features reads ten; a CRS84 bbox needs every candidate's
    geometry, so those ids are found once and cached per data version.
    """
    if bbox is None:
        matched = store.count(layer, filters=filters)
        if offset >= matched:
            return store.read(layer, limit=0), matched
        return store.read(layer, filters=filters, limit=limit, offset=offset), matched
    ids = matched_ids(cache, store, layer, bbox, filters)
    page = ids[offset : offset + limit].tolist()
    if not page:
        return store.read(layer, limit=0), len(ids)
    return store.read(layer, filters={layer.id_field: page}), len(ids)


def _page_links(
    request: Request, layer: LayerSpec, offset: int, limit: int, *, returned: int, matched: int
) -> list[dict[str, str]]:
    """self, collection, and next/prev where there is such a page (OGC 17-069r4 §7.15.4)."""
    links = [
        {"rel": "self", "type": GEOJSON, "title": "This page", "href": str(request.url)},
        {"rel": "collection", "type": JSON, "title": layer.title,
         "href": f"{_base(request)}/collections/{layer.name}"},
    ]
    if offset + returned < matched:
        following = request.url.include_query_params(offset=offset + returned, limit=limit)
        links.append({"rel": "next", "type": GEOJSON, "title": "Next page",
                      "href": str(following)})
    if offset > 0:
        previous = request.url.include_query_params(offset=max(offset - limit, 0), limit=limit)
        links.append({"rel": "prev", "type": GEOJSON, "title": "Previous page",
                      "href": str(previous)})
    return links


@router.get(
    "/collections/{collectionId}/items/{featureId}",
    summary="One feature (GeoJSON, CRS84)",
    response_class=Response,
    responses={200: {"content": {GEOJSON: {}}, "description": "The feature"},
               **_errors(400, 404, 406)},
    openapi_extra={"parameters": [_f()]},
)
def item(
    request: Request,
    catalog: CatalogDep,
    store: StoreDep,
    collection_id: str = Path(alias="collectionId"),
    feature_id: str = Path(alias="featureId"),
) -> Response:
    layer = _spatial_layer(catalog, collection_id)
    html = _check(request, ("f",), (GEOJSON, JSON))
    missing = NotFound(f"No feature {feature_id!r} in collection {layer.name!r}")
    try:
        frame = store.read(layer, filters={layer.id_field: [feature_id]})
    except ValidationFailed:  # e.g. a word where the id field holds numbers
        raise missing from None
    if frame.empty:
        raise missing
    body = json.loads(feature(frame, id_field=layer.id_field, fields=layer.field_names))
    base = _base(request)
    body["links"] = [
        {"rel": "self", "type": GEOJSON, "title": "This feature", "href": str(request.url)},
        {"rel": "collection", "type": JSON, "title": layer.title,
         "href": f"{base}/collections/{layer.name}"},
    ]
    if html:
        return ogc_page(request, "item", body, **item_extra(layer, frame))
    return Response(json.dumps(body, ensure_ascii=False), media_type=GEOJSON)
