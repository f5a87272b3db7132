"""The officers' queue on both backends: suggestions by status, kind and district, a page at
a time, oldest or newest first, counted as filtered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from assetmap.config import PROJECT_ROOT
from assetmap.errors import ValidationFailed
from assetmap.layers import load_catalog
from assetmap.register.corrections import (
    Review,
    count_corrections,
    list_corrections,
    submit_correction,
)
from assetmap.register.new_places import NewPlace, submit_new_place
from assetmap.store import Store, open_store

CATALOG = load_catalog(PROJECT_ROOT / "layers")
ASSETS = CATALOG["assets"]
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
WEST, EAST = "E07999001", "E07999002"


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    opened = open_store(store_location)
    # Seven corrections (A1 and A2 in the west, A3 in the east), three new places (two in the
    # east) and two stewards' edits (A4, east), each from its own client, a minute apart.
    sent = [("correction", "A1"), ("correction", "A3"), ("new_place", "LZ2 1AA"),
            ("correction", "A2"), ("steward_edit", "A4"), ("correction", "A1"),
            ("new_place", "LZ1 1AA"), ("correction", "A3"), ("correction", "A2"),
            ("new_place", "LZ2 1AA"), ("steward_edit", "A4"), ("correction", "A1")]
    for number, (kind, target) in enumerate(sent):
        when = NOW + dt.timedelta(minutes=number)
        if kind == "new_place":
            submit_new_place(store=opened, catalog=CATALOG, layer=ASSETS, now=when,
                             place=NewPlace(name=f"Place {number}", category="village_hall",
                                            postcode=target), client_key=f"c{number}")
        else:
            submit_correction(opened, ASSETS, target, None, f"Message {number}", None,
                              f"c{number}", when, kind=kind,
                              author="sam.steward" if kind == "steward_edit" else None)
    yield opened
    opened.close()


def ids(reviews: list[Review]) -> list[int]:
    return [review.correction.id for review in reviews]


def test_the_queue_pages_oldest_first_and_counts_everything(store: Store) -> None:
    assert count_corrections(store, "pending") == 12
    assert ids(list_corrections(store, CATALOG, limit=5)) == [1, 2, 3, 4, 5]
    assert ids(list_corrections(store, CATALOG, limit=5, offset=10)) == [11, 12]
    assert ids(list_corrections(store, CATALOG, limit=3, newest_first=True)) == [12, 11, 10]


def test_filters_by_kind_and_district_combine(store: Store) -> None:
    assert ids(list_corrections(store, CATALOG, kind="new_place")) == [3, 7, 10]
    assert count_corrections(store, "pending", kind="steward_edit") == 2
    assert ids(list_corrections(store, CATALOG, district=EAST)) == [2, 3, 5, 8, 10, 11]
    assert ids(list_corrections(store, CATALOG, kind="new_place", district=WEST)) == [7]
    assert count_corrections(store, "pending", kind="correction", district=WEST) == 5
    assert list_corrections(store, CATALOG, "accepted") == []
    (steward,) = list_corrections(store, CATALOG, kind="steward_edit", limit=1, offset=1)
    assert (steward.correction.author, steward.correction.id) == ("sam.steward", 11)
    assert steward.feature is not None and steward.feature.id == "A4"


def test_an_unknown_kind_or_status_is_refused(store: Store) -> None:
    with pytest.raises(ValidationFailed, match="kind"):
        list_corrections(store, CATALOG, kind="complaint")
    with pytest.raises(ValidationFailed, match="status"):
        count_corrections(store, "lost")
