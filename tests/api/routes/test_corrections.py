"""Suggested corrections as JSON: the public endpoint, the officers' list and decisions, with
the limits and CSRF defence a public write needs (the pages: ``pages/test_corrections.py``)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.correcting import API, asset, officer, pending, stored, suggest
from tests.api.signing_in import sign_in_by_cookie
from tests.conftest import assert_canonical_error

SAME_SITE = {"Origin": "http://testserver"}


# -- the JSON API ---------------------------------------------------------------------------
def test_suggest_list_accept_changes_the_asset_and_audits_it(
    api: TestClient, token: str
) -> None:
    created = suggest(api, changes={"phone": "0116 496 0123", "name": "Ashby Village Hall"},
                      message="New number", contact="pat@example.org")
    assert created.status_code == 201, created.text
    assert created.json() == {"id": 1, "status": "pending"}
    [item] = pending(api, token)
    assert item["feature_name"] == "Ashby Village Hall"
    assert item["changes"] == {"phone": "0116 496 0123"}
    assert item["current"]["phone"] is None
    assert item["diff"] == [
        {"field": "phone", "current": None, "proposed": "0116 496 0123", "changed": True}]
    assert item["contact"] == "pat@example.org"
    accepted = api.post(f"{API}/1/accept", json={"etag": item["etag"], "note": "Checked"},
                        headers=officer(token))
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["decided_by"] == "olive.officer"
    assert asset(api)["phone"] == "0116 496 0123"
    audit = api.get("/api/audit?feature_id=A1", headers=officer(token)).json()["entries"]
    assert [(e["action"], e["field"], e["actor"]) for e in audit] == [
        ("correction", "phone", "olive.officer (suggested #1)")]
    assert pending(api, token) == []
    decided = api.get(f"{API}?status=accepted", headers=officer(token)).json()["corrections"]
    assert [c["id"] for c in decided] == [1]


def test_rejecting_leaves_the_asset_unchanged(api: TestClient, token: str) -> None:
    before = asset(api)
    suggest(api, changes={"name": "Somewhere Else"})
    rejected = api.post(f"{API}/1/reject", json={"note": "Not so"}, headers=officer(token))
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert asset(api) == before
    assert api.get("/api/audit", headers=officer(token)).json()["entries"] == []


def test_deciding_twice_is_a_conflict(api: TestClient, token: str) -> None:
    suggest(api, message="Closed on Mondays now")
    assert api.post(f"{API}/1/reject", headers=officer(token)).status_code == 200
    [decided] = api.get(f"{API}?status=rejected", headers=officer(token)).json()["corrections"]
    again = api.post(f"{API}/1/accept", json={"etag": decided["etag"]}, headers=officer(token))
    assert assert_canonical_error(again, 409, mentions="already rejected")["code"] == "conflict"


def test_accepting_after_the_asset_changed_meanwhile_is_refused(
    api: TestClient, token: str
) -> None:
    suggest(api, changes={"phone": "0116 496 0123"})
    [item] = pending(api, token)
    edit = api.patch("/api/layers/assets/items/A1", json={"properties": {"name": "Ashby Hall"}},
                     headers={**officer(token), "If-Match": item["etag"]})
    assert edit.status_code == 200
    late = api.post(f"{API}/1/accept", json={"etag": item["etag"]}, headers=officer(token))
    assert_canonical_error(late, 412, mentions="changed after you opened")
    assert asset(api)["phone"] is None
    [still] = pending(api, token)
    assert still["current"]["name"] == "Ashby Hall" and still["etag"] != item["etag"]
    assert_canonical_error(api.post(f"{API}/1/accept", json={}, headers=officer(token)), 428)


def test_the_public_cannot_list_or_decide(api: TestClient) -> None:
    suggest(api, message="Hello")
    assert_canonical_error(api.get(API), 401, mentions="Sign in")
    assert_canonical_error(api.post(f"{API}/1/accept", json={"etag": "*"}), 401)
    assert_canonical_error(api.post(f"{API}/1/reject", json={}), 401)


def test_a_cookie_signed_in_decision_from_another_site_is_refused(
    api: TestClient, token: str, tiny_gpkg: Path
) -> None:
    suggest(api, changes={"phone": "0116 496 0123"})
    [item] = pending(api, token)
    sign_in_by_cookie(api, token)
    forged = api.post(f"{API}/1/accept", json={"etag": item["etag"]},
                      headers={"Origin": "https://evil.example"})
    assert_canonical_error(forged, 403, mentions="this site's own pages")
    form = api.post("/corrections/1/accept", data={"etag": item["etag"]},
                    headers={"Origin": "https://evil.example"})
    assert form.status_code == 403
    assert stored(tiny_gpkg)[0]["status"] == "pending" and asset(api)["phone"] is None
    ours = api.post(f"{API}/1/accept", json={"etag": item["etag"]}, headers=SAME_SITE)
    assert ours.status_code == 200, ours.text


def test_each_client_may_send_only_a_few_an_hour(api: TestClient, tiny_gpkg: Path) -> None:
    for n in range(3):
        assert suggest(api, message=f"note {n}").status_code == 201
    refused = suggest(api, message="one more")
    error = assert_canonical_error(refused, 429, mentions="try again in")
    assert error["code"] == "too_many_requests"
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3600
    assert len(stored(tiny_gpkg)) == 3
    assert all(row["client"] != "testclient" and len(row["client"]) == 64
               for row in stored(tiny_gpkg))


def test_oversized_bodies_are_refused_before_anything_is_stored(
    api: TestClient, tiny_gpkg: Path
) -> None:
    big = {"feature_id": "A1", "message": "x" * 17_000}
    declared = api.post(API, json=big)
    assert assert_canonical_error(declared, 413, mentions="16 KB")["code"] == "payload_too_large"
    # A chunked upload declares no length; the size actually read counts.
    chunks = (b'{"feature_id": "A1", "message": "' + b"y" * 4_000 for _ in range(5))
    chunked = api.post(API, content=chunks, headers={"Content-Type": "application/json"})
    assert "content-length" not in chunked.request.headers
    assert_canonical_error(chunked, 413)
    assert stored(tiny_gpkg) == []


def test_bad_suggestions_name_each_field_and_store_nothing(
    api: TestClient, tiny_gpkg: Path
) -> None:
    response = suggest(api, changes={"postcode": "nowhere", "category": "church_hall"},
                       message="m" * 2_001)
    error = assert_canonical_error(response, 422, mentions="postcode")
    assert {d["field"] for d in error["details"]} == {"postcode", "category", "message"}
    assert_canonical_error(api.post(API, json={"feature_id": "A5", "message": "?"}), 404)
    assert_canonical_error(api.post(API, json={"feature_id": "A1", "colour": "red"}), 422,
                           mentions="colour")
    assert_canonical_error(api.post(API, content=b'{"feature_id": "A1", "message": "hi"}',
                                    headers={"Content-Type": "text/plain"}), 400,
                           mentions="application/json")
    assert stored(tiny_gpkg) == []


# -- the public form ------------------------------------------------------------------------
# -- the officers' queue page ---------------------------------------------------------------
