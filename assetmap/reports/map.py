"""The district report's interactive map (folium); ``map_png`` draws the same for the PDF.

Both show: community areas shaded by score, hubs, their
catchments, the candidate sites numbered by rank, the district outline and a
legend. District-scale data is small, so the folium map embeds its GeoJSON
(unlike the officer map, which fetches layers from the API). Every script and
style is served locally; there are no basemap tiles unless a URL is given.
The layers are drawn by :mod:`~assetmap.reports.map_layers` (where the data's text is
escaped), the legend and fit by :mod:`~assetmap.reports.map_legend`.
"""

from __future__ import annotations

from dataclasses import dataclass

from branca.element import Figure as Figure_

import folium

from assetmap.analysis import DistrictReport
from assetmap.extent import GREAT_BRITAIN, MapView, view_of
from assetmap.maps.page import (
    LOCAL_CSS,
    LOCAL_JS,
    AccessiblePage,
    drop_zoom_lock,
    localise,
)
from assetmap.reports.map_layers import (
    area_layer,
    boundary_layer,
    catchment_layer,
    hub_layer,
    site_layer,
    unranked_layer,
)
from assetmap.reports.map_legend import MAP_CSS, FitBeside, Legend, legend_markup

__all__ = [
    "MapParts",
    "build_report_map",
    "map_parts",
]

_ZOOM = 11


def _view(report: DistrictReport) -> MapView:
    """The district's own extent (its outline, else its areas, else its small areas)."""
    return view_of([report.boundary, report.district_areas, report.result.small_areas], _ZOOM)


def build_report_map(
    report: DistrictReport, *, basemap_url: str | None = None, basemap_attribution: str = ""
) -> folium.Map:
    """The district's interactive map inside an :class:`AccessiblePage`.

    Layers, bottom to top: community areas shaded by score, parished areas not
    ranked (grey, dashed), the district boundary, hub catchments, hubs (filled:
    in the district; hollow: outside it) and candidate sites numbered by rank.
    """
    page = AccessiblePage(
        title=f"Map: {report.title}" + (" (synthetic sample data)" if report.synthetic else "")
    )
    view = _view(report)
    bounds = None if view is GREAT_BRITAIN else view.leaflet_bounds
    fmap = folium.Map(
        location=list(view.centre),
        zoom_start=_ZOOM if bounds else view.zoom,
        tiles=None,
        control_scale=True,
        maxZoom=18,
        minZoom=7,
        zoomSnap=0.25,  # Leaflet options: fit the district closely; no tiles, so any zoom works
    )
    localise(fmap, LOCAL_JS, LOCAL_CSS)
    page.add_child(fmap)
    if basemap_url:
        folium.TileLayer(
            basemap_url, attr=basemap_attribution or "Basemap", name="Basemap"
        ).add_to(fmap)
    for layer in (
        area_layer(report),
        unranked_layer(report) if not report.all_areas else None,
        boundary_layer(report),
        catchment_layer(report),
        hub_layer(report),
        site_layer(report),
    ):
        if layer is not None:
            layer.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    fmap.add_child(Legend(legend_markup(report), MAP_CSS))
    if bounds:
        fmap.fit_bounds(bounds)  # recorded in the map's options; refined below in the browser
        fmap.add_child(FitBeside(bounds))
    return fmap


@dataclass(frozen=True)
class MapParts:
    """A rendered folium map split for embedding: <head> content, the map <div>, the script."""

    head: str
    body: str
    script: str


def map_parts(fmap: folium.Map) -> MapParts:
    """Render ``fmap`` and split it so a report page can place it where it wants."""
    figure = fmap.get_root()
    assert isinstance(figure, Figure_), "build the map with build_report_map (it has a page)"
    figure.render()
    head = drop_zoom_lock(
        "\n".join(
            child.render()
            for name, child in figure.header._children.items()
            if name != "meta_http"
        )
    )
    return MapParts(head=head, body=figure.html.render(), script=figure.script.render())
