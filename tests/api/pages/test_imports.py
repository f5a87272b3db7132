"""The officers' import page: check a file row by row, then apply exactly what was checked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.register.users import add_user
from assetmap.store import open_store
from tests.conftest import XSS_NAME

SAME_SITE = {"Origin": "http://testserver"}
GOOD = (
    "id,name,category,status,longitude,latitude\n"
    f'U1,"{XSS_NAME}",village_hall,open,-1.2400,52.6200\n'
    "U2,Beeby New Centre,community_centre,open,-1.2000,52.6300\n"
)


@pytest.fixture
def officer(tiny_gpkg: Path) -> Iterator[TestClient]:
    token = add_user(open_store(str(tiny_gpkg)), "olive.officer", "officer")
    settings = Settings(store=str(tiny_gpkg), import_max_bytes=5_000)
    with TestClient(create_app(settings), follow_redirects=False,
                    base_url="https://testserver") as client:
        client.post("/signin", data={"token": token}, headers=SAME_SITE)
        yield client


def upload(client: TestClient, text: str, name: str = "halls.csv"):  # type: ignore[no-untyped-def]
    return client.post("/import", files={"file": (name, text.encode(), "text/csv")},
                       headers=SAME_SITE)


def test_a_checked_file_is_applied_exactly_once(officer: TestClient) -> None:
    checked = upload(officer, GOOD)
    assert checked.status_code == 200
    assert "2 new" in checked.text and "&lt;img src=x" in checked.text
    assert XSS_NAME not in checked.text
    assert officer.get("/api/layers/assets/items/U1").status_code == 404  # checking writes nothing
    token = re.search(r'name="token" value="([^"]+)"', checked.text).group(1)  # type: ignore[union-attr]
    applied = officer.post("/import/apply", data={"token": token, "name": "halls.csv"},
                           headers=SAME_SITE)
    assert applied.status_code == 303 and "done=imported" in applied.headers["location"]
    assert officer.get("/api/layers/assets/items/U2").json()["properties"]["name"] == (
        "Beeby New Centre")
    again = officer.post("/import/apply", data={"token": token}, headers=SAME_SITE)
    assert again.status_code == 410


def test_one_bad_row_means_nothing_is_offered_or_written(officer: TestClient) -> None:
    bad = GOOD + "U3,Swapped Hall,village_hall,open,52.6200,-1.2400\nU4,Odd,castle,open,-1.2,52.6\n"
    response = upload(officer, bad)
    assert response.status_code == 422
    assert "Nothing can be imported" in response.text and "swap" in response.text
    assert "castle" in response.text and 'action="/import/apply"' not in response.text
    assert officer.get("/api/layers/assets/items/U1").status_code == 404


def test_a_huge_file_or_no_file_gets_a_clear_page(officer: TestClient) -> None:
    huge = upload(officer, GOOD + "x" * 10_000)
    assert huge.status_code == 413 and "larger than" in huge.text
    empty = officer.post("/import", files={"file": ("", b"", "text/csv")}, headers=SAME_SITE)
    assert empty.status_code in (400, 422)


def test_a_made_up_token_finds_nothing(officer: TestClient) -> None:
    for token in ["../../etc/passwd", "a" * 30]:
        response = officer.post("/import/apply", data={"token": token}, headers=SAME_SITE)
        assert response.status_code == 410
