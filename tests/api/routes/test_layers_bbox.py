"""A bbox of a point layer, answered from its prepared points: the store's answer, without
reading the store for every box (both backends)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shapely.geometry import Point

from assetmap.api import create_app, layer_points
from assetmap.api.state import app_state
from assetmap.config import Settings
from assetmap.crs import metric_to_lonlat
from assetmap.store import Store, open_store

ALL_FIELDS = "properties"  # asked for by name, every field: the answer comes from the store
BOXES = [
    "-1.30,52.60,-1.15,52.70", "-1.40,52.50,-1.00,52.80", "-1.26,52.62,-1.22,52.66",
    "-0.50,53.00,-0.40,53.10",  # nothing there
]


@pytest.fixture
def served(store_location: str) -> Iterator[tuple[TestClient, Store, list[int | None]]]:
    store = open_store(store_location)
    reads: list[int | None] = []
    read = store.read

    def counting_read(layer, **options):  # type: ignore[no-untyped-def]
        if layer.name == "assets":
            reads.append(options.get("limit"))
        return read(layer, **options)

    store.read = counting_read  # type: ignore[method-assign]
    # Without the lifespan: the map's warm-up threads would read the layer meanwhile.
    yield TestClient(create_app(Settings(store=store_location), store=store)), store, reads
    store.close()


def _from_store(client: TestClient, params: dict[str, Any]) -> dict[str, Any]:
    every = client.get("/api/layers").json()["layers"]
    fields = next(layer for layer in every if layer["name"] == "assets")["fields"]
    answer: dict[str, Any] = client.get(
        "/api/layers/assets", params={**params, ALL_FIELDS: ",".join(f["name"] for f in fields)}
    ).json()
    return answer


def test_boxes_are_answered_as_the_store_answers(
    served: tuple[TestClient, Store, list[int | None]],
) -> None:
    client, _, reads = served
    for bbox in BOXES:
        fast = client.get("/api/layers/assets", params={"bbox": bbox})
        assert fast.status_code == 200 and fast.headers["content-type"] == "application/geo+json"
        assert fast.json() == _from_store(client, {"bbox": bbox})
    assert [f["id"] for f in client.get(
        "/api/layers/assets", params={"bbox": BOXES[0]}).json()["features"]] == ["A1", "A2", "A5"]
    assert reads.count(None) == 1  # the layer once; the store asked per box only when forced


def test_a_point_on_the_edge_of_the_box_is_inside(
    served: tuple[TestClient, Store, list[int | None]],
) -> None:
    client, _, _ = served
    lon, lat = metric_to_lonlat(452_000.0, 305_000.0)  # asset A1
    body = client.get("/api/layers/assets",
                      params={"bbox": f"{lon - 0.01},{lat - 0.01},{lon + 0.01},{lat}"}).json()
    assert "A1" in [f["id"] for f in body["features"]]


def test_paging_a_box_gives_the_same_pages_and_next_link(
    served: tuple[TestClient, Store, list[int | None]],
) -> None:
    client, _, _ = served
    first = client.get("/api/layers/assets", params={"bbox": BOXES[1], "limit": 2}).json()
    assert first["numberReturned"] == 2
    assert first["features"] == _from_store(client, {"bbox": BOXES[1], "limit": 2})["features"]
    (following,) = first["links"]
    assert following["rel"] == "next" and "offset=2" in following["href"]
    second = client.get(following["href"]).json()
    assert second["features"] == _from_store(
        client, {"bbox": BOXES[1], "limit": 2, "offset": 2})["features"]
    assert {f["id"] for f in first["features"]}.isdisjoint(f["id"] for f in second["features"])


def test_a_new_point_is_in_the_next_answer(
    served: tuple[TestClient, Store, list[int | None]],
) -> None:
    client, store, _ = served
    assert len(client.get("/api/layers/assets", params={"bbox": BOXES[1]}).json()["features"]) == 5
    layer = app_state(client.app).catalog["assets"]  # type: ignore[arg-type]
    with store.transaction() as tx:
        tx.add(layer, {"id": "A9", "name": "New Hall", "category": "village_hall",
                       "status": "open"}, Point(453_000, 306_000))
    ids = [f["id"] for f in client.get("/api/layers/assets",
                                        params={"bbox": BOXES[1]}).json()["features"]]
    assert "A9" in ids and len(ids) == 6


def test_a_layer_too_large_to_hold_is_read_per_box(
    served: tuple[TestClient, Store, list[int | None]], monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, _, reads = served
    monkeypatch.setattr(layer_points, "MOST_FEATURES", 3)
    body = client.get("/api/layers/assets", params={"bbox": BOXES[0]}).json()
    assert [f["id"] for f in body["features"]] == ["A1", "A2", "A5"]
    assert reads == [Settings().max_features + 1]  # the page itself, from the store
