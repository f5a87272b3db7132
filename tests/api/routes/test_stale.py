"""``/api/stale`` filtered and sorted as the officers' page is: only this council's records
unless asked (a neighbouring authority's library left out), district, category, sort; and
``…/verify?method=`` keeping how the check was made."""

# ruff: noqa: F811  (the imported fixtures are taken as parameters)
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shapely.geometry import Point

from assetmap.config import PROJECT_ROOT
from assetmap.layers import load_catalog
from assetmap.register.editing import create_feature
from assetmap.store import open_store
from tests.api.routes.test_assets import api, bearer, tokens  # noqa: F401
from tests.conftest import assert_canonical_error

ASSETS = load_catalog(PROJECT_ROOT / "layers")["assets"]


@pytest.fixture
def neighbour(store_location: str) -> None:
    store = open_store(store_location)
    create_feature(store, ASSETS, {"id": "lib-x", "name": "Aardvark Library (Rutland)",
                                   "category": "council_library", "status": "open",
                                   "district_code": "E06000017", "last_verified": "2020-01-01"},
                   Point(449_000, 305_000), actor="build")
    store.close()


def _ids(api: TestClient, officer: dict[str, str], **params: object) -> list[str]:
    response = api.get("/api/stale", params={"days": 300, **params}, headers=officer)
    assert response.status_code == 200, response.text
    return [f["id"] for f in response.json()["features"]]


def test_stale_api_filters_like_the_page(api: TestClient, tokens: dict[str, str],
                                         neighbour: None) -> None:
    officer = bearer(tokens["officer"])
    assert _ids(api, officer) == ["A2", "A3", "A4", "A1"]
    assert _ids(api, officer, area="neighbours") == ["lib-x"]
    assert "lib-x" in _ids(api, officer, area="all")
    assert _ids(api, officer, district="E07999001") == ["A2", "A1"]
    assert _ids(api, officer, category="church_hall") == ["A2"]
    assert _ids(api, officer, sort="name")[1:3] == ["A1", "A2"]  # after A3's "<img…" name
    bad = api.get("/api/stale", params={"sort": "random"}, headers=officer)
    assert_canonical_error(bad, 422, mentions="Choose from the options")


def test_verify_keeps_the_method(api: TestClient, tokens: dict[str, str]) -> None:
    officer = bearer(tokens["officer"])
    etag = api.get("/api/layers/assets/items/A2").headers["ETag"]
    wrong = api.post("/api/layers/assets/items/A2/verify?method=pigeon",
                     headers={**officer, "If-Match": etag})
    assert_canonical_error(wrong, 422, mentions="Say how it was checked")
    done = api.post("/api/layers/assets/items/A2/verify?method=email",
                    headers={**officer, "If-Match": etag})
    assert done.status_code == 200
    change = api.get("/api/audit/changes", params={"feature_id": "A2"}, headers=officer).json()
    assert change["changes"][0]["notes"] == {"check_method": "email"}
