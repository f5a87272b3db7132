"""A resident's new place on both backends: checked before anything is stored (postcode,
point inside the county, contact), limited with corrections, its possible duplicates found,
and its contact purged after the decision like a correction's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from shapely.geometry import Point

from assetmap.config import PROJECT_ROOT
from assetmap.crs import metric_to_lonlat
from assetmap.errors import TooManyRequests, ValidationFailed
from assetmap.layers import load_catalog
from assetmap.register.contact_retention import purge_contacts
from assetmap.register.corrections import CORRECTIONS_TABLE, decide, submit_correction
from assetmap.register.new_places import NewPlace, submit_new_place
from assetmap.register.place_duplicates import possible_duplicates
from assetmap.register.users import User
from assetmap.store import Store, open_store

CATALOG = load_catalog(PROJECT_ROOT / "layers")
ASSETS = CATALOG["assets"]
NOW = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)
OLIVE = User(name="olive.officer", role="officer")


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    opened = open_store(store_location)
    yield opened
    opened.close()


def at(x: float, y: float) -> dict[str, Any]:
    lon, lat = metric_to_lonlat(x, y)
    return {"longitude": lon, "latitude": lat}


def send(store: Store, client: str = "client-1", now: dt.datetime = NOW, **sent: Any) -> Any:
    place = NewPlace(**{"name": "Beeby Scout Hut", "category": "community_centre", **sent})
    return submit_new_place(store, CATALOG, ASSETS, place, client, now, per_hour=3)


def problems(error: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    return {d["field"]: d["key"].rsplit(".", 1)[1] for d in error.value.details}


def test_a_new_place_by_postcode_is_queued_at_the_postcodes_point(store: Store) -> None:
    queued = send(store, postcode=" lz2 1aa ", contact="0116 496 0123", message="New in May")
    assert (queued.kind, queued.status, queued.feature_id) == ("new_place", "pending", "")
    assert queued.changes == {"name": "Beeby Scout Hut", "category": "community_centre",
                              "postcode": "LZ2 1AA"}
    assert (queued.contact, queued.message, queued.district) == (
        "0116 496 0123", "New in May", "E07999002")
    point = queued.point
    assert point is not None and (round(point.x), round(point.y)) == (462_010, 305_010)
    (row,) = store.records(CORRECTIONS_TABLE)
    assert row["kind"] == "new_place" and row["client"] == "client-1"


def test_a_point_on_the_map_places_it_and_the_postcode_is_kept(store: Store) -> None:
    queued = send(store, postcode="LZ1 1AA", **at(456_500, 303_000))
    point = queued.point
    assert point is not None and point.distance(Point(456_500, 303_000)) < 0.01
    assert queued.changes["postcode"] == "LZ1 1AA" and queued.district == "E07999001"


@pytest.mark.parametrize(("sent", "expected"), [
    ({"postcode": "LZ1"}, {"postcode": "postcode"}),
    ({"postcode": "not a postcode"}, {"postcode": "postcode"}),
    ({"postcode": "LE1 1AA"}, {"postcode": "postcode_unknown"}),
    ({}, {"postcode": "where"}),
    (at(300_000, 300_000), {"position": "outside"}),
    ({"longitude": "west", "latitude": "52.6"}, {"position": "position"}),
    ({"postcode": "LZ1 1AA", "name": "  ", "category": "pub", "contact": "me@"},
     {"name": "required", "category": "category", "contact": "contact"}),
    ({"postcode": "LZ1 1AA", "name": "x" * 201, "message": "m" * 2_001},
     {"name": "too_long", "message": "too_long"}),
    ({"postcode": "LZ1 1AA", "contact": "not\x07 text"}, {"contact": "control"}),
], ids=["outward only", "malformed", "unknown", "nowhere", "outside the county", "not numbers",
        "every field at once", "too long", "control characters"])
def test_bad_input_is_refused_with_every_problem_and_nothing_is_stored(
    store: Store, sent: dict[str, Any], expected: dict[str, str]
) -> None:
    with pytest.raises(ValidationFailed) as error:
        send(store, **sent)
    assert problems(error) == expected
    assert error.value.status == 422
    assert store.records(CORRECTIONS_TABLE) == []


def test_new_places_and_corrections_share_the_hourly_limit(store: Store) -> None:
    submit_correction(store, ASSETS, "A1", {"phone": "0116 496 0000"}, None, None, "client-1",
                      NOW, per_hour=3)
    send(store, postcode="LZ1 1AA", now=NOW + dt.timedelta(minutes=1))
    send(store, postcode="LZ2 1AA", now=NOW + dt.timedelta(minutes=2))
    with pytest.raises(TooManyRequests) as error:
        send(store, postcode="LZ2 1AA", now=NOW + dt.timedelta(minutes=10))
    assert error.value.retry_after == 50 * 60
    assert store.count_records(CORRECTIONS_TABLE) == 3
    send(store, client="client-2", postcode="LZ2 1AA", now=NOW + dt.timedelta(minutes=10))
    send(store, postcode="LZ2 1AA", now=NOW + dt.timedelta(minutes=61))
    assert store.count_records(CORRECTIONS_TABLE) == 5


def names(matches: list[Any]) -> list[str]:
    return [m.id for m in matches]


def test_a_similar_name_at_the_same_postcode_or_close_by_is_a_possible_duplicate(
    store: Store,
) -> None:
    # A1 "Ashby Village Hall" at LZ1 1AA; A2 "Beeby Church Hall" at (457000, 305000).
    assert names(possible_duplicates(store, ASSETS, "Ashby Hall", None, "LZ1 1AA")) == ["A1"]
    assert names(possible_duplicates(store, ASSETS, "ashby village hall!", Point(
        452_100, 305_100), None)) == ["A1"]  # 141 m away, no postcode
    assert names(possible_duplicates(store, ASSETS, "Beeby Church Hall", Point(
        457_100, 305_100), None)) == ["A2"]
    assert possible_duplicates(store, ASSETS, "Beeby Church Hall", Point(
        457_120, 305_120), None) == []  # 170 m away
    assert possible_duplicates(store, ASSETS, "Beeby Scout Hut", Point(
        457_010, 305_010), None) == []  # close, but another name
    (match,) = possible_duplicates(store, ASSETS, "St Marys Church Hall Beeby", Point(
        457_050, 305_000), None)
    assert match.similarity >= 85 and round(match.distance_m or 0) == 50
    assert not match.same_postcode


def test_closed_places_are_shown_to_officers_not_residents(store: Store) -> None:
    # A5 "Old Hall" closed at (451000, 301000).
    assert possible_duplicates(store, ASSETS, "The Old Hall", Point(451_010, 301_000),
                               None) == []
    assert names(possible_duplicates(store, ASSETS, "The Old Hall", Point(451_010, 301_000),
                                     None, include_closed=True)) == ["A5"]


def test_a_new_places_contact_is_purged_after_the_decision(store: Store) -> None:
    kept = send(store, postcode="LZ1 1AA", contact="pat@example.org")
    gone = send(store, postcode="LZ2 1AA", contact="sam@example.org")
    decide(store, CATALOG, gone.id, accept=False, officer=OLIVE,
           now=dt.datetime.now(dt.UTC) - dt.timedelta(days=100))
    assert purge_contacts(store, retention_days=90) == 1
    rows = {row["id"]: row for row in store.records(CORRECTIONS_TABLE)}
    assert rows[gone.id]["contact"] is None and rows[gone.id]["status"] == "rejected"
    assert rows[kept.id]["contact"] == "pat@example.org"
