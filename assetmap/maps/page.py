"""An accessible page around a folium map, with every script and style served locally."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from branca.element import Element, Figure
from jinja2 import Environment, FileSystemLoader, Template, select_autoescape

import folium

from assetmap.config import PROJECT_ROOT

__all__ = [
    "LOCAL_CSS",
    "LOCAL_JS",
    "AccessiblePage",
    "drop_zoom_lock",
    "localise",
    "render_fragment",
    "script_json",
]

STATIC = "/static"
LOCAL_JS = [("leaflet", f"{STATIC}/vendor/leaflet/leaflet.js")]
LOCAL_CSS = [("leaflet_css", f"{STATIC}/vendor/leaflet/leaflet.css")]
# folium's map template forbids zooming the page (user-scalable=no), which fails
# WCAG 1.4.4; the page replaces it with a plain viewport declaration.
_FOLIUM_VIEWPORT_START = '<meta name="viewport" content="width=device-width,'
_VIEWPORT = (
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    '<link rel="icon" href="data:,">'  # no favicon request
)

_templates = Environment(
    loader=FileSystemLoader(PROJECT_ROOT / "web" / "templates"),
    autoescape=select_autoescape(["html"]),
)


def render_fragment(template_name: str, /, **context: Any) -> str:
    """Render a template from web/templates with HTML escaping on."""
    return _templates.get_template(template_name).render(**context)


class AccessiblePage(Figure):
    """A Figure with a language, an escaped title, and no zoom lock."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="{{ this.lang }}">\n'
        "<head>\n"
        "<title>{{ this.title|e }}</title>\n"
        "    {{ this.header.render(**kwargs) }}\n"
        "</head>\n"
        "<body>\n"
        "    {{ this.html.render(**kwargs) }}\n"
        "</body>\n"
        "<script>\n"
        "    {{ this.script.render(**kwargs) }}\n"
        "</script>\n"
        "</html>\n"
    )

    def __init__(self, title: str, lang: str = "en-GB") -> None:
        super().__init__(height="100%", title=title)
        self.lang = lang

    def render(self, **kwargs: Any) -> str:
        html: str = super().render(**kwargs)
        return drop_zoom_lock(html, replacement=_VIEWPORT)


def drop_zoom_lock(html: str, replacement: str = "") -> str:
    """Remove folium's zoom-forbidding viewport tag (WCAG 1.4.4), optionally replacing it."""
    start = html.find(_FOLIUM_VIEWPORT_START)
    if start < 0:
        return html
    end = html.index("/>", start) + 2
    return html[:start] + replacement + html[end:]


def script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def localise(element: Any, js: list[tuple[str, str]], css: list[tuple[str, str]]) -> None:
    """Point a folium element's scripts and styles at this service instead of a CDN."""
    element.default_js = js
    element.default_css = css


def add_stylesheet(page: Figure, name: str, href: str) -> None:
    page.header.add_child(folium.CssLink(href), name=name)


def add_script(page: Figure, name: str, src: str) -> None:
    page.header.add_child(folium.JavascriptLink(src), name=name)


def add_html(page: Figure, html: str, name: str) -> None:
    page.html.add_child(Element(html), name=name)


def static_path(relative: str) -> Path:
    return PROJECT_ROOT / "web" / "static" / relative
