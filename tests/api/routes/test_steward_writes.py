"""The role matrix on both backends: the public, a steward of A (the hall A1 and the parish
council O1), a steward of B (the centre A3 and Westtown Good Neighbours O2), an officer and an
admin, against every write endpoint. A refused write is 401/403 with the canonical error body
and nothing written; an allowed one is audited under the writer's name."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import PROJECT_ROOT, Settings
from assetmap.layers import load_catalog
from assetmap.register.stewardship import add_steward
from assetmap.register.users import add_user
from assetmap.store import open_store
from tests.conftest import assert_canonical_error

ROLES = ("public", "steward_b", "steward_a", "officer", "admin")
ITEMS = "/api/layers/{layer}/items"
MOVED = {"type": "Point", "coordinates": [-1.20, 52.63]}


@pytest.fixture
def headers(store_location: str) -> dict[str, dict[str, str]]:
    store = open_store(store_location)
    catalog = load_catalog(PROJECT_ROOT / "layers")
    try:
        tokens = {
            "steward_a": add_steward(store, catalog, "hall.committee", email="hall@example.org",
                                     assets=["A1"], organisations=["O1"], actor="test"),
            "steward_b": add_steward(store, catalog, "centre.team", email=None,
                                     assets=["A3"], organisations=["O2"], actor="test"),
            "officer": add_user(store, "olive.officer", "officer"),
            "admin": add_user(store, "adam.admin", "admin"),
        }
    finally:
        store.close()
    return {"public": {}, **{role: {"Authorization": f"Bearer {token}"}
                             for role, token in tokens.items()}}


@pytest.fixture
def api(store_location: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=store_location))) as client:
        yield client


NAMES = {"steward_a": "hall.committee", "steward_b": "centre.team",
         "officer": "olive.officer", "admin": "adam.admin"}


@dataclass(frozen=True)
class Write:
    """One write and the status each role gets, in ROLES order."""

    method: str
    layer: str
    feature_id: str | None
    statuses: tuple[int, int, int, int, int]
    body: dict[str, Any] = field(default_factory=dict)
    path: str = ""

    def url(self) -> str:
        base = ITEMS.format(layer=self.layer)
        return base if self.feature_id is None else f"{base}/{self.feature_id}{self.path}"


def _change(properties: dict[str, Any], geometry: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"properties": properties, **({"geometry": geometry} if geometry else {})}


def _activity(**properties: Any) -> dict[str, Any]:
    return {"properties": {"name": "Chair Yoga", "category": "exercise_class", "status": "active",
                           "schedule": "Fr 10:00-11:00", **properties}}


MATRIX = {
    "asset details": Write("PATCH", "assets", "A1", (401, 403, 200, 200, 200),
                           _change({"opening_times": "Mo-Fr 09:00-17:00"})),
    "asset at risk": Write("PATCH", "assets", "A1", (401, 403, 200, 200, 200),
                           _change({"status": "at_risk"})),
    "asset category": Write("PATCH", "assets", "A1", (401, 403, 403, 200, 200),
                            _change({"category": "community_hub"})),
    "asset closed": Write("PATCH", "assets", "A1", (401, 403, 403, 200, 200),
                          _change({"status": "closed"})),
    "asset reopened": Write("PATCH", "assets", "A5", (401, 403, 403, 200, 200),
                            _change({"status": "open"})),
    "asset moved": Write("PATCH", "assets", "A1", (401, 403, 403, 200, 200), _change({}, MOVED)),
    "asset verified": Write("POST", "assets", "A1", (401, 403, 200, 200, 200), path="/verify"),
    "other asset verified": Write("POST", "assets", "A2", (401, 403, 403, 200, 200),
                                  path="/verify"),
    "asset added": Write("POST", "assets", None, (401, 403, 403, 201, 201), {
        "properties": {"name": "New Hall", "category": "village_hall", "status": "open"},
        "geometry": {"type": "Point", "coordinates": [-1.24, 52.62]}}),
    "asset deleted": Write("DELETE", "assets", "A4", (401, 403, 403, 204, 404)),
    "organisation details": Write("PATCH", "organisations", "O1", (401, 403, 200, 200, 200),
                                  _change({"description": "We run the hall.",
                                           "email": "clerk@ashby.example"})),
    "organisation kind": Write("PATCH", "organisations", "O1", (401, 403, 403, 200, 200),
                               _change({"kind": "charity"})),
    "other organisation": Write("PATCH", "organisations", "O2", (401, 200, 403, 200, 200),
                                _change({"phone": "0116 496 0000"})),
    "organisation added": Write("POST", "organisations", None, (401, 403, 403, 201, 201), {
        "properties": {"name": "Beeby Book Club", "kind": "voluntary_group"}}),
    "activity at their hall": Write("PATCH", "activities", "AC1", (401, 403, 200, 200, 200),
                                    _change({"schedule": "We 12:00-14:30"})),
    "activity of their group": Write("PATCH", "activities", "AC2", (401, 200, 403, 200, 200),
                                     _change({"cost": "£1 per family"})),
    "activity taken elsewhere": Write("PATCH", "activities", "AC1", (401, 403, 403, 200, 200),
                                      _change({"asset_ids": "A2"})),
    "activity added": Write("POST", "activities", None, (401, 403, 201, 201, 201),
                            _activity(asset_ids="A1", organisation_id="O1")),
    "activity deleted": Write("DELETE", "activities", "AC1", (401, 403, 403, 204, 404)),
    "district renamed": Write("PATCH", "districts", "E07999001", (401, 403, 403, 200, 200),
                              _change({"name": "West Shire"})),
}


def _send(api: TestClient, write: Write, headers: dict[str, str]) -> Any:
    if write.method in {"PATCH", "DELETE"} or write.path:
        current = api.get(ITEMS.format(layer=write.layer) + f"/{write.feature_id}")
        if current.status_code == 200:
            headers = {**headers, "If-Match": current.headers["ETag"]}
    return api.request(write.method, write.url(), json=write.body or None, headers=headers)


def _snapshot(api: TestClient, write: Write) -> Any:
    if write.feature_id is None:
        return api.get(f"/api/layers/{write.layer}").json()["features"]
    return api.get(ITEMS.format(layer=write.layer) + f"/{write.feature_id}").json()


def _audited_by(store_location: str, name: str) -> list[dict[str, Any]]:
    store = open_store(store_location)
    try:
        return store.records("assetmap_audit", where={"actor": name})
    finally:
        store.close()


@pytest.mark.parametrize("case", list(MATRIX))
def test_every_role_gets_what_it_may_and_a_refusal_writes_nothing(
    api: TestClient, headers: dict[str, dict[str, str]], store_location: str, case: str
) -> None:
    write = MATRIX[case]
    for role, expected in zip(ROLES, write.statuses, strict=True):
        before = _snapshot(api, write)
        response = _send(api, write, headers[role])
        if expected >= 400:
            assert_canonical_error(response, expected)
            assert _snapshot(api, write) == before, f"{role}'s refused write changed {case}"
            if role != "public":
                assert _audited_by(store_location, NAMES[role]) == [], role
        else:
            assert response.status_code == expected, (role, response.text)
            audited = _audited_by(store_location, NAMES[role])
            assert audited and {row["layer"] for row in audited} == {write.layer}, role


def test_a_refusal_says_what_stays_with_officers(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    refused = _send(api, MATRIX["asset category"], headers["steward_a"])
    error = assert_canonical_error(refused, 403, mentions="may not change category")
    assert error["details"][0]["field"] == "category"
    other = _send(api, MATRIX["asset details"], headers["steward_b"])
    assert_canonical_error(other, 403, mentions="does not steward assets 'A1'")
    deleting = _send(api, MATRIX["activity deleted"], headers["steward_a"])
    assert_canonical_error(deleting, 403, mentions="needs the officer role")


def test_a_steward_edit_is_applied_and_audited_under_their_name(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    response = _send(api, MATRIX["activity at their hall"], headers["steward_a"])
    assert response.status_code == 200
    assert response.json()["properties"]["schedule"] == "We 12:00-14:30"
    log = api.get("/api/audit", params={"feature_id": "AC1"}, headers=headers["officer"]).json()
    change = next(e for e in log["entries"] if e["field"] == "schedule")
    assert (change["actor"], change["after"]) == ("hall.committee", '"We 12:00-14:30"')


@pytest.mark.parametrize(("method", "path", "body"), [
    ("POST", "/api/layers/assets/import?dry_run=false", None),
    ("POST", "/api/corrections/1/accept", {"etag": "*"}),
    ("POST", "/api/scenarios", {"name": "Mine", "district": "E07999001", "close": ["A1"]}),
    ("GET", "/api/audit", None),
])
def test_officer_only_endpoints_refuse_stewards(
    api: TestClient, headers: dict[str, dict[str, str]], method: str, path: str,
    body: dict[str, Any] | None,
) -> None:
    response = api.request(method, path, json=body, headers=headers["steward_a"])
    assert_canonical_error(response, 403, mentions="hall.committee is steward")


def test_under_review_a_stewards_change_is_queued_with_202(
    store_location: str, headers: dict[str, dict[str, str]]
) -> None:
    with TestClient(create_app(Settings(store=store_location, steward_edits="review"))) as api:
        sent = _send(api, MATRIX["asset details"], headers["steward_a"])
        assert sent.status_code == 202, sent.text
        queued = sent.json()["queued"]
        assert (queued["kind"], queued["status"], queued["feature_id"]) == (
            "steward_edit", "pending", "A1")
        hall = api.get(ITEMS.format(layer="assets") + "/A1").json()["properties"]
        assert hall["opening_times"] == "Mon-Fri 9-5"  # not applied yet
        assert_canonical_error(_send(api, MATRIX["asset category"], headers["steward_a"]), 403)
        assert_canonical_error(_send(api, MATRIX["activity added"], headers["steward_a"]), 403,
                               mentions="added by an officer")
        officer = _send(api, MATRIX["asset details"], headers["officer"])
        assert officer.status_code == 200  # officers are never reviewed
