"""The officer map as an object, and its rendered page's promises (no CDN, escaping)."""

from __future__ import annotations

import re
from typing import Any

import folium

from assetmap.config import PROJECT_ROOT
from assetmap.crs import GB_BOUNDS
from assetmap.extent import GREAT_BRITAIN
from assetmap.layers import load_catalog
from assetmap.maps import OfficerMapInputs, build_officer_map, render_officer_page

CATALOG = load_catalog(PROJECT_ROOT / "layers")
SYNTHETIC = {"synthetic": "true", "notice": "Invented <b>places</b> & people."}


def build(**changes: object) -> folium.Map:
    inputs = OfficerMapInputs(
        catalog=CATALOG,
        bounds=(-1.6, 52.4, -0.7, 52.9),
        metadata=SYNTHETIC,
        districts=[("E07999001", "Westshire <script>")],
    )
    for key, value in changes.items():
        object.__setattr__(inputs, key, value)
    return build_officer_map(inputs)


def children(fmap: folium.Map) -> list[Any]:
    # Any: the children are mixed folium elements; the tests probe them with hasattr.
    return list(fmap._children.values())


def test_one_group_per_map_layer_and_a_layer_control() -> None:
    fmap = build()
    names = [c.layer_name for c in children(fmap) if hasattr(c, "layer_name") and c.control]
    assert names == ["Parishes and unparished areas", "Districts", "Community assets",
                     "Small areas (population)"]
    html = render_officer_page(fmap)
    # Assets are grouped by the service for each view, not shipped whole to the page.
    assert '"cluster": true' in html and '"url": "/api/layers/assets"' in html
    assert any(isinstance(c, folium.LayerControl) for c in children(fmap))
    postcodes_on_map = [c for c in children(fmap) if getattr(c, "layer_name", "") == "Postcodes"]
    assert postcodes_on_map == []


def test_layers_the_store_has_nothing_for_are_left_off_the_map_and_legend() -> None:
    fmap = build(empty_layers=frozenset({"community_areas"}))
    names = [c.layer_name for c in children(fmap) if hasattr(c, "layer_name") and c.control]
    assert "Parishes and unparished areas" not in names
    html = render_officer_page(fmap)
    assert "Town council" not in html and '"name": "community_areas"' not in html


def test_no_basemap_unless_configured() -> None:
    assert not [c for c in children(build()) if isinstance(c, folium.TileLayer)]
    tiles = "https://tiles.example.gov.uk/{z}/{x}/{y}.png"
    fmap = build(basemap_url=tiles, basemap_attribution="© Council")
    (layer,) = [c for c in children(fmap) if isinstance(c, folium.TileLayer)]
    assert layer.tiles == tiles


def test_page_loads_every_script_and_style_from_the_service() -> None:
    html = render_officer_page(build())
    sources = re.findall(r'<script[^>]+src="([^"]+)"', html)
    sheets = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    sheets += re.findall(r'<link[^>]+href="([^"]+)"[^>]+rel="stylesheet"', html)
    assert sources and sheets
    for url in sources + sheets:
        assert url.startswith("/static/"), url
        assert (PROJECT_ROOT / "web" / url.removeprefix("/")).is_file(), url
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


def test_page_is_accessible_to_zoom_and_declares_language() -> None:
    html = render_officer_page(build())
    assert '<html lang="en-GB">' in html
    assert "user-scalable=no" not in html
    assert "<title>Community assets map (synthetic sample data)</title>" in html
    assert 'role="status"' in html


def test_synthetic_notice_and_data_text_are_escaped() -> None:
    html = render_officer_page(build())
    assert "Synthetic sample data." in html
    assert "Invented &lt;b&gt;places&lt;/b&gt; &amp; people." in html
    assert "Westshire &lt;script&gt;" in html
    assert "<b>places</b>" not in html


def test_layer_config_is_safe_inside_the_script() -> None:
    html = render_officer_page(build(title="Map </script><script>alert(1)</script>"))
    assert "</script><script>alert(1)" not in html
    # The title is still shown, as text, in the page title and its heading.
    assert "<title>Map &lt;/script&gt;&lt;script&gt;alert(1)" in html
    assert "<h1>Map &lt;/script&gt;&lt;script&gt;alert(1)" in html


def test_filters_offer_declared_choices_with_labels() -> None:
    html = render_officer_page(build())
    assert '<label for="am-filter-category">Category</label>' in html
    assert '<option value="community_library">Community-managed library</option>' in html
    assert '<option value="E07999001">' in html


def test_page_links_to_reports_finder_and_api() -> None:
    html = render_officer_page(build())
    for href in ('href="/reports"', 'href="/find"', 'href="/docs"'):
        assert href in html


def test_the_map_opens_on_the_districts_never_a_fixed_county() -> None:
    fmap = build()
    assert fmap.location == [52.65, -1.15]  # the middle of the bounds given
    assert fmap.options["zoom"] == 10
    assert any(type(c).__name__ == "FitBounds" for c in children(fmap))
    nowhere = build(bounds=None)
    west, south, east, north = GB_BOUNDS
    assert nowhere.location == [(south + north) / 2, (west + east) / 2]
    assert nowhere.options["zoom"] == GREAT_BRITAIN.zoom
    assert not any(type(c).__name__ == "FitBounds" for c in children(nowhere))


def test_notice_and_attribution_come_from_the_dataset_info() -> None:
    html = render_officer_page(build(metadata={"synthetic": "TRUE",
                                               "attribution": " First line \n\nSecond "}))
    assert "(synthetic sample data)" in html
    assert "First line<br>Second</p>" in html


# -- issue 16: a legend whose colours mean one thing each, listing only what is there ----------
def _lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB hex colour, to compare colours as people see them."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
    xyz = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
    )
    fx, fy, fz = (t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def legend_html(html: str) -> str:
    found = re.search(r'<section class="am-legend".*?</section>', html, re.S)
    assert found is not None
    return found.group(0)


def test_no_legend_colour_means_two_things() -> None:
    swatches = re.findall(r'style="background: (#[0-9a-fA-F]{6})" aria-hidden="true"></span>'
                          r"([^<]+)</li>", legend_html(render_officer_page(build())))
    assert len(swatches) >= 12  # seven categories, five parish types, districts, small areas
    for i, (colour, label) in enumerate(swatches):
        for other, other_label in swatches[i + 1:]:
            distance = sum((p - q) ** 2 for p, q in zip(_lab(colour), _lab(other),
                                                        strict=True)) ** 0.5
            assert distance >= 12, f"{label} {colour} looks like {other_label} {other}"


def test_the_legend_lists_only_the_categories_the_store_holds() -> None:
    legend = legend_html(render_officer_page(build(present={
        "assets": frozenset({"village_hall", "council_library"}),
        "community_areas": frozenset({"parish_council"}),
    })))
    assert "Village hall" in legend and "Council library" in legend
    assert "Community café" not in legend and "Church hall" not in legend
    assert "Parish council" in legend and "Town council" not in legend


def test_with_no_basemap_the_map_names_places_from_the_store() -> None:
    html = render_officer_page(build())
    assert '"context": {"url": "/api/map/context", "outlines": false}' in html
    assert "/static/js/map-context.js" in html
    tiles = render_officer_page(build(basemap_url="https://tiles.example/{z}/{x}/{y}.png"))
    assert '"context"' not in tiles  # the council's tiles name the places


def test_the_panel_starts_with_sign_in_then_search_and_has_the_editing_banner() -> None:
    html = render_officer_page(build())
    panel = html[html.index('<aside class="am-panel"'):]
    assert panel.index("Officer sign in") < panel.index("Find a place, postcode or asset")
    assert panel.index("Find a place, postcode or asset") < panel.index("Filter assets")
    assert 'role="search"' in panel and 'id="am-search-q"' in panel
    assert '<div id="am-banner" class="am-banner" role="region"' in html
    assert 'id="am-banner-cancel"' in html and 'id="am-banner-status"' in html
    assert "/static/js/officer-move.js" in html and "/static/js/officer-search.js" in html
