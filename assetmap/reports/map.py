"""The district report's interactive map (folium); ``map_png`` draws the same for the PDF.

Both show: community areas shaded by score, hubs, their
catchments, the candidate sites numbered by rank, the district outline and a
legend. District-scale data is small, so the folium map embeds its GeoJSON
(unlike the officer map, which fetches layers from the API). Every script and
style is served locally; there are no basemap tiles unless a URL is given.

Text from the data reaches the browser only as JSON (escaped for <script>) and,
for tooltips that folium inserts as HTML, pre-escaped with :func:`html.escape`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from branca.element import Figure as Figure_
from branca.element import MacroElement, Template

import folium
import geopandas as gpd
import shapely
import shapely.geometry

from assetmap.analysis import DistrictReport
from assetmap.crs import to_metric, to_web
from assetmap.maps.page import (
    LOCAL_CSS,
    LOCAL_JS,
    AccessiblePage,
    drop_zoom_lock,
    localise,
    render_fragment,
    script_json,
)
from assetmap.reports.palette import (
    BOUNDARY_COLOUR,
    CATCHMENT_COLOUR,
    HUB_COLOUR,
    OUTLINE_COLOUR,
    SCORE_BANDS,
    UNRANKED_FILL,
    band_label,
    score_colour,
)
from assetmap.reports.tables import GOVERNANCE_LABELS

__all__ = [
    "MapParts",
    "build_report_map",
    "map_parts",
]

_DRAW_TOLERANCE_M = 5.0  # invisible at district scale; keeps the embedded GeoJSON small


def _e(value: Any) -> str:
    """Text for HTML that folium inserts unescaped (tooltips): escaped, empty for missing."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return html.escape(str(value))


def _features(frame: gpd.GeoDataFrame, properties: list[dict[str, Any]], ids: list[str]) -> dict:
    """A FeatureCollection in lon/lat; boundaries simplified to 5 m for drawing."""
    metric = to_metric(frame, "report layer")
    metric = metric.set_geometry(metric.geometry.simplify(_DRAW_TOLERANCE_M), crs=metric.crs)
    web = to_web(metric, "report layer")
    web = web.set_geometry(
        shapely.transform(web.geometry.to_numpy(), lambda xy: np.round(xy, 6)), crs=web.crs
    )
    features = [
        {
            "type": "Feature",
            "id": feature_id,
            "properties": props,
            "geometry": shapely.geometry.mapping(geom),
        }
        for feature_id, props, geom in zip(ids, properties, web.geometry, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def _area_layer(report: DistrictReport) -> folium.GeoJson | None:
    areas = report.areas
    if not len(areas):
        return None
    names = areas["name"] if "name" in areas.columns else areas["code"]
    properties = [
        {
            "colour": score_colour(float(score)),
            "label_name": _e(name),
            "label_rank": _e(int(rank)),
            "label_score": _e(f"{score:.1f}"),
            "label_reasons": _e(reasons or "no flag"),
        }
        for name, rank, score, reasons in zip(
            names, areas["rank"], areas["score"], areas["reasons"], strict=True
        )
    ]
    data = _features(areas, properties, [str(c) for c in areas["code"]])
    return folium.GeoJson(
        data,
        name="Community areas by score",
        style_function=lambda feature: {
            "fillColor": feature["properties"]["colour"],
            "fillOpacity": 0.75,
            "color": OUTLINE_COLOUR,
            "weight": 1,
        },
        highlight_function=lambda feature: {"weight": 3, "color": BOUNDARY_COLOUR},
        tooltip=folium.GeoJsonTooltip(
            fields=["label_name", "label_rank", "label_score", "label_reasons"],
            aliases=["Community area", "Rank", "Score (0–100)", "Reasons"],
            sticky=True,
        ),
    )


def _unranked_layer(report: DistrictReport) -> folium.GeoJson | None:
    ranked = set(report.areas["code"].astype(str))
    others = report.district_areas[~report.district_areas["code"].astype(str).isin(ranked)]
    if not len(others):
        return None
    names = others["name"] if "name" in others.columns else others["code"]
    governance = others.get("governance", pd.Series("", index=others.index))
    properties = [
        {
            "label_name": _e(name),
            "label_governance": _e(GOVERNANCE_LABELS.get(str(g), str(g))),
            "label_note": "Not ranked: this report ranks unparished areas only",
        }
        for name, g in zip(names, governance, strict=True)
    ]
    data = _features(others, properties, [str(c) for c in others["code"]])
    return folium.GeoJson(
        data,
        name="Parished areas (not ranked)",
        style={
            "fillColor": UNRANKED_FILL,
            "fillOpacity": 0.6,
            "color": OUTLINE_COLOUR,
            "weight": 1,
            "dashArray": "4 4",
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["label_name", "label_governance", "label_note"],
            aliases=["Community area", "Governance", "Note"],
        ),
    )


def _boundary_layer(report: DistrictReport) -> folium.GeoJson | None:
    if not len(report.boundary):
        return None
    data = _features(report.boundary, [{}] * len(report.boundary), ["district"])
    return folium.GeoJson(
        data,
        name="District boundary",
        style={"fill": False, "color": BOUNDARY_COLOUR, "weight": 3},
        interactive=False,
    )


def _catchment_layer(report: DistrictReport) -> folium.GeoJson | None:
    hubs = report.hubs
    hubs = hubs[np.isfinite(hubs["catchment_m"].to_numpy(float))]
    if not len(hubs):
        return None
    circles = to_metric(hubs, "hubs").geometry.buffer(hubs["catchment_m"].to_numpy(float), 16)
    frame = gpd.GeoDataFrame(geometry=circles, crs=hubs.crs)
    data = _features(frame, [{}] * len(frame), [str(i) for i in range(len(frame))])
    return folium.GeoJson(
        data,
        name="Hub catchments",
        style={
            "color": CATCHMENT_COLOUR,
            "weight": 1,
            "opacity": 0.8,
            "fillColor": CATCHMENT_COLOUR,
            "fillOpacity": 0.05,
        },
        interactive=False,
    )


def _hub_layer(report: DistrictReport) -> folium.GeoJson | None:
    hubs = report.hubs
    if not len(hubs):
        return None
    names = hubs["name"] if "name" in hubs.columns else hubs.index.astype(str)
    properties = [
        {
            "inside": bool(inside),
            "label_name": _e(name),
            "label_category": _e(str(category).replace("_", " ").capitalize()),
            "label_status": _e(str(status).replace("_", " ")),
            "label_where": "in the district" if inside else "outside the district",
        }
        for name, category, status, inside in zip(
            names, hubs["category"], hubs["status"], hubs["in_district"], strict=True
        )
    ]
    ids = [f"hub-{i}" for i in range(len(hubs))]
    return folium.GeoJson(
        _features(hubs, properties, ids),
        name="Hubs",
        marker=folium.CircleMarker(radius=6, weight=2, fill=True, fill_opacity=1),
        style_function=lambda feature: {
            "color": "#ffffff" if feature["properties"]["inside"] else HUB_COLOUR,
            "fillColor": HUB_COLOUR if feature["properties"]["inside"] else "#ffffff",
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["label_name", "label_category", "label_status", "label_where"],
            aliases=["Hub", "Category", "Status", "Where"],
        ),
    )


def _site_layer(report: DistrictReport) -> folium.FeatureGroup | None:
    sites = report.sites
    if not len(sites):
        return None
    group = folium.FeatureGroup(name="Candidate sites (numbered by rank)")
    web = to_web(sites, "candidate sites")
    # The numbers are marks, not controls: sites are often closer together than a
    # 24-pixel target allows (WCAG 2.5.8), and the "Candidate sites" table, numbered
    # the same way, holds everything about each one.
    for row, point in zip(web.to_dict("records"), web.geometry, strict=True):
        rank = int(row["rank"])
        folium.Marker(
            location=(float(point.y), float(point.x)),
            icon=folium.DivIcon(
                html=f'<span class="rm-site-badge" aria-hidden="true">{rank}</span>',
                icon_size=(26, 26),
                icon_anchor=(13, 13),
                class_name="rm-site",
            ),
            interactive=False,
            keyboard=False,
        ).add_to(group)
    return group


@dataclass(frozen=True)
class _LegendBand:
    label: str
    colour: str


class _Legend(MacroElement):
    """A legend control whose HTML comes from an autoescaped template (no data text)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
          var legend = L.control({position: "bottomright"});
          legend.onAdd = function () {
            var div = L.DomUtil.create("div", "rm-legend");
            div.setAttribute("role", "group");
            div.setAttribute("aria-label", "Map legend");
            div.innerHTML = {{ this.markup }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
          };
          legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, markup: str, css: str) -> None:
        super().__init__()
        self._name = "ReportLegend"
        self.markup = script_json(markup)
        self.css = css


class _FitBeside(MacroElement):
    """Fit the district beside the controls on the right, when the map is wide enough."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
          var right = Math.min(340, Math.round(map.getSize().x * 0.35));
          map.fitBounds({{ this.bounds }},
                        {paddingTopLeft: [10, 10], paddingBottomRight: [right, 10]});
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "FitBeside"
        self.bounds = script_json(bounds)


_MAP_CSS = """
.rm-legend { background: #ffffff; color: #1b1b1b; padding: 0.5rem 0.75rem;
  border: 1px solid #767676; border-radius: 4px; font-size: 0.85rem; line-height: 1.4;
  max-width: 16rem; }
.rm-legend summary { font-weight: 600; cursor: pointer; }
.rm-legend h3 { font-size: 0.9rem; margin: 0.25rem 0; }
.rm-legend ul { list-style: none; margin: 0 0 0.4rem; padding: 0; }
.rm-legend li { display: flex; align-items: center; gap: 0.4rem; }
.rm-swatch { display: inline-block; width: 1rem; height: 0.8rem; border: 1px solid #525252;
  flex: none; }
.rm-symbol { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 50%;
  flex: none; box-sizing: border-box; }
.rm-site .rm-site-badge, .rm-legend .rm-site-badge { display: flex; align-items: center;
  justify-content: center; width: 22px; height: 22px; background: #4a1486; color: #ffffff;
  font: bold 13px/1 system-ui, sans-serif; border: 2px solid #ffffff; border-radius: 3px;
  box-shadow: 0 0 0 1px #1b1b1b; transform: rotate(0deg); }
.rm-legend .rm-site-badge { width: 1rem; height: 1rem; font-size: 0.7rem; flex: none; }
.rm-site { background: transparent; border: none; }
.rm-site:focus-visible, .leaflet-interactive:focus-visible { outline: 3px solid #1d4ed8; }
"""


def _legend_markup(report: DistrictReport) -> str:
    return render_fragment(
        "report_map_legend.html",
        bands=[_LegendBand(band_label(lo, hi), colour) for lo, hi, colour in SCORE_BANDS],
        show_unranked=not report.all_areas,
        thresholds=report.thresholds,
        hub_colour=HUB_COLOUR,
        catchment_colour=CATCHMENT_COLOUR,
        unranked_fill=UNRANKED_FILL,
    )


def _bounds(report: DistrictReport) -> list[list[float]] | None:
    frame = report.boundary if len(report.boundary) else report.district_areas
    if not len(frame):
        return None
    west, south, east, north = to_web(frame, "district").total_bounds
    return [[float(south), float(west)], [float(north), float(east)]]


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
    bounds = _bounds(report)
    centre = (
        [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
        if bounds
        else [52.6, -1.1]
    )
    fmap = folium.Map(
        location=centre,
        zoom_start=11,
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
        _area_layer(report),
        _unranked_layer(report) if not report.all_areas else None,
        _boundary_layer(report),
        _catchment_layer(report),
        _hub_layer(report),
        _site_layer(report),
    ):
        if layer is not None:
            layer.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    fmap.add_child(_Legend(_legend_markup(report), _MAP_CSS))
    if bounds:
        fmap.fit_bounds(bounds)  # recorded in the map's options; refined below in the browser
        fmap.add_child(_FitBeside(bounds))
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
