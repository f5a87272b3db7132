"""The audit log read as changes: one per write, named, values in words, paged by the store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from shapely.geometry import Point

from assetmap.config import PROJECT_ROOT
from assetmap.errors import ValidationFailed
from assetmap.layers import load_catalog
from assetmap.register.editing import create_asset, delete_feature, feature_etag, update_feature
from assetmap.register.history import ChangeFilters, changes_of, readable_time, recent_changes
from assetmap.register.history_values import compass_point, moved, readable
from assetmap.store import Store, open_store

CATALOG = load_catalog(PROJECT_ROOT / "layers")
ASSETS = CATALOG["assets"]


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    backend = open_store(store_location)
    yield backend
    backend.close()


def _change(store: Store, feature_id: str, actor: str = "ann", **values: object) -> None:
    current = store.get(ASSETS, feature_id)
    assert current is not None
    geometry = values.pop("geometry", None)
    update_feature(store, ASSETS, feature_id, if_match=feature_etag(current), actor=actor,
                   properties=values, geometry=geometry)


def test_a_create_is_one_change_named_with_readable_values(store: Store) -> None:
    create_asset(store, CATALOG, ASSETS, {"name": "Beeby Pavilion", "category": "village_hall",
                                          "status": "open", "accessibility": "step_free;parking"},
                 Point(457_500, 305_500), actor="ann")
    page = recent_changes(store, catalog=CATALOG)
    assert page.total == 1
    (change,) = page.changes
    assert (change.action, change.actor, change.title) == ("create", "ann", "Beeby Pavilion")
    values = {f.label: f.after for f in change.fields}
    assert values["Category"] == "Village hall"
    assert values["Accessibility"] == "Step free, Parking"
    assert values["Position"].endswith("(latitude, longitude)")
    assert '"' not in "".join(values.values())


def test_a_change_keeps_the_name_and_a_move_says_how_far(store: Store) -> None:
    _change(store, "A1", phone="0116 496 0000", last_verified="2026-11-30")
    _change(store, "A1", actor="bob", geometry=Point(452_099, 305_099))
    moved_change, phoned = changes_of(store, ASSETS, "A1")
    assert moved_change.action == "move" and moved_change.title == "Ashby Village Hall"
    (position,) = moved_change.fields
    assert position.summary == "moved 140 m north-east"
    assert {f.label: (f.before, f.after) for f in phoned.fields} == {
        "Phone": ("Not set", "0116 496 0000"),
        "Last checked": ("10 January 2026", "30 November 2026"),
    }


def test_a_deleted_record_keeps_its_name_in_the_log(store: Store) -> None:
    current = store.get(ASSETS, "A4")
    assert current is not None
    _change(store, "A4", opening_times="Sat 10-12")
    delete_feature(store, ASSETS, "A4", if_match=feature_etag(store.get(ASSETS, "A4")),  # type: ignore[arg-type]
                   actor="ann")
    deleted, changed = recent_changes(store, catalog=CATALOG).changes
    assert deleted.action == "delete" and deleted.title == "Cotes Café"
    assert changed.title == "Cotes Café"  # from the archive: the record is gone


def test_pages_and_filters_are_cut_by_the_store(store: Store) -> None:
    for n in range(7):
        _change(store, "A1" if n % 2 else "A2", actor="ann" if n < 5 else "bob",
                opening_times=f"Week {n}")
    first = recent_changes(store, page=1, per_page=3, catalog=CATALOG)
    assert first.total == 7 and first.pages == 3 and len(first.changes) == 3
    assert [c.fields[0].after for c in first.changes] == ["Week 6", "Week 5", "Week 4"]
    last = recent_changes(store, page=3, per_page=3, catalog=CATALOG)
    assert [c.fields[0].after for c in last.changes] == ["Week 0"]
    assert (last.first_number, last.last_number) == (7, 7)
    bob = recent_changes(store, ChangeFilters(actor="bob"), catalog=CATALOG)
    assert bob.total == 2 and {c.actor for c in bob.changes} == {"bob"}
    hall = recent_changes(store, ChangeFilters(feature_id="A2", action="change"), catalog=CATALOG)
    assert hall.total == 4 and {c.title for c in hall.changes} == {"Beeby Church Hall"}
    today = dt.datetime.now(dt.UTC).date()
    assert recent_changes(store, ChangeFilters(since=today + dt.timedelta(days=2))).total == 0
    assert recent_changes(store, ChangeFilters(until=today - dt.timedelta(days=2))).total == 0
    assert recent_changes(store, ChangeFilters(since=today - dt.timedelta(days=1),
                                               until=today + dt.timedelta(days=1))).total == 7
    with pytest.raises(ValidationFailed, match="after the ‘to’ date"):
        recent_changes(store, ChangeFilters(since=today, until=today - dt.timedelta(days=1)))


def test_times_read_as_people_say_them_in_london() -> None:
    assert readable_time(dt.datetime(2026, 12, 1, 15, 4, tzinfo=dt.UTC)) == \
        "1 December 2026, 3:04pm"
    # British Summer Time: 11:30 UTC is 12:30pm in London.
    assert readable_time(dt.datetime(2026, 7, 1, 11, 30, tzinfo=dt.UTC)) == "1 July 2026, 12:30pm"
    assert readable_time(dt.datetime(2026, 1, 5, 0, 5, tzinfo=dt.UTC)) == "5 January 2026, 12:05am"


def test_values_read_without_codes_or_quotes() -> None:
    assert readable(ASSETS, "status", "at_risk") == "At risk"
    assert readable(ASSETS, "accessibility", "step_free;hearing_loop") == "Step free, Hearing loop"
    assert readable(ASSETS, "last_verified", "2026-02-03") == "3 February 2026"
    assert readable(ASSETS, "name", None) == "Not set"
    assert readable(ASSETS, "capacity", 1200) == "1,200"
    assert compass_point(0, -10) == "south" and compass_point(-5, 5) == "north-west"
    assert moved("POINT (0 0)", "POINT (0 25000)") == "moved 25.0 km north"
    assert moved("POINT (0 0)", None) is None
