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
