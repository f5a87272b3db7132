"""Clustered points for web maps: ``GET /api/layers/{name}/clusters?zoom=&bbox=``."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Query, Request, Response

from assetmap.api.cache import ResponseCache
from assetmap.api.deps import CatalogDep, ResponsesDep, StoreDep
from assetmap.api.params import BBOX_DESCRIPTION, parse_filters, parse_lonlat_bbox
from assetmap.api.schemas import ErrorResponse
from assetmap.clustering import PointGrid
from assetmap.crs import to_web
from assetmap.errors import ValidationFailed
from assetmap.formats.geojson import plain_columns
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.store import Filters, Store

__all__ = ["cluster_source", "router", "warm"]

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/layers", tags=["layers"])
GEOJSON = "application/geo+json"
# What a single point carries to the map; the rest comes with its popup.
POINT_FIELDS = ("id", "name", "category", "status")
_RESERVED = ("zoom", "bbox")


@dataclass(frozen=True)
class _Source:
    grid: PointGrid
    ids: list[str]
    columns: dict[str, list[Any]]

    @property
    def nbytes(self) -> int:
        return int(self.grid.x.nbytes * 4 + 200 * len(self.ids))

    def properties(self, index: int) -> dict[str, Any]:
        return {name: values[index] for name, values in self.columns.items()}


def cluster_source(
    cache: ResponseCache, store: Store, layer: LayerSpec, filters: Filters
) -> _Source:
    """The layer's points for clustering, read once per filter set and store version."""
    key = (
        "points",
        layer.name,
        tuple(sorted((name, tuple(values)) for name, values in filters.items())),
        store.version(),
    )
    source: _Source = cache.get_or_make(key, lambda: _source(store, layer, filters))
    return source


def warm(cache: ResponseCache, store: Store, catalog: LayerCatalog) -> None:
    """Prepare every clustered layer's points so the first map view is quick."""
    try:
        for layer in catalog.values():
            if layer.geometry_type == "Point" and layer.style.cluster:
                cluster_source(cache, store, layer, {})
    except Exception as exc:  # only a head start: the first request that needs it reports it
        log.warning("map points not prepared in advance: %s", exc)


def _source(store: Store, layer: LayerSpec, filters: Filters) -> _Source:
    fields = [f for f in POINT_FIELDS if f in layer.field_names]
    frame = store.read(layer, filters=filters, fields=fields)
    web = to_web(frame.geometry, layer.name)
    return _Source(
        grid=PointGrid(web.x.to_numpy(), web.y.to_numpy()),
        ids=frame[layer.id_field].astype(str).tolist(),
        columns=plain_columns(frame, fields),
    )


@router.get(
    "/{name}/clusters",
    summary="A point layer grouped for a map view",
    response_class=Response,
    responses={
        200: {"content": {GEOJSON: {}}, "description": "Clusters and single points"},
        404: {"model": ErrorResponse, "description": "Unknown layer"},
        422: {"model": ErrorResponse, "description": "Bad zoom, bbox or filter"},
    },
    description=(
        "Points within `bbox` grouped on a 64-pixel grid at map zoom `zoom`. A group of "
        "several is a feature with `cluster: true`, `count` and the `bounds` of its members; "
        "a lone point is the feature itself with its id, name, category and status. Accepts "
        "the layer's filters, like `/api/layers/{name}`."
    ),
)
def clusters(
    name: str,
    request: Request,
    catalog: CatalogDep,
    store: StoreDep,
    responses: ResponsesDep,
    zoom: int = Query(..., ge=0, le=22, description="Web map zoom level"),
    bbox: str | None = Query(None, description=BBOX_DESCRIPTION),
) -> Response:
    layer = catalog[name]
    if layer.geometry_type != "Point":
        raise ValidationFailed(f"Layer {name!r} holds {layer.geometry_type}s; only points cluster")
    filters = parse_filters(layer, request.query_params.multi_items(), _RESERVED)
    box = parse_lonlat_bbox(bbox) if bbox is not None else None
    source = cluster_source(responses, store, layer, filters)
    groups = source.grid.clusters(zoom, box)
    features = []
    for i in range(len(groups.count)):
        count = int(groups.count[i])
        point = {"type": "Point", "coordinates": [round(float(groups.lon[i]), 6),
                                                  round(float(groups.lat[i]), 6)]}
        if count == 1:
            member = int(groups.first[i])
            properties = {**source.properties(member), "cluster": False, "count": 1}
            features.append({"type": "Feature", "id": source.ids[member], "geometry": point,
                             "properties": properties})
        else:
            bounds = [round(float(v), 6) for v in groups.bounds[i]]
            features.append({"type": "Feature", "id": f"cluster:{groups.cell[i]}",
                             "geometry": point,
                             "properties": {"cluster": True, "count": count, "bounds": bounds}})
    body = {"type": "FeatureCollection", "zoom": zoom,
            "numberMatched": int(groups.count.sum()), "numberReturned": len(features),
            "features": features}
    return Response(json.dumps(body, ensure_ascii=False), media_type=GEOJSON)
