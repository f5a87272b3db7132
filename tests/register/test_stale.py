"""The stale-records list: never checked first, then oldest; closed assets left out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

import geopandas as gpd
from shapely.geometry import Point

from assetmap.config import PROJECT_ROOT
from assetmap.errors import ValidationFailed
from assetmap.layers import load_catalog
from assetmap.register.editing import create_feature, feature_etag, mark_verified
from assetmap.register.stale import StaleList, StaleQuery, stale_features, stale_list
from assetmap.store import Store, open_store


def test_stale_records_are_ordered_and_closed_ones_skipped() -> None:
    frame = gpd.GeoDataFrame(
        {
            "id": ["fresh", "old", "never", "older", "closed"],
            "status": ["open", "open", "at_risk", "open", "closed"],
            "last_verified": ["2026-06-01", "2025-11-01", None, "2024-01-01", "2020-01-01"],
        },
        geometry=[Point(0, 0)] * 5,
        crs="EPSG:27700",
    )
    stale = stale_features(frame, today=dt.date(2026, 11, 22), days=365)
    assert stale["id"].tolist() == ["never", "older", "old"]
    assert stale["days_since_verified"].tolist()[1:] == [1056, 386]
    assert stale_features(frame, today=dt.date(2026, 11, 22), days=2000).id.tolist() == ["never"]


# -- the officers' list: filters, sorting, paging, whose records, how each was checked ----
CATALOG = load_catalog(PROJECT_ROOT / "layers")
ASSETS = CATALOG["assets"]
TODAY = dt.date.today()


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    backend = open_store(store_location)
    # A neighbouring authority's library just over the county line (as the real build keeps).
    create_feature(backend, ASSETS, {"id": "lib-x", "name": "Aardvark Library (Rutland)",
                                     "category": "council_library", "status": "open",
                                     "district_code": "E06000017", "last_verified": "2020-01-01"},
                   Point(449_000, 305_000), actor="build")
    yield backend
    backend.close()


def _ids(found: StaleList) -> list[str]:
    return [row.feature.id for row in found.rows]


def test_only_this_councils_records_unless_asked(store: Store) -> None:
    found = stale_list(store, CATALOG, ASSETS, StaleQuery(days=300), today=TODAY)
    assert "lib-x" not in _ids(found) and found.neighbours == 1
    assert _ids(found) == ["A2", "A3", "A4", "A1"]  # never checked first, then the oldest
    theirs = stale_list(store, CATALOG, ASSETS, StaleQuery(days=300, area="neighbours"),
                        today=TODAY)
    assert _ids(theirs) == ["lib-x"] and not theirs.rows[0].ours
    assert len(stale_list(store, CATALOG, ASSETS, StaleQuery(days=300, area="all"),
                          today=TODAY).rows) == 5


def test_filters_sorting_and_pages(store: Store) -> None:
    west = stale_list(store, CATALOG, ASSETS, StaleQuery(days=300, district="E07999001"),
                      today=TODAY)
    assert _ids(west) == ["A2", "A1"]
    assert west.districts == {"E07999002": "Eastvale", "E07999001": "Westshire"}
    halls = stale_list(store, CATALOG, ASSETS, StaleQuery(days=300, category="church_hall"),
                       today=TODAY)
    assert _ids(halls) == ["A2"]
    by_name = stale_list(store, CATALOG, ASSETS, StaleQuery(days=300, sort="name"), today=TODAY)
    names = [r.feature.properties["name"] for r in by_name.rows]
    assert names == sorted(names, key=str.casefold) and names[1:3] == [
        "Ashby Village Hall", "Beeby Church Hall"]
    second = stale_list(store, CATALOG, ASSETS, StaleQuery(days=300, page=2, per_page=3),
                        today=TODAY)
    assert (second.total, second.pages, _ids(second)) == (4, 2, ["A1"])
    with pytest.raises(ValidationFailed):
        stale_list(store, CATALOG, ASSETS, StaleQuery(days=300, sort="random"), today=TODAY)


def test_checked_today_records_how(store: Store) -> None:
    current = store.get(ASSETS, "A2")
    assert current is not None
    mark_verified(store, ASSETS, "A2", if_match=feature_etag(current), actor="olive",
                  method="phone")
    everything = stale_list(store, CATALOG, ASSETS, StaleQuery(days=0), today=TODAY)
    (row,) = [r for r in everything.rows if r.feature.id == "A2"]
    assert row.days == 0 and row.check is not None
    assert (row.check.method_label, row.check.actor) == ("By phone", "olive")
    assert [r.check for r in everything.rows if r.feature.id == "A1"] == [None]
    again = store.get(ASSETS, "A2")
    assert again is not None
    with pytest.raises(ValidationFailed, match="Say how it was checked"):
        mark_verified(store, ASSETS, "A2", if_match=feature_etag(again), actor="olive",
                      method="telepathy")
