"""The check page's small map: drawn by the service as SVG, with the parishes around the
point, where a moved asset was, and a text alternative (both backends)."""

from __future__ import annotations

import re

from shapely.geometry import Point

from assetmap.config import PROJECT_ROOT
from assetmap.layers import load_catalog
from assetmap.maps.preview import position_preview
from assetmap.store import open_store
from tests.conftest import XSS_NAME

CATALOG = load_catalog(PROJECT_ROOT / "layers")


def test_a_new_position_is_drawn_among_its_parishes(store_location: str) -> None:
    svg = position_preview(open_store(store_location), CATALOG, Point(454_900, 305_000),
                           name=XSS_NAME)
    assert svg.startswith('<svg class="pv-map" role="img" aria-label="Map of where ')
    # 1.4 km across the Ashby Parva / Beeby boundary: both named, the boundary drawn.
    assert ">Ashby Parva</text>" in svg and ">Beeby</text>" in svg
    assert len(re.findall(r'<path class="pv-parish"', svg)) == 2
    assert "<img" not in svg and "&lt;img" in svg  # names are text, never markup
    assert "Was here" not in svg and "<script" not in svg


def test_a_move_shows_where_it_was_and_a_scale(store_location: str) -> None:
    svg = position_preview(open_store(store_location), CATALOG, Point(452_099, 305_099),
                           before=Point(452_000, 305_000), name="Ashby Village Hall")
    assert 'aria-label="Map of the new position of Ashby Village Hall, with where it was"' in svg
    assert "Was here" in svg and "New position" in svg and 'class="pv-move"' in svg
    assert re.search(r'class="pv-scale-text"[^>]*>\d+ (m|km)</text>', svg)
