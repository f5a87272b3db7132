"""What the web maps draw around their data, and the officer map's search (``/api/map/…``).

``/api/map/context``: district and parish outlines simplified for the zoom, and place
names, for maps with no tile server (no internet needed); kept per store version.
``/api/map/search``: a postcode, a place or an asset by name, to centre the map on.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from assetmap.api.cache import Rendered, conditional
from assetmap.api.deps import CatalogDep, FinderDep, ResponsesDep, StoreDep
from assetmap.maps.context import Detail, map_context, map_search

__all__ = ["router"]

router = APIRouter(prefix="/api/map", tags=["maps"])


@router.get(
    "/context",
    summary="Outlines and place names to draw when no basemap is set",
    description=(
        "District and parish boundaries as GeoJSON lines (EPSG:4326), simplified to `detail` "
        "(`coarse`: within 60 m, for county and district views; `fine`: within 8 m), and the "
        "place names the finder knows, each with a `rank` (1 towns, 2 villages and parishes, "
        "3 wards) for drawing bigger places first. `outlines=false` gives the names alone."
    ),
)
async def context(
    request: Request, store: StoreDep, catalog: CatalogDep, finder: FinderDep,
    responses: ResponsesDep, detail: Detail = "coarse",
    outlines: bool = Query(True, description="include the outlines"),
) -> Response:
    def render() -> Rendered:
        body = map_context(store, catalog, finder.data().gazetteer, detail, outlines=outlines)
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        return Rendered.of(text, "application/json")

    key = ("map-context", store.version(), detail, outlines)
    rendered = await run_in_threadpool(responses.get_or_make, key, render)
    return conditional(request, rendered)


@router.get("/search", summary="A postcode, place or asset by name, to centre a map on")
async def search(
    store: StoreDep, catalog: CatalogDep, finder: FinderDep,
    q: str = Query(..., min_length=1, max_length=100, description="what was typed"),
) -> dict[str, Any]:
    def find() -> list[dict[str, Any]]:
        return [hit.as_json() for hit in map_search(store, catalog, finder.data().gazetteer, q)]

    return {"query": q.strip(), "results": await run_in_threadpool(find)}
