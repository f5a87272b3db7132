"""The finder's pure parts: hub index, gazetteer, Great Britain check, message catalogues."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import geopandas as gpd
from shapely.geometry import Point

from assetmap.config import PROJECT_ROOT
from assetmap.errors import NotFound, ValidationFailed
from assetmap.finder import FinderData, Gazetteer, HubIndex, check_lat_lon, distance_parts
from assetmap.layers import load_catalog
from assetmap.messages import Messages, available_languages, choose_language
from assetmap.store import open_store
from tests.conftest import BNG, XSS_NAME, tiny_tables

HUB_CATEGORIES = ("village_hall", "church_hall", "community_centre")


@pytest.fixture
def tiny_data(tiny_gpkg: Path) -> FinderData:
    return FinderData.from_store(open_store(str(tiny_gpkg)), load_catalog(PROJECT_ROOT / "layers"))


def test_index_keeps_open_and_at_risk_hubs_never_closed_or_non_hubs() -> None:
    index = HubIndex.from_frame(tiny_tables()["assets"], HUB_CATEGORIES)
    assert sorted(h.id for h in index.hubs) == ["A1", "A2", "A3"]  # A4 café, A5 closed


def test_nearest_is_sorted_by_distance_in_metres() -> None:
    index = HubIndex.from_frame(tiny_tables()["assets"], HUB_CATEGORIES)
    found = index.nearest(452_000, 305_000, n=3)
    assert [f.hub.id for f in found] == ["A1", "A2", "A3"]
    assert [round(f.distance_m) for f in found] == [0, 5000, 10000]
    assert index.nearest(452_000, 305_000, n=50)[-1].hub.id == "A3"  # n above the count is fine


def test_nearest_by_category() -> None:
    index = HubIndex.from_frame(tiny_tables()["assets"], HUB_CATEGORIES)
    found = index.nearest(452_000, 305_000, n=5, categories=["community_centre", "church_hall"])
    assert [f.hub.id for f in found] == ["A2", "A3"]
    assert index.nearest(452_000, 305_000, n=5, categories=["community_library"]) == []


def test_nearest_matches_brute_force_on_random_points() -> None:
    import numpy as np

    rng = np.random.default_rng(7)
    xy = rng.uniform(0, 50_000, size=(500, 2))
    frame = gpd.GeoDataFrame(
        {"id": [f"H{i}" for i in range(500)], "name": ["h"] * 500,
         "category": rng.choice(["village_hall", "church_hall"], 500).tolist(),
         "status": ["open"] * 500},
        geometry=[Point(x, y) for x, y in xy], crs=BNG,
    )
    index = HubIndex.from_frame(frame, HUB_CATEGORIES)
    for x, y in rng.uniform(0, 50_000, size=(20, 2)):
        expected = np.sort(np.hypot(xy[:, 0] - x, xy[:, 1] - y))[:7]
        got = [f.distance_m for f in index.nearest(x, y, 7)]
        assert np.allclose(got, expected)
        halls = [f for f in index.nearest(x, y, 7, ["village_hall"])]
        assert all(f.hub.category == "village_hall" for f in halls)
        assert [f.distance_m for f in halls] == sorted(f.distance_m for f in halls)


def test_within_radius_is_ordered_and_bounded() -> None:
    index = HubIndex.from_frame(tiny_tables()["assets"], HUB_CATEGORIES)
    found = index.within(452_000, 305_000, 6_000)
    assert [f.hub.id for f in found] == ["A1", "A2"]
    assert len(index.within(452_000, 305_000)) == 3


def test_hub_website_is_only_an_http_link() -> None:
    index = HubIndex.from_frame(tiny_tables()["assets"], HUB_CATEGORIES)
    hub = index.get("A3")
    assert hub is not None and hub.name == XSS_NAME
    assert hub.website == "javascript:alert(1)" and hub.safe_website is None
    a1 = index.get("A1")
    assert a1 is not None and a1.accessibility == ("step_free", "hearing_loop")


@pytest.mark.parametrize(("lat", "lon"), [(52.63, -1.13), (60.1, -1.2), (50.07, -5.7)])
def test_points_in_great_britain_pass(lat: float, lon: float) -> None:
    check_lat_lon(lat, lon)


def test_swapped_lat_lon_is_named() -> None:
    with pytest.raises(ValidationFailed, match="wrong way round"):
        check_lat_lon(-1.13, 52.63)


@pytest.mark.parametrize(("lat", "lon"), [(48.85, 2.35), (40.7, -74.0), (0, 0), (91, 0)])
def test_points_outside_great_britain_fail(lat: float, lon: float) -> None:
    with pytest.raises(ValidationFailed, match="outside Great Britain"):
        check_lat_lon(lat, lon)


def test_distance_in_km_and_miles() -> None:
    assert distance_parts(1200) == ("1.2", "0.7")
    assert distance_parts(0) == ("0.0", "0.0")


def test_gazetteer_postcodes_and_places(tiny_data: FinderData) -> None:
    gazetteer = tiny_data.gazetteer
    assert gazetteer.postcode("lz11aa") == ("LZ1 1AA", (452_010.0, 305_010.0))
    with pytest.raises(NotFound, match="LZ9 9ZZ"):
        gazetteer.postcode("lz9 9zz")
    assert gazetteer.place("westtown").name == "Westtown (unparished)"
    assert gazetteer.place("Westtown (Unparished)").kind == "unparished"
    assert gazetteer.place("  ASHBY   parva ").name == "Ashby Parva"
    assert gazetteer.place("Ash").name == "Ashby Parva"  # a unique prefix is enough
    with pytest.raises(NotFound, match="Nowhere"):
        gazetteer.place("Nowhere")


def test_ambiguous_place_lists_candidates() -> None:
    areas = gpd.GeoDataFrame(
        {"name": ["Barton", "Barwell"], "governance": ["parish_council", "parish_council"]},
        geometry=[Point(0, 0).buffer(10), Point(100, 0).buffer(10)], crs=BNG,
    )
    gazetteer = Gazetteer.from_frames(None, areas)
    with pytest.raises(ValidationFailed, match="Barton, Barwell"):
        gazetteer.place("bar")
    assert gazetteer.place("barton").name == "Barton"  # an exact name wins


def test_settlements_come_from_hub_addresses() -> None:
    assets = gpd.GeoDataFrame(
        {"address": ["1 Main St, Lowby", "2 Mill Lane, Lowby", "No town"]},
        geometry=[Point(0, 0), Point(100, 0), Point(5, 5)], crs=BNG,
    )
    gazetteer = Gazetteer.from_frames(None, None, assets)
    place = gazetteer.place("lowby")
    assert (place.kind, place.easting, place.northing) == ("settlement", 50.0, 0.0)


def test_locate_text_chooses_postcode_or_place(tiny_data: FinderData) -> None:
    assert tiny_data.locate_text("LZ2 1aa").kind == "postcode"
    assert tiny_data.locate_text("Beeby").kind == "place"
    with pytest.raises(ValidationFailed, match="first half"):
        tiny_data.locate_text("LZ1")
    point = tiny_data.locate_point(52.64, -1.23)
    assert point.kind == "point" and 440_000 < point.easting < 470_000
    assert tiny_data.synthetic


def test_bundled_sample_finds_hubs_by_postcode_and_place() -> None:
    store = open_store(str(PROJECT_ROOT / "data" / "sample.gpkg"))
    data = FinderData.from_store(store, load_catalog(PROJECT_ROOT / "layers"))
    code = next(iter(data.gazetteer.postcodes))
    location = data.locate_text(code.replace(" ", "").lower())
    found = data.hubs.nearest(location.easting, location.northing, 5)
    assert len(found) == 5 and all(f.hub.status != "closed" for f in found)
    assert data.locate_text(data.gazetteer.places[0].name).kind == "place"


# -- message catalogues ----------------------------------------------------------------------

TEMPLATES = PROJECT_ROOT / "web" / "templates"
USED_KEYS = {
    key
    for path in TEMPLATES.glob("*.html")
    for key in re.findall(r"""\bt\(\s*["']([a-z_.]+)["']""", path.read_text(encoding="utf-8"))
} | {
    key
    for name in ("pages/finder.py", "pages/corrections.py", "public_view.py")
    for key in re.findall(r"""\bt\(\s*["']([a-z_.]+)["']""",
                          (PROJECT_ROOT / "assetmap" / "api" / name).read_text())
}


@pytest.mark.parametrize("code", available_languages())
def test_every_key_used_exists_and_translations_add_no_unknown_keys(code: str) -> None:
    english, other = Messages("en"), Messages(code)
    for key in USED_KEYS:
        assert other(key) and english(key)
    from assetmap.messages import _catalogue

    assert set(_catalogue(code)) <= set(_catalogue("en")), "keys missing from en.yaml"
    for key, text in _catalogue(code).items():  # same placeholders as English
        placeholders = set(re.findall(r"{(\w+)}", _catalogue("en")[key]))
        assert set(re.findall(r"{(\w+)}", text)) == placeholders, key


def test_language_choice() -> None:
    assert {"en", "en-easy"} <= set(available_languages())
    assert choose_language("en-easy", None) == "en-easy"
    assert choose_language("xx", "fr;q=0.9, en-GB;q=0.8") == "en"
    assert choose_language(None, "en-easy") == "en-easy"
    assert choose_language(None, None) == "en"
