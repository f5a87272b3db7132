"""Finding activities on the tiny county, on both backends: words, place, day, who it is for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from assetmap.activities import LONDON
from assetmap.config import PROJECT_ROOT
from assetmap.errors import ValidationFailed
from assetmap.finder import FinderData
from assetmap.finder.whats_on import check_audience, check_day
from assetmap.layers import load_catalog
from assetmap.store import Store, open_store

CATALOG = load_catalog(PROJECT_ROOT / "layers")
# Tuesday 1 December 2026, 08:00 in the county.
TUESDAY_MORNING = dt.datetime(2026, 12, 1, 8, 0, tzinfo=LONDON)


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    backend = open_store(store_location)
    yield backend
    backend.close()


@pytest.fixture
def data(store: Store) -> FinderData:
    return FinderData.from_store(store, CATALOG)


def names(found: list) -> list[str]:  # type: ignore[type-arg]
    return [f.activity.name for f in found]


def test_words_find_activities_near_a_postcode_with_their_next_sessions(data: FinderData) -> None:
    near = data.locate_text("LZ1 1AA")
    found = data.find_activities("dementia café", near=near, now=TUESDAY_MORNING)
    assert names(found) == ["Memory Café"]
    memory = found[0]
    assert memory.venue.id == "A2"  # nearer LZ1 1AA than its other venue (A3, 10 km)
    assert memory.distance_m == pytest.approx(5_000, abs=20)
    # Th[2]: the second Thursday of the month.
    assert [s.start for s in memory.sessions][:2] == [
        dt.datetime(2026, 12, 10, 14, 0, tzinfo=LONDON),
        dt.datetime(2027, 1, 14, 14, 0, tzinfo=LONDON),
    ]
    assert names(data.find_activities("toddlers", near=near)) == ["Stay and Play"]
    assert names(data.find_activities("lunch clubs", near=near)) == ["Friendship Lunch"]


def test_ended_activities_and_closed_places_are_never_found(data: FinderData) -> None:
    near = data.locate_text("LZ1 1AA")
    assert data.find_activities("knit natter", near=near) == []
    assert "Old Hall Knit and Natter" not in names(data.find_activities("", near=near))


def test_nearest_first_without_words(data: FinderData) -> None:
    found = data.find_activities("", near=data.locate_text("LZ1 1AA"), now=TUESDAY_MORNING)
    assert names(found) == ["Friendship Lunch", "Memory Café", "Stay and Play"]
    assert (found[0].distance_m or 0) < 20


@pytest.mark.parametrize(
    ("day", "expected"),
    [("tu", ["Stay and Play"]), ("we", ["Friendship Lunch"]), ("th", ["Memory Café"]),
     ("mo", []), ("today", ["Stay and Play"]), ("week", ["Friendship Lunch", "Stay and Play"])],
)
def test_a_day_keeps_what_runs_then(data: FinderData, day: str, expected: list[str]) -> None:
    found = data.find_activities("", near=data.locate_text("LZ2 1AA"), day=day,
                                 now=TUESDAY_MORNING)
    assert sorted(names(found)) == expected
    for item in found:
        assert item.sessions  # the sessions shown are on that day
        if day == "tu":
            assert {s.start.weekday() for s in item.sessions} == {1}


def test_who_it_is_for(data: FinderData) -> None:
    near = data.locate_text("LZ2 1AA")
    assert names(data.find_activities("", near=near, audience="children")) == ["Stay and Play"]
    assert names(data.find_activities("", near=near, audience="carers")) == ["Memory Café"]
    assert data.find_activities("lunch", near=near, audience="children") == []


def test_county_wide_words_need_no_place(data: FinderData) -> None:
    assert names(data.find_activities("cafe")) == ["Memory Café"]
    assert data.find_activities("") == []


def test_places_are_found_by_name_and_kind(data: FinderData) -> None:
    near = data.locate_text("LZ1 1AA")
    assert [f.hub.name for f in data.find_places("church", near)] == ["Beeby Church Hall"]
    assert [f.hub.name for f in data.find_places("village halls", near)] == [
        "Ashby Village Hall"]  # Old Hall is closed
    assert data.find_places("", near) == []


def test_a_new_activity_is_found_once_written(store: Store) -> None:
    layer = CATALOG["activities"]
    with store.transaction() as tx:
        tx.add(layer, {"id": "AC9", "name": "Baby Yoga", "category": "exercise_class",
                       "asset_ids": "A2", "schedule": "Fr 10:00-11:00", "status": "active",
                       "audience": "families"})
    data = FinderData.from_store(store, CATALOG)
    found = data.find_activities("yoga", near=data.locate_text("LZ1 1AA"), day="fr")
    assert names(found) == ["Baby Yoga"]
    assert found[0].venue.name == "Beeby Church Hall"


def test_unknown_day_or_audience_is_refused_by_name() -> None:
    with pytest.raises(ValidationFailed, match="Unknown day 'funday'"):
        check_day("funday")
    with pytest.raises(ValidationFailed, match="Unknown audience"):
        check_audience("martians")
    assert check_day(" TU ") == "tu"
    assert check_day("") is None
