"""The officer map (``/``): every layer on one folium map, cached per store version."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from assetmap.api.deps import CatalogDep, ResponsesDep, SettingsDep, StoreDep
from assetmap.crs import to_web
from assetmap.maps import OfficerMapInputs, build_officer_map, render_officer_page
from assetmap.provenance import NO_PARISHES

__all__ = ["router"]

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def officer_map(
    catalog: CatalogDep, store: StoreDep, settings: SettingsDep, responses: ResponsesDep
) -> HTMLResponse:
    def render() -> str:
        districts_layer = catalog.get("districts")
        districts = []
        bounds = None
        if districts_layer is not None:
            frame = store.read(districts_layer)
            if len(frame):
                districts = sorted(zip(frame["code"].astype(str), frame["name"].astype(str),
                                       strict=True), key=lambda item: item[1])
                west, south, east, north = to_web(frame.geometry, "districts").total_bounds
                bounds = (float(west), float(south), float(east), float(north))
        empty = frozenset(
            layer.name for layer in catalog.values() if layer.on_map and store.count(layer) == 0
        )
        metadata = store.metadata()
        if "community_areas" in empty:  # no parishes: say so, as the layer is left off
            metadata["notice"] = " ".join(filter(None, (metadata.get("notice"), NO_PARISHES)))
        present = {
            layer.name: frozenset(
                store.read(layer, fields=[layer.style.by])[layer.style.by].dropna().astype(str)
            )
            for layer in catalog.values()
            if layer.on_map and layer.style.by and layer.name not in empty
        }
        inputs = OfficerMapInputs(
            catalog=catalog,
            bounds=bounds,
            metadata=metadata,
            districts=districts,
            basemap_url=settings.basemap_url,
            basemap_attribution=settings.basemap_attribution,
            empty_layers=empty,
            present=present,
        )
        return render_officer_page(build_officer_map(inputs))

    html = responses.get_or_make(("page:/", store.version()), render)
    return HTMLResponse(html)
