"""The officer map: boundaries and assets, drawn from the API by the page itself.

Nothing large is embedded: the page holds the layer declarations and fetches
features from ``/api/layers/…``. Clustered point layers are grouped by the
service for the current view (``/api/layers/{name}/clusters``), so the page
stays small and quick at 100,000 assets; popups load their details when opened.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from branca.element import MacroElement
from jinja2 import Template

import folium
from folium.map import FitBounds

from assetmap.extent import GREAT_BRITAIN, MapView
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.maps.page import (
    LOCAL_CSS,
    LOCAL_JS,
    AccessiblePage,
    add_html,
    add_script,
    add_stylesheet,
    localise,
    render_fragment,
    script_json,
)
from assetmap.provenance import DatasetInfo

__all__ = ["OfficerMapInputs", "build_officer_map", "render_officer_page"]

SYNTHETIC_LABEL = "Synthetic sample data."
_ZOOM = 10  # before the view is fitted to the county
# Draw order, bottom to top; layers not listed follow in catalogue order.
_DRAW_ORDER = ("community_areas", "districts", "assets")
# Only these fields travel with unclustered points; the rest come with the popup.
_POINT_FIELDS = ("id", "name", "category", "status")


@dataclass(frozen=True)
class OfficerMapInputs:
    catalog: LayerCatalog
    bounds: tuple[float, float, float, float] | None  # lon/lat: west, south, east, north
    metadata: dict[str, str] = field(default_factory=dict)
    districts: Sequence[tuple[str, str]] = ()  # (code, name) for the district filter
    title: str = "Community assets map"
    basemap_url: str | None = None
    basemap_attribution: str = ""
    api_prefix: str = "/api/layers"
    context_url: str = "/api/map/context"  # place names and outlines, when no basemap is set
    # Layers the store holds nothing for (e.g. parishes not loaded): left off the map and legend.
    empty_layers: frozenset[str] = frozenset()
    # Layer -> the values of its style's ``by`` field the store holds: the legend lists those
    # alone (a layer not named lists every declared value).
    present: Mapping[str, frozenset[str]] = field(default_factory=dict)


def _titles(layer: LayerSpec) -> dict[str, str]:
    return {f.name: f.name.replace("_", " ").capitalize() for f in layer.fields}


def _layer_config(layer: LayerSpec, api_prefix: str) -> dict[str, Any]:
    is_point = layer.geometry_type in ("Point", "MultiPoint")
    config: dict[str, Any] = {
        "name": layer.name,
        "title": layer.title,
        "kind": "point" if is_point else "polygon",
        "url": f"{api_prefix}/{layer.name}",
        "itemUrl": f"{api_prefix}/{layer.name}/items/",
        "idField": layer.id_field,
        "style": layer.style.model_dump(),
        "labels": layer.labels,
        "popup": list(layer.popup),
        "tooltip": layer.tooltip,
        "titles": _titles(layer),
        "filterable": is_point and bool(layer.filters),
        "show": layer.show,
        "cluster": is_point and layer.style.cluster,
    }
    if is_point:
        config["fields"] = [f for f in _POINT_FIELDS if f in layer.field_names]
    return config


class _LayerLoader(MacroElement):
    """Calls the page script that fetches each layer into its folium group."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        assetmapOfficerMap({{ this._parent.get_name() }}, {{ this.config }}, {
          {%- for name, group in this.groups %}
          {{ name|tojson }}: {{ group.get_name() }}{{ "," if not loop.last }}
          {%- endfor %}
        });
        {% endmacro %}
        """
    )

    def __init__(self, config: dict[str, Any], groups: list[tuple[str, Any]]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca leaves MacroElement.__init__ unannotated
        self._name = "LayerLoader"
        self.config = script_json(config)
        self.groups = groups


def _ordered(catalog: LayerCatalog, empty: frozenset[str] = frozenset()) -> list[LayerSpec]:
    layers = [layer for layer in catalog.values() if layer.on_map and layer.name not in empty]
    rank = {name: i for i, name in enumerate(_DRAW_ORDER)}
    return sorted(layers, key=lambda layer: rank.get(layer.name, len(rank)))


def _group_for(layer: LayerSpec) -> folium.FeatureGroup:
    # Clustered layers are grouped by the service (/api/layers/{name}/clusters), so every
    # layer is a plain group the page script fills.
    return folium.FeatureGroup(name=layer.title, show=layer.show)


def _legend(catalog: LayerCatalog, empty: frozenset[str],
            present: Mapping[str, frozenset[str]]) -> list[dict[str, Any]]:
    groups = []
    for layer in _ordered(catalog, empty):
        style = layer.style
        if style.by and style.colors:
            held = present.get(layer.name)
            items = [
                {"label": layer.label(style.by, value), "color": colour}
                for value, colour in style.colors.items() if held is None or value in held
            ]
        else:
            items = [{"label": layer.title, "color": style.color}]
        points = layer.geometry_type in ("Point", "MultiPoint")
        groups.append({"title": layer.title, "items": items, "points": points})
    return groups


def _filters(catalog: LayerCatalog, districts: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    selects = []
    for layer in catalog.values():
        if layer.geometry_type not in ("Point", "MultiPoint") or not layer.on_map:
            continue
        for name in layer.filters:
            spec = layer.field(name)
            if name == "district_code":
                options = [(code, label) for code, label in districts]
                label = "District"
            elif spec.choices is not None:
                options = [(value, layer.label(name, value)) for value in spec.choices]
                label = name.replace("_", " ").capitalize()
            else:
                continue
            selects.append({"name": name, "label": label, "options": options})
    return selects


def build_officer_map(inputs: OfficerMapInputs) -> folium.Map:
    """A folium map inside an accessible page; render it with :func:`render_officer_page`."""
    info = DatasetInfo.from_metadata(inputs.metadata)
    synthetic = info.synthetic
    page = AccessiblePage(title=inputs.title + (" (synthetic sample data)" if synthetic else ""))
    add_html(
        page,
        render_fragment(
            "officer_panel.html",
            title=inputs.title,
            synthetic=synthetic,
            notice=info.notice or (SYNTHETIC_LABEL if synthetic else ""),
            notice_label=SYNTHETIC_LABEL if synthetic else "Note:",
            filters=_filters(inputs.catalog, inputs.districts),
            legend=_legend(inputs.catalog, inputs.empty_layers, inputs.present),
            attribution=info.attribution_text,
        ),
        name="panel",
    )
    # Opens on the county (fitted below); with no districts at all, on Great Britain.
    view = GREAT_BRITAIN if inputs.bounds is None else MapView(*inputs.bounds, zoom=_ZOOM)
    fmap = folium.Map(
        tiles=None, prefer_canvas=True, control_scale=True, zoom_start=view.zoom,
        location=list(view.centre),
        maxZoom=19, minZoom=6,  # Leaflet options: with no tile layer the map itself needs them
        zoomSnap=0.5,  # fit the county snugly
    )
    localise(fmap, LOCAL_JS, LOCAL_CSS)
    page.add_child(fmap)
    add_stylesheet(page, "assetmap_css", "/static/css/officer-map.css")
    add_script(page, "assetmap_context_js", "/static/js/map-context.js")
    add_script(page, "assetmap_move_js", "/static/js/officer-move.js")
    add_script(page, "assetmap_search_js", "/static/js/officer-search.js")
    add_script(page, "assetmap_js", "/static/js/officer-map.js")
    if inputs.basemap_url:
        folium.TileLayer(
            inputs.basemap_url, attr=inputs.basemap_attribution or "Basemap", name="Basemap"
        ).add_to(fmap)
    groups = []
    layers = []
    for layer in _ordered(inputs.catalog, inputs.empty_layers):
        group = _group_for(layer)
        group.add_to(fmap)
        groups.append((layer.name, group))
        layers.append(_layer_config(layer, inputs.api_prefix))
    folium.LayerControl(collapsed=False).add_to(fmap)
    if inputs.bounds is not None:
        west, south, east, north = inputs.bounds
        fit = FitBounds([[south, west], [north, east]])
        fit.options["animate"] = False  # the first view is final: no zoom still running later
        fmap.add_child(fit)
    config: dict[str, Any] = {"layers": layers}
    if not inputs.basemap_url:
        # No tiles: name the places (the outlines are the map's own district and parish layers).
        config["context"] = {"url": inputs.context_url, "outlines": False}
    fmap.add_child(_LayerLoader(config, groups))
    return fmap


def render_officer_page(fmap: folium.Map) -> str:
    return str(fmap.get_root().render())
