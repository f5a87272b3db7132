"""Saved scenarios over HTTP (``/api/scenarios``), on both backends, on the Riverside county."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.register.users import add_user
from assetmap.store import open_store
from tests.api.riverside_stores import riverside_location
from tests.conftest import assert_canonical_error

__all__ = ["riverside_location"]


@pytest.fixture
def officer(riverside_location: str) -> dict[str, str]:
    store = open_store(riverside_location)
    try:
        return {"Authorization": f"Bearer {add_user(store, 'olive.officer', 'officer')}"}
    finally:
        store.close()


@pytest.fixture
def api(riverside_location: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=riverside_location))) as client:
        yield client


def test_a_saved_scenario_round_trips_and_reruns_on_the_live_register(
    api: TestClient, officer: dict[str, str]
) -> None:
    made = api.post("/api/scenarios", headers=officer, json={
        "name": "Close Eastwick Hub", "district": "riverside", "close": ["H2"]})
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["name"], body["district"], body["close"], body["author"]) == (
        "Close Eastwick Hub", "E07000901", ["H2"], "olive.officer")
    assert body["outcome"]["newly_outside"]["residents"] == 10_000
    assert body["report"] == f"/reports/E07000901?scenario={body['id']}"
    listed = api.get("/api/scenarios", headers=officer).json()["scenarios"]
    assert [s["name"] for s in listed] == ["Close Eastwick Hub"]

    # The register changes: H2 is deleted. The scenario still reads, saying so.
    item = api.get("/api/layers/assets/items/H2")
    gone = api.delete("/api/layers/assets/items/H2",
                      headers={**officer, "If-Match": item.headers["ETag"]})
    assert gone.status_code == 204, gone.text
    rerun = api.get(f"/api/scenarios/{body['id']}", headers=officer).json()
    assert rerun["outcome"]["missing"] == ["H2"]
    assert rerun["outcome"]["newly_outside"]["residents"] == 0
    assert rerun["outcome"]["uncovered_before"] == 19_000  # today already lacks H2

    assert api.delete(f"/api/scenarios/{body['id']}", headers=officer).status_code == 204
    assert_canonical_error(api.get(f"/api/scenarios/{body['id']}", headers=officer), 404,
                           mentions="deleted by olive.officer")
    assert api.get("/api/scenarios", headers=officer).json()["scenarios"] == []


def test_scenarios_are_for_officers_and_checked_before_saving(
    api: TestClient, officer: dict[str, str]
) -> None:
    assert_canonical_error(api.get("/api/scenarios"), 401, mentions="sign in")
    assert_canonical_error(api.post("/api/scenarios", json={"name": "x", "district": "riverside"}),
                           401, mentions="sign in")
    error = assert_canonical_error(
        api.post("/api/scenarios", headers=officer, json={
            "name": "Bad", "district": "riverside", "close": ["NOPE"], "open": "10,10"}),
        422, mentions="NOPE")
    assert {d["field"] for d in error["details"]} == {"close", "open"}
    assert_canonical_error(
        api.post("/api/scenarios", headers=officer, json={"name": "x", "district": "Nowhere"}),
        404, mentions="Nowhere")
    assert api.get("/api/scenarios", headers=officer).json()["scenarios"] == []


def test_a_saved_scenario_page_an_officer_saw_is_not_served_to_the_public(
    api: TestClient, officer: dict[str, str]
) -> None:
    made = api.post("/api/scenarios", headers=officer, json={
        "name": "Close Eastwick Hub", "district": "riverside", "close": ["H2"]}).json()
    seen = api.get(made["report"], headers=officer)
    assert seen.status_code == 200 and "Close Eastwick Hub" in seen.text
    assert seen.headers["Cache-Control"].startswith("private")
    # The rendered page is cached; the check comes before the cache, so the public still gets 401.
    assert_canonical_error(api.get(made["report"]), 401, mentions="sign in")
