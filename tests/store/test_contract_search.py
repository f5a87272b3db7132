"""Full-text search, on both backends: the same words find the same features.

The documented test set (README "Searching by word"): each query below finds exactly the ids
listed, on the GeoPackage (SQLite FTS5, porter) and on PostGIS (tsvector, Snowball English
without stop words), and user text never reaches FTS5 or tsquery syntax.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import geopandas as gpd
import pyogrio
from shapely.geometry import Point

from assetmap.errors import ValidationFailed
from assetmap.layers import FieldSpec, LayerSpec
from assetmap.store import Store, open_store
from tests.store.contract import ASSETS, new_hall

EVENTS = LayerSpec(
    name="events", title="Events", geometry_type="Point", table="events", id_field="id",
    fields=(FieldSpec(name="id", required=True), FieldSpec(name="name", required=True),
            FieldSpec(name="description"), FieldSpec(name="places")),
    search=("name", "description"),
    search_within=("places",),
)
DOCUMENTS = {
    "E1": ("Dementia Café", "A friendly café for people living with dementia and their carers."),
    "E2": ("Chair Yoga", "Gentle exercise for older people, sitting down."),
    "E3": ("Toddler Time", "Songs, stories and play for toddlers and their grown-ups."),
    "E4": ("Lunch Club", "A hot two-course lunch every Tuesday."),
    "E5": ("Friendship lunches", "Lunch clubs meet in three villages; transport arranged."),
    "E6": ("Zoë's Naïve Art", "Painting for beginners. All materials provided."),
    "E7": ("Youth Club", "Games and sport for young people aged 11 to 16; yoga on Fridays."),
    "E8": ("Coffee morning", None),
}
# query -> the ids it finds (any order); the set residents were promised on both backends.
TEST_SET = {
    "dementia café": {"E1"},
    "Dementia Cafe": {"E1"},
    "DEMENTIA CAFÉ": {"E1"},
    "yoga": {"E2", "E7"},
    "toddler": {"E3"},
    "toddlers": {"E3"},
    "lunch clubs": {"E4", "E5"},
    "lunch club": {"E4", "E5"},
    "zoe naive": {"E6"},
    "Zoë": {"E6"},
    "painting beginners": {"E6"},
    "paint": {"E6"},
    "something for toddlers near me": {"E3"},
    "young people": {"E7"},
    "coffee": {"E8"},
    "swimming": set(),
}
# Text that is FTS5 or tsquery syntax, or SQL: never an error, only words are searched.
HOSTILE = {
    '"': set(), "*": set(), "-": set(), "NEAR": set(), "AND": set(), "OR NOT": set(),
    '"yoga': {"E2", "E7"}, "yoga*": {"E2", "E7"}, "-yoga": {"E2", "E7"},
    "NEAR(yoga toddler)": set(), "yoga OR toddler": set(), "name:yoga": set(),
    "yoga & !toddler": set(), "'; DROP TABLE events; --": set(), "(yoga": {"E2", "E7"},
    "yoga\x00": {"E2", "E7"}, "^yoga": {"E2", "E7"}, "": set(), "   ": set(),
}


# Where each runs (a semicolon list of asset ids, as activities hold them).
PLACES = {"E1": "A1", "E2": "A1; A2", "E3": "A2", "E4": "A3", "E5": "A-3", "E7": "A2;a1"}


def events_frame(documents: dict[str, tuple[str, str | None]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": list(documents), "name": [n for n, _ in documents.values()],
         "description": [d for _, d in documents.values()],
         "places": [PLACES.get(i) for i in documents]},
        geometry=[Point(450_000 + i * 100, 305_000) for i in range(len(documents))],
        crs=27700,
    )


@pytest.fixture
def events(store: Store) -> Store:
    store.replace_tables({"events": events_frame(DOCUMENTS)})
    return store


@pytest.mark.parametrize(("query", "expected"), sorted(TEST_SET.items()))
def test_the_documented_queries_find_the_same_features(
    events: Store, query: str, expected: set[str]
) -> None:
    found = events.search(EVENTS, query)
    assert set(found) == expected
    assert len(found) == len(set(found))


@pytest.mark.parametrize(("query", "expected"), sorted(HOSTILE.items()))
def test_search_syntax_in_the_text_is_only_words(
    events: Store, query: str, expected: set[str]
) -> None:
    assert set(events.search(EVENTS, query)) == expected
    assert events.count(EVENTS) == len(DOCUMENTS)


def test_a_word_in_the_name_ranks_first_and_limit_keeps_the_best(events: Store) -> None:
    found = events.search(EVENTS, "club")
    assert set(found) == {"E4", "E5", "E7"}
    assert found[2] == "E5"  # "clubs" only in its description
    assert events.search(EVENTS, "club", limit=2) == found[:2]
    assert events.search(EVENTS, "yoga")[0] == "E2"


def test_within_narrows_to_features_listing_one_of_the_values(events: Store) -> None:
    assert sorted(events.search(EVENTS, "", within={"places": ["A1"]})) == ["E1", "E2"]
    assert events.search(EVENTS, "yoga", within={"places": ["A2"]}) == ["E2", "E7"]
    assert events.search(EVENTS, "yoga", within={"places": ["A1", "A9"]}) == ["E2"]
    assert events.search(EVENTS, "lunch", within={"places": ["A3"]}) == ["E4"]  # not "A-3"
    assert events.search(EVENTS, "lunch", within={"places": ["a-3"]}) == []  # values whole
    assert events.search(EVENTS, "lunch", within={"places": []}) == []
    assert events.search(EVENTS, "lunch", within={"places": ['"', "*", "NEAR"]}) == []
    assert events.search(EVENTS, "", within={"places": ["A2"]}, limit=1) == ["E2"]
    with pytest.raises(ValidationFailed, match="search_within"):
        events.search(EVENTS, "yoga", within={"name": ["x"]})


def test_within_follows_writes(events: Store) -> None:
    assert events.search(EVENTS, "", within={"places": ["A5"]}) == []
    with events.transaction() as tx:
        tx.change(EVENTS, "E8", {"places": "A5;A6"})
    assert events.search(EVENTS, "coffee", within={"places": ["A6"]}) == ["E8"]


def test_assets_are_searched_by_name_and_category(store: Store) -> None:
    assert store.search(ASSETS, "village halls") == ["A1", "A5"]  # both named, both category
    assert store.search(ASSETS, "cafe") == ["A4"]
    assert store.search(ASSETS, "church") == ["A2"]


def test_every_write_is_searchable_at_once(events: Store) -> None:
    events.search(EVENTS, "yoga")  # the index exists before the writes
    with events.transaction() as tx:
        tx.add(EVENTS, {"id": "E9", "name": "Baby yoga", "description": "Bring a blanket."},
               Point(451_000, 305_000))
        tx.change(EVENTS, "E2", {"name": "Chair pilates"})
        tx.delete(EVENTS, "E7")
    assert events.search(EVENTS, "yoga") == ["E9"]
    assert events.search(EVENTS, "pilates") == ["E2"]
    assert events.search(EVENTS, "youth") == []
    with events.transaction() as tx:
        tx.change(EVENTS, "E9", {"description": "Stretch together."})
    assert events.search(EVENTS, "stretching") == ["E9"]
    assert events.search(EVENTS, "blanket") == []


def test_a_rolled_back_write_leaves_the_search_as_it_was(events: Store) -> None:
    events.search(EVENTS, "yoga")
    with pytest.raises(RuntimeError), events.transaction() as tx:
        tx.add(EVENTS, {"id": "E9", "name": "Baby yoga"}, Point(451_000, 305_000))
        tx.delete(EVENTS, "E2")
        raise RuntimeError("undo")
    assert sorted(events.search(EVENTS, "yoga")) == ["E2", "E7"]


def test_a_bulk_replacement_is_searched_as_it_is_now(events: Store) -> None:
    assert events.search(EVENTS, "toddler") == ["E3"]
    replaced = {"F1": ("Stay and play", "For toddlers."), "F2": ("Yoga", None)}
    events.replace_tables({"events": events_frame(replaced)})
    assert events.search(EVENTS, "toddlers") == ["F1"]
    assert events.search(EVENTS, "lunch") == []
    with events.transaction() as tx:
        tx.replace_table("events", events_frame({"G1": ("Lunch club", None)}))
    assert events.search(EVENTS, "lunch") == ["G1"]
    assert events.search(EVENTS, "yoga") == []


def test_a_layer_without_search_fields_says_how_to_declare_them(store: Store) -> None:
    plain = EVENTS.model_copy(update={"search": ()})
    with pytest.raises(ValidationFailed, match=r"search: \[name"):
        store.search(plain, "yoga")


def test_a_layer_not_yet_stored_finds_nothing(store: Store) -> None:
    assert store.search(EVENTS.model_copy(update={"table": "nothing_here"}), "yoga") == []


def test_changed_search_fields_are_indexed_afresh(events: Store) -> None:
    assert events.search(EVENTS, "materials") == ["E6"]
    name_only = EVENTS.model_copy(update={"search": ("name",)})
    assert events.search(name_only, "materials") == []
    assert events.search(name_only, "art") == ["E6"]


def test_geopackage_edits_made_by_gdal_are_searched_too(tiny_gpkg: Path) -> None:
    """GDAL's SQLite has no FTS5: the index lives beside the layer, no trigger on it."""
    store = open_store(str(tiny_gpkg))
    assert sorted(store.search(ASSETS, "hall")) == ["A1", "A2", "A5"]
    extra = gpd.GeoDataFrame({**{k: [v] for k, v in new_hall(name="Great Hall").items()}},
                             geometry=[Point(453_000, 306_000)], crs=27700)
    pyogrio.write_dataframe(extra, tiny_gpkg, layer="assets", driver="GPKG", append=True)
    assert store.search(ASSETS, "great hall") == ["A9"]
    layers = {name for name, _ in pyogrio.list_layers(tiny_gpkg)}
    assert not any(name.startswith("assetmap_search") for name in layers)
