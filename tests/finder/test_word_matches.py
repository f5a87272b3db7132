"""Each word's matches kept for one version of the store, on both backends: the same answers
as the store's own search, asked once a word, and never stale after an edit."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

import pytest

from assetmap.api.finding import FinderService
from assetmap.config import PROJECT_ROOT
from assetmap.finder.word_matches import WordMatches
from assetmap.layers import LayerSpec, load_catalog
from assetmap.register.editing import create_feature
from assetmap.store import Store, open_store

CATALOG = load_catalog(PROJECT_ROOT / "layers")
ACTIVITIES = CATALOG["activities"]
RUNNING = {"AC1", "AC2", "AC3"}  # AC4 has ended


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    backend = open_store(store_location)
    yield backend
    backend.close()


class CountingStore:
    """The store, counting its searches."""

    def __init__(self, store: Store) -> None:
        self.store, self.searches = store, 0

    def search(self, layer: LayerSpec, text: str, *, limit: int | None = None,
               within: Mapping[str, Collection[str]] | None = None, ranked: bool = True
               ) -> list[str]:
        self.searches += 1
        return self.store.search(layer, text, limit=limit, within=within, ranked=ranked)


@pytest.mark.parametrize("words", ["cafe", "Café", "toddlers", "lunch clubs", "knit natter",
                                   "play song", "yoga"])
def test_matches_are_the_running_activities_the_store_finds(store: Store, words: str) -> None:
    matches = WordMatches(store, ACTIVITIES, RUNNING).matching(words)
    expected = sorted(set(store.search(ACTIVITIES, words)) & RUNNING)
    assert matches.among(sorted(RUNNING)) == expected
    assert matches.fewer_than(10) == expected


def test_a_word_is_asked_of_the_store_once(store: Store) -> None:
    counting = CountingStore(store)
    words = WordMatches(counting, ACTIVITIES, RUNNING)
    assert words.matching("memory cafe").among(["AC1", "AC3"]) == ["AC3"]
    assert words.matching("cafe memory").among(["AC3"]) == ["AC3"]
    assert words.matching("the memory cafe").fewer_than(10) == ["AC3"]
    assert counting.searches == 2  # "memory" and "cafe"; "the" is no search word


def test_fewer_than_says_none_when_there_are_as_many(store: Store) -> None:
    words = WordMatches(store, ACTIVITIES, RUNNING)
    assert words.matching("").fewer_than(1) == []
    assert words.matching("play").fewer_than(2) == ["AC2"]
    assert words.matching("play").fewer_than(1) is None


def test_only_the_most_recent_words_are_kept(store: Store) -> None:
    counting = CountingStore(store)
    words = WordMatches(counting, ACTIVITIES, RUNNING, words_kept=2)
    for word in ("lunch", "play", "cafe", "lunch"):
        words.matching(word)
    assert counting.searches == 4  # "lunch" was dropped for "cafe", so asked again


def test_an_activity_added_is_found_by_a_word_searched_before(store: Store) -> None:
    service = FinderService(store, CATALOG)
    near = service.data().locate_text("LZ1 1AA")
    assert service.data().find_activities("yoga", near=near) == []
    properties: dict[str, Any] = {
        "id": "AC9", "name": "Chair Yoga", "category": "exercise_class", "asset_ids": "A1",
        "schedule": "Fr 10:00-11:00", "audience": "older_people", "status": "active"}
    create_feature(store, ACTIVITIES, properties, None, actor="officer")
    found = service.data().find_activities("yoga", near=near)
    assert [f.activity.name for f in found] == ["Chair Yoga"]
