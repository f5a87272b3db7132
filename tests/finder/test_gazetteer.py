"""The place search: postcodes, parishes and settlements named in hub addresses."""

from __future__ import annotations

import pytest

import geopandas as gpd
from shapely.geometry import Point

from assetmap.errors import NotFound, ValidationFailed
from assetmap.finder import FinderData
from assetmap.finder.gazetteer import Gazetteer
from tests.conftest import BNG


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


def _wards() -> gpd.GeoDataFrame:
    names = ["Lutterworth Orchard", "Lutterworth Swift", "Market Harborough-Logan",
             "Market Harborough-Welland", "South Wigston", "Normanton", "Normanton"]
    xs = [0, 1_000, 20_000, 21_000, 40_000, 60_000, 90_000]
    return gpd.GeoDataFrame(
        {"name": names, "kind": "ward",
         "district_code": ["H", "H", "H", "H", "O", "B", "R"]},
        geometry=[Point(x, 0) for x in xs], crs=BNG,
    )


DISTRICTS = {"H": "Harborough", "O": "Oadby and Wigston", "B": "Blaby", "R": "Rutland"}


def test_ward_names_give_their_towns_and_typos_are_forgiven() -> None:
    gazetteer = Gazetteer.from_frames(None, None, places=_wards(), districts=DISTRICTS)
    town = gazetteer.place("lutterworth")
    assert (town.name, town.kind, town.easting) == ("Lutterworth", "town", 500.0)
    assert gazetteer.place("Market Harborough").easting == 20_500.0
    assert gazetteer.search("Lutterwoth").how == "fuzzy"  # one letter left out
    assert gazetteer.place("Lutterwoth").name == "Lutterworth"
    assert gazetteer.place("Market Harbrough").name == "Market Harborough"
    assert gazetteer.place("Lutetrworth").name == "Lutterworth"  # two letters swapped: one
    assert gazetteer.place("LUTTERWORTH!").name == "Lutterworth"  # case and punctuation
    assert gazetteer.search("South").matches[0].name == "South Wigston"  # no town "South"
    with pytest.raises(NotFound):
        gazetteer.place("Lutterxxxxh")  # three mistakes are too many


def test_places_of_one_name_are_offered_as_a_choice_with_their_districts() -> None:
    gazetteer = Gazetteer.from_frames(None, None, places=_wards(), districts=DISTRICTS)
    with pytest.raises(ValidationFailed, match="Normanton, Blaby, Normanton, Rutland"):
        gazetteer.place("normanton")
    assert gazetteer.place("Normanton, Rutland").easting == 90_000.0  # a choice's link


def test_address_towns_lose_the_county_suffix_and_post_towns_are_left_out() -> None:
    assets = gpd.GeoDataFrame(
        {"address": ["George Street, Lutterworth, Leicestershire",
                     "Main Street, Leicester, Leicestershire",  # a village with a post town
                     "Beaumont Way, Leicester, Leicestershire",  # 20 km away: same post town
                     "Catmos Street, Oakham, East Midlands"]},
        geometry=[Point(0, 0), Point(0, 5_000), Point(20_000, 5_000), Point(50_000, 0)],
        crs=BNG,
    )
    gazetteer = Gazetteer.from_frames(None, None, assets, county_names=["Leicestershire"])
    assert [p.name for p in gazetteer.places] == ["Lutterworth", "Oakham"]
    with pytest.raises(NotFound):
        gazetteer.place("Leicestershire")


def test_unnamed_parish_shapes_are_not_places() -> None:
    areas = gpd.GeoDataFrame(
        {"name": ["Harborough parish 12 (name not known)", "Wistow"],
         "governance": ["parish_type_unknown", "parish_type_unknown"]},
        geometry=[Point(0, 0).buffer(10), Point(100, 0).buffer(10)], crs=BNG,
    )
    gazetteer = Gazetteer.from_frames(None, areas)
    assert [(p.name, p.kind) for p in gazetteer.places] == [("Wistow", "parish")]
    with pytest.raises(NotFound):
        gazetteer.place("Harborough parish 12")
