"""Officers upload a file of assets: a dry run reports every row, a real run writes all or none."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import PROJECT_ROOT, Settings
from assetmap.layers import load_catalog
from assetmap.register.audit import AUDIT_TABLE
from assetmap.register.users import add_user
from assetmap.store import open_store
from tests.conftest import assert_canonical_error

URL = "/api/layers/assets/import"
ASSETS = load_catalog(PROJECT_ROOT / "layers")["assets"]
GOOD = ("id,name,category,status,easting,northing\n"
        "N1,Upload Hall,village_hall,open,452500,305500\n"
        "A1,Ashby Village Hall,village_hall,at_risk,452000,305000\n")
BAD = GOOD + "N2,<b>Bad</b> Hall,palace,open,452600,305600\n"


@pytest.fixture
def officer(tiny_gpkg: Path) -> dict[str, str]:
    token = add_user(open_store(str(tiny_gpkg)), "olive.officer", "officer")
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def api(tiny_gpkg: Path) -> Iterator[TestClient]:
    settings = Settings(store=str(tiny_gpkg), import_max_bytes=2_000)
    with TestClient(create_app(settings)) as client:
        yield client


def upload(text: str | bytes, name: str = "halls.csv") -> dict[str, tuple[str, bytes, str]]:
    data = text.encode() if isinstance(text, str) else text
    return {"file": (name, data, "text/csv")}


def test_signing_in_is_required(api: TestClient) -> None:
    assert_canonical_error(api.post(URL, files=upload(GOOD)), 401, mentions="sign in")


def test_a_dry_run_reports_and_writes_nothing(api: TestClient, officer: dict[str, str],
                                              tiny_gpkg: Path) -> None:
    response = api.post(URL, files=upload(BAD), headers=officer)
    assert response.status_code == 200
    body = response.json()
    assert body["summary"] == "3 rows: 1 new, 1 changed, 0 unchanged, 1 error in 1 row"
    assert body["ok"] is False and body["applied"] is None
    [error] = body["errors"]
    assert (error["row"], error["where"], error["field"], error["value"]) == (
        4, "line 4", "category", "palace")
    assert "village_hall" in error["fix"]
    assert body["changed"] == [{"row": 3, "where": "line 3", "id": "A1",
                                "name": "Ashby Village Hall",
                                "changes": {"status": {"before": "open", "after": "at_risk"}},
                                "placed_by": "easting/northing"}]
    assert open_store(str(tiny_gpkg)).get(ASSETS, "N1") is None


def test_a_real_run_with_a_bad_row_writes_nothing(api: TestClient, officer: dict[str, str],
                                                  tiny_gpkg: Path) -> None:
    response = api.post(URL, params={"dry_run": "false"}, files=upload(BAD), headers=officer)
    error = assert_canonical_error(response, 422, mentions="nothing was written")
    assert error["details"][0]["where"] == "line 4"
    store = open_store(str(tiny_gpkg))
    assert store.get(ASSETS, "N1") is None
    assert store.count_records(AUDIT_TABLE) == 0


def test_a_real_run_writes_everything_under_the_officers_name(
    api: TestClient, officer: dict[str, str], tiny_gpkg: Path
) -> None:
    response = api.post(URL, params={"dry_run": "false"}, files=upload(GOOD), headers=officer)
    assert response.status_code == 200, response.text
    assert response.json()["applied"] == {"created": 1, "changed": 1, "unchanged": 0}
    store = open_store(str(tiny_gpkg))
    assert store.get(ASSETS, "A1").properties["status"] == "at_risk"  # type: ignore[union-attr]
    assert {r["actor"] for r in store.records(AUDIT_TABLE)} == {"olive.officer"}
    served = api.get("/api/layers/assets/items/N1")
    assert served.status_code == 200 and served.json()["properties"]["name"] == "Upload Hall"


def test_a_file_over_the_limit_is_refused(api: TestClient, officer: dict[str, str]) -> None:
    response = api.post(URL, files=upload(b"x" * 3_000), headers=officer)
    assert_canonical_error(response, 413, mentions="ASSETMAP_IMPORT_MAX_BYTES")
    # A body far over the limit is refused from its Content-Length, before it is parsed.
    huge = api.post(URL, files=upload(b"x" * 100_000), headers=officer)
    assert_canonical_error(huge, 413, mentions="the upload is")


def test_an_upload_without_a_file_is_refused(api: TestClient, officer: dict[str, str]) -> None:
    response = api.post(URL, data={"other": "x"}, headers=officer)
    assert_canonical_error(response, 400, mentions="field 'file'")


def test_an_unreadable_file_is_a_canonical_error(api: TestClient,
                                                 officer: dict[str, str]) -> None:
    response = api.post(URL, files=upload("{not json", name="halls.geojson"), headers=officer)
    assert_canonical_error(response, 422, mentions="not valid JSON")
