"""The finder's public face: the Great Britain check, locating text, the map's home view,
the bundled sample, message catalogues."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assetmap.config import PROJECT_ROOT
from assetmap.crs import GB_BOUNDS, check_lat_lon
from assetmap.errors import ValidationFailed
from assetmap.extent import GREAT_BRITAIN
from assetmap.finder import HOME_ZOOM, FinderData
from assetmap.layers import load_catalog
from assetmap.messages import Messages, available_languages, choose_language
from assetmap.store import open_store
from assetmap.store.gpkg_write import write_geopackage
from tests.conftest import tiny_tables


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


def test_locate_text_chooses_postcode_or_place(tiny_data: FinderData) -> None:
    assert tiny_data.locate_text("LZ2 1aa").kind == "postcode"
    assert tiny_data.locate_text("Beeby").kind == "place"
    # A postcode district or sector the store has postcodes in is a place (issue 11) …
    district = tiny_data.locate_text("lz1")
    assert (district.kind, district.label) == ("postcode", "LZ1")
    assert (district.easting, district.northing) == (452_010.0, 305_010.0)  # its one postcode
    assert tiny_data.locate_text("LZ2 1").label == "LZ2 1"
    # … any other first half still says a whole postcode is needed.
    with pytest.raises(ValidationFailed, match="first half"):
        tiny_data.locate_text("LZ9")
    point = tiny_data.locate_point(52.64, -1.23)
    assert point.kind == "point" and 440_000 < point.easting < 470_000
    assert tiny_data.synthetic


def test_home_view_is_the_data_extent(tiny_data: FinderData) -> None:
    home = tiny_data.home.as_json()
    # The tiny county's parishes: 450 000..470 000 E, 300 000..310 000 N, near Leicester.
    assert home["zoom"] == HOME_ZOOM
    assert -1.3 < home["lon"] < -1.0 and 52.55 < home["lat"] < 52.7
    (south, west), (north, east) = home["bounds"]
    assert west < home["lon"] < east and south < home["lat"] < north


def test_home_view_of_a_store_without_geography_is_great_britain(tmp_path: Path) -> None:
    tables = tiny_tables()
    metadata = tables.pop("assetmap_metadata")
    empty = {name: frame.iloc[:0] for name, frame in tables.items()}
    path = tmp_path / "empty.gpkg"
    write_geopackage(path, {**empty, "assetmap_metadata": metadata})
    data = FinderData.from_store(open_store(str(path)), load_catalog(PROJECT_ROOT / "layers"))
    assert data.home == GREAT_BRITAIN
    west, south, east, north = GB_BOUNDS
    assert data.home.centre == ((south + north) / 2, (west + east) / 2)


def test_bundled_sample_opens_on_its_county_as_before() -> None:
    store = open_store(str(PROJECT_ROOT / "data" / "sample.gpkg"))
    home = FinderData.from_store(store, load_catalog(PROJECT_ROOT / "layers")).home.as_json()
    # The view the finder used to hard-code: (52.65, -1.1) at zoom 9.
    assert home["lat"] == pytest.approx(52.65, abs=0.02)
    assert home["lon"] == pytest.approx(-1.1, abs=0.02)
    assert home["zoom"] == 9


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
    for name in ("pages/finder.py", "pages/corrections.py", "public_view.py",
                 "pages/hub_correction.py", "correction_review.py", "distance_words.py")
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


def test_the_correction_questions_words_exist_in_every_catalogue() -> None:
    from assetmap.api.correction_form import GROUP_WORDS, WHAT_WORDS

    keys = [*GROUP_WORDS.values(), *(key for words in WHAT_WORDS.values() for key in words)]
    for code in available_languages():
        assert all(Messages(code)(key, name="x") for key in keys), code


def test_language_choice() -> None:
    assert {"en", "en-easy"} <= set(available_languages())
    assert choose_language("en-easy", None) == "en-easy"
    assert choose_language("xx", "fr;q=0.9, en-GB;q=0.8") == "en"
    assert choose_language(None, "en-easy") == "en-easy"
    assert choose_language(None, None) == "en"
