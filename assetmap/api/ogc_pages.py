"""The OGC API – Features resources as HTML pages, for people reading ``/ogc`` in a browser.

As pygeoapi and ldproxy do: the same resources as the JSON (landing page, conformance,
collections, one collection, a page of items with a small map, one item), their links
followed as ordinary links. ``routes/ogc.py`` builds the JSON body and hands it here when
the request prefers HTML (``api/negotiation.py``); ``?f=json`` on any page gives the JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

import geopandas as gpd

from assetmap.api.page_context import shell_context
from assetmap.layers import LayerSpec
from assetmap.maps.mini_map import mini_map_svg
from assetmap.maps.page import render_fragment
from assetmap.store.base import plain_text

__all__ = ["feature_rows", "item_extra", "items_extra", "ogc_page"]

_SHOWN_RELATIONS = {"service-desc", "service-doc", "conformance", "data", "items", "collection",
                    "next", "prev"}


def _json_link(request: Request) -> str:
    """This page's address asking for JSON (what a GIS client gets)."""
    return str(request.url.include_query_params(f="json"))


def _as_page(href: str) -> str:
    """An /ogc link asking for the HTML page (``f=html`` set once, other parameters kept)."""
    parts = urlsplit(href)
    if "/ogc" not in parts.path:
        return href
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "f"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("f", "html")])))


def _links(body: Mapping[str, Any]) -> list[dict[str, str]]:
    """The body's links a reader would follow (not ``self``), as HTML pages where they exist."""
    return [{**link, "href": _as_page(str(link["href"]))} for link in body.get("links", [])
            if link.get("rel") in _SHOWN_RELATIONS]


def ogc_page(request: Request, kind: str, body: Mapping[str, Any], **extra: Any) -> HTMLResponse:
    """One OGC resource as a page; ``kind`` picks the section of ``ogc.html``."""
    html = render_fragment(
        "ogc.html", **shell_context(request), kind=kind, body=body, links=_links(body),
        json_url=_json_link(request), **extra,
    )
    return HTMLResponse(html)


def _value(layer: LayerSpec, field: str, value: Any) -> str:
    """A stored value as a reader sees it: the layer's label for a code, "" when empty."""
    text = plain_text(value) or ""
    return layer.labels.get(field, {}).get(text, text)


def feature_rows(layer: LayerSpec, frame: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Each feature's number (as on the map), id, name and a few shown fields."""
    name_field = layer.tooltip or layer.id_field
    shown = [f for f in layer.popup if f != name_field][:3]
    rows = []
    for number, record in enumerate(frame.to_dict("records"), start=1):
        rows.append({
            "number": number,
            "id": str(record[layer.id_field]),
            "name": _value(layer, name_field, record.get(name_field)),
            "fields": [_value(layer, field, record.get(field)) for field in shown],
        })
    return rows


def items_extra(layer: LayerSpec, frame: gpd.GeoDataFrame) -> dict[str, Any]:
    """What the items page adds to the JSON body: the map and a row per feature."""
    shown = [f for f in layer.popup if f != (layer.tooltip or layer.id_field)][:3]
    label = (f"Map of the {len(frame)} {layer.title.lower()} on this page, numbered as in "
             f"the list")
    return {
        "layer": layer,
        "map_svg": Markup(mini_map_svg(frame, label)) if len(frame) else "",
        "rows": feature_rows(layer, frame),
        "shown_fields": shown,
    }


def item_extra(layer: LayerSpec, frame: gpd.GeoDataFrame) -> dict[str, Any]:
    """What the one-feature page adds: its map and every field with a readable value."""
    record = frame.iloc[0]
    name = _value(layer, layer.tooltip or layer.id_field, record.get(layer.tooltip or ""))
    return {
        "layer": layer,
        "name": name or str(record[layer.id_field]),
        "map_svg": Markup(mini_map_svg(frame, f"Map of {name or 'this feature'}")),
        "fields": [(f.name.replace("_", " ").capitalize(),
                    _value(layer, f.name, record.get(f.name))) for f in layer.fields],
    }
