"""The place search on the real build: the county's towns are found, and their hubs are near.

"Near" is checked against the source itself: each town's own public library
(the Libraries Hacked CSV's row named after it, at its postcode's lon/lat) must
be among the first three hubs found, and the nearest hub within 2.5 km of it.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import PROJECT_ROOT, Settings
from assetmap.crs import lonlat_to_metric
from assetmap.finder import FinderData
from assetmap.layers import load_catalog
from assetmap.store import open_store
from tests.conftest import REAL_DATA

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(not REAL_DATA.is_dir(), reason=f"real data folder {REAL_DATA} is absent"),
]
# Town → the name of its library in the source CSV.
TOWNS = {"Loughborough": "Loughborough", "Market Harborough": "Market Harborough",
         "Coalville": "Coalville", "Lutterworth": "Lutterworth",
         "Melton Mowbray": "Melton Mowbray", "Hinckley": "Hinckley", "Oadby": "Oadby",
         "Wigston": "Wigston", "Ashby-de-la-Zouch": "Ashby-De-La-Zouch", "Shepshed": "Shepshed"}
TYPED = {"lutterworth": "Lutterworth", "Lutterwoth": "Lutterworth",
         "market harbrough": "Market Harborough", "ashby de la zouch": "Ashby-de-la-Zouch",
         "MELTON MOWBRAY": "Melton Mowbray", "coalville.": "Coalville", "LE17": "LE17"}


@pytest.fixture(scope="module")
def finder(real_build: Any) -> FinderData:
    return FinderData.from_store(open_store(str(real_build.path)),
                                 load_catalog(PROJECT_ROOT / "layers"))


@pytest.fixture(scope="module")
def libraries() -> pd.DataFrame:
    table = pd.read_csv(REAL_DATA / "facilities" /
                        "public_libraries_leics_lei_rut_librarieshacked.csv")
    return table[table["Local authority"] == "Leicestershire County Council"].set_index(
        "Library name")


@pytest.mark.parametrize("town", list(TOWNS))
def test_each_town_is_found_and_its_hubs_are_in_or_beside_it(
    town: str, finder: FinderData, libraries: pd.DataFrame
) -> None:
    location = finder.locate_text(town)
    assert location.label == town
    library = libraries.loc[TOWNS[town]]
    x, y = lonlat_to_metric(float(library["lon"]), float(library["lat"]))
    found = finder.hubs.nearest(location.easting, location.northing, 3)
    gap = ((found[0].hub.easting - x) ** 2 + (found[0].hub.northing - y) ** 2) ** 0.5
    print(f"\n{town}: found as {location.label} ({found[0].distance_m:,.0f} m to "
          f"{found[0].hub.name}; {gap:,.0f} m from the town's library)")
    assert TOWNS[town] in [f.hub.name for f in found]
    assert gap < 2_500


@pytest.mark.parametrize(("typed", "town"), list(TYPED.items()))
def test_case_punctuation_and_typing_mistakes(typed: str, town: str, finder: FinderData) -> None:
    assert finder.locate_text(typed).label == town


def test_the_page_says_what_it_searched_for_and_offers_choices(real_build: Any) -> None:
    with TestClient(create_app(Settings(store=str(real_build.path)))) as client:
        page = client.get("/find", params={"q": "Lutterwoth"}).text
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).replace("&#34;", '"')
        assert 'We could not find "Lutterwoth", so these are the hubs near Lutterworth' in text
        assert "Lutterworth" in text.split("Nearest hubs")[1][:600]
        several = client.get("/find", params={"q": "Loughboro"}).text
        assert "Choose the place you mean:" in several
        assert 'href="/find?q=Loughborough"' in several  # a plain link: works without script
        none = client.get("/find", params={"q": "Lutterworthshire"}).text
        assert "Did you mean" not in none and "We could not find a place called" in none
        # The county's name, which the old gazetteer took from addresses, is not a place.
        county = client.get("/find", params={"q": "Leicestershire"}).text
        assert "We could not find a place called" in county
