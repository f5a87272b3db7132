"""The /import page applies what the officer reviewed, or nothing: an edit made by someone else
between checking the file and pressing Import is neither overwritten nor applied unseen."""

from __future__ import annotations

import re
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

ASSETS = load_catalog(PROJECT_ROOT / "layers")["assets"]
SAME_SITE = {"Origin": "http://testserver"}
FILE = "id,name,category,status,postcode\nA1,Renamed Hall,village_hall,open,LZ1 1AA\n"


@pytest.fixture
def officer(tiny_gpkg: Path) -> Iterator[TestClient]:
    token = add_user(open_store(str(tiny_gpkg)), "olive.officer", "officer")
    with TestClient(create_app(Settings(store=str(tiny_gpkg))), follow_redirects=False,
                    base_url="https://testserver") as client:
        client.post("/signin", data={"token": token}, headers=SAME_SITE)
        yield client


def _check(client: TestClient) -> dict[str, str]:
    page = client.post("/import", files={"file": ("halls.csv", FILE.encode(), "text/csv")},
                       headers=SAME_SITE)
    assert page.status_code == 200 and "Renamed Hall" in page.text
    fields = dict(re.findall(r'name="(token|checked|name)" value="([^"]*)"', page.text))
    assert set(fields) == {"token", "checked", "name"} and fields["checked"]
    return fields


def test_an_edit_made_after_checking_stops_the_import(officer: TestClient,
                                                      tiny_gpkg: Path) -> None:
    form = _check(officer)
    store = open_store(str(tiny_gpkg))
    with store.transaction() as tx:  # another officer renames A1 meanwhile
        tx.change(ASSETS, "A1", {"name": "Their Name"})
    audited = store.count_records(AUDIT_TABLE)
    refused = officer.post("/import/apply", data=form, headers=SAME_SITE)
    assert refused.status_code == 409
    assert "changed by someone else after it was checked" in refused.text
    feature = store.get(ASSETS, "A1")
    assert feature is not None and feature.properties["name"] == "Their Name"
    assert store.count_records(AUDIT_TABLE) == audited


def test_with_nothing_changed_the_reviewed_file_is_applied(officer: TestClient,
                                                           tiny_gpkg: Path) -> None:
    applied = officer.post("/import/apply", data=_check(officer), headers=SAME_SITE)
    assert applied.status_code == 303  # to the summary page (issue 16), not the audit log
    assert applied.headers["location"].startswith("/import/summary?token=")
    feature = open_store(str(tiny_gpkg)).get(ASSETS, "A1")
    assert feature is not None and feature.properties["name"] == "Renamed Hall"
