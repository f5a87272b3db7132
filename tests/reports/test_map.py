"""The report map as a folium object, its rendered page, and the static PNG for the PDF."""

from __future__ import annotations

import re

import folium

from assetmap.analysis import DistrictReport
from assetmap.reports import build_report_map, report_map_png
from assetmap.reports.map import map_parts
from assetmap.reports.map_png import needs_detail_map
from assetmap.reports.palette import SCORE_BANDS, score_colour
from tests.analysis.riverside import MakeReport, make_inputs
from tests.conftest import XSS_NAME


def _layers(fmap: folium.Map) -> dict[str, object]:
    return {
        child.layer_name: child  # type: ignore[attr-defined]  # folium layers have one
        for child in fmap._children.values()
        if getattr(child, "layer_name", None)
    }


def test_map_layers_and_no_basemap(report: DistrictReport) -> None:
    fmap = build_report_map(report)
    layers = _layers(fmap)
    assert list(layers) == [
        "Community areas by score",
        "Parished areas (not ranked)",
        "District boundary",
        "Hub catchments",
        "Hubs",
        "Candidate sites (numbered by rank)",
    ]
    assert not any(isinstance(c, folium.TileLayer) for c in fmap._children.values())
    assert any(isinstance(c, folium.LayerControl) for c in fmap._children.values())
    areas = layers["Community areas by score"].data["features"]  # type: ignore[attr-defined]
    assert [f["id"] for f in areas] == list(report.areas["code"])
    assert areas[0]["properties"]["colour"] == score_colour(95.0) == SCORE_BANDS[-1][2]
    sites = layers["Candidate sites (numbered by rank)"]
    assert len(sites._children) == 5  # type: ignore[attr-defined]


def test_map_fits_the_district(report: DistrictReport) -> None:
    (south, west), (north, east) = build_report_map(report).get_bounds()
    assert south is not None and west is not None and north is not None and east is not None
    assert -1.2 < west < east < -0.9 and 52.5 < south < north < 52.7


def test_basemap_only_when_asked(report: DistrictReport) -> None:
    fmap = build_report_map(report, basemap_url="https://tiles.example/{z}/{x}/{y}.png")
    assert any(isinstance(c, folium.TileLayer) for c in fmap._children.values())


def test_all_areas_map_has_no_unranked_layer(make_report: MakeReport) -> None:
    report = make_report(all_areas=True)
    layers = _layers(build_report_map(report))
    assert "Parished areas (not ranked)" not in layers
    assert list(layers) == ["Community areas by score", "District boundary", "Hub catchments",
                            "Hubs", "Candidate sites (numbered by rank)"]
    areas = layers["Community areas by score"].data["features"]  # type: ignore[attr-defined]
    assert "E04000901" in {f["id"] for f in areas}  # the parish is ranked and drawn by score


def test_page_is_local_and_escaped(make_report: MakeReport) -> None:
    report = make_report(inputs=make_inputs(names={"E43000902": XSS_NAME},
                                            asset_names={"H1": "`${alert(2)}`" + XSS_NAME}))
    page = build_report_map(report).get_root().render()
    assert XSS_NAME not in page
    # folium puts Tooltip text in JavaScript template literals: nothing there may run
    literals = re.findall(r"bindTooltip\(\s*`([^`]*)`", page)
    assert not any("${alert" in text for text in literals)
    # GeoJsonTooltip inserts values as HTML, so the hub's name travels escaped.
    assert "`${alert(2)}`\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in page
    assert not re.search(r"""(src|href)=["']?https?:""", page)
    assert '<script src="/static/vendor/leaflet/leaflet.js">' in page
    assert "user-scalable=no" not in page
    assert 'lang="en-GB"' in page


def test_parts_for_embedding(report: DistrictReport) -> None:
    parts = map_parts(build_report_map(report))
    assert "folium-map" in parts.body
    assert "L.map(" in parts.script
    assert "user-scalable" not in parts.head
    assert "leaflet.css" in parts.head


def test_static_png(report: DistrictReport) -> None:
    assert report_map_png(report).startswith(b"\x89PNG\r\n\x1a\n")
    assert report_map_png(report, detail=True).startswith(b"\x89PNG")
    assert not needs_detail_map(report)  # the ranked areas fill half the district
