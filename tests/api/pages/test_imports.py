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
    assert applied.status_code == 303
    assert applied.headers["location"].startswith("/import/summary?token=")
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


# -- issue 16 (officers): a template to start from, labels as the pages show them, a summary --
def apply_checked(client: TestClient, checked_html: str, name: str) -> object:
    token = re.search(r'name="token" value="([^"]+)"', checked_html)
    checked = re.search(r'name="checked" value="([^"]+)"', checked_html)
    assert token is not None and checked is not None
    return client.post("/import/apply", headers=SAME_SITE,
                       data={"token": token[1], "checked": checked[1], "name": name})


def test_the_page_offers_a_template_csv_with_every_asset_column(officer: TestClient) -> None:
    page = officer.get("/import")
    assert 'href="/import/template.csv"' in page.text and "(CSV, 1 KB)" in page.text
    template = officer.get("/import/template.csv")
    assert template.status_code == 200
    assert template.headers["content-type"].startswith("text/csv")
    assert 'filename="assets_template.csv"' in template.headers["content-disposition"]
    header = template.text.splitlines()[0].split(",")
    assert {"id", "name", "category", "status", "postcode", "longitude", "latitude",
            "accessibility"} <= set(header)


def test_labels_as_the_pages_show_them_import_and_the_page_ends_on_a_summary(
    officer: TestClient,
) -> None:
    text = ("id,name,category,status,longitude,latitude\n"
            "U5,Label Centre,Community Centre,Open,-1.2400,52.6200\n"
            "A1,Ashby Village Hall,Village hall,At risk,,\n")
    checked = upload(officer, text)
    assert checked.status_code == 200, checked.text
    assert "1 new" in checked.text and "1 changed" in checked.text
    applied = apply_checked(officer, checked.text, "labels.csv")
    summary = officer.get(applied.headers["location"])  # type: ignore[attr-defined]
    assert summary.status_code == 200
    assert "<h1>Import complete</h1>" in summary.text and "1 added, 1 changed" in summary.text
    assert '<a href="/assets/U5/edit">Label Centre</a>' in summary.text
    assert '<a href="/assets/A1/edit">Ashby Village Hall</a>: status' in summary.text
    assert "/audit?actor=olive.officer" in summary.text  # the audit log is a link, not the end
    stored = officer.get("/api/layers/assets/items/U5").json()["properties"]
    assert (stored["category"], stored["status"]) == ("community_centre", "open")
    assert officer.get("/import/summary?token=made-up").status_code == 410


def test_a_far_postcode_is_a_warning_on_the_page_and_the_file_still_imports(
    officer: TestClient,
) -> None:
    text = ("id,name,category,status,longitude,latitude,postcode\n"
            "U6,Far Hall,village_hall,open,-1.2400,52.6200,LZ2 1AA\n")
    checked = upload(officer, text)
    assert checked.status_code == 200
    assert "postcode" in checked.text and "km from the row&#39;s coordinates" in checked.text
    assert 'action="/import/apply"' in checked.text
