"""The impact of a closure, shown before it is saved and kept in the audit log, on both backends.

On Riverside (tests/analysis/riverside.py): closing H2 Eastwick Hub leaves its 10,000
residents (all unparished, deciles 6–7) with no hub within reach; H1 leaves 2,000.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.register.users import add_user
from assetmap.store import open_store
from tests.api.pages.officer import SAME_SITE, etag_in, sign_in
from tests.api.riverside_stores import riverside_location

__all__ = ["riverside_location"]


@pytest.fixture
def browser(riverside_location: str) -> Iterator[tuple[TestClient, str]]:
    store = open_store(riverside_location)
    token = add_user(store, "olive.officer", "officer")
    store.close()
    app = create_app(Settings(store=riverside_location))
    # HTTPS, as served: the session cookie is Secure off loopback.
    with TestClient(app, follow_redirects=False, base_url="https://testserver") as client:
        sign_in(client, token)
        yield client, token


def _status(client: TestClient, asset_id: str) -> str:
    return str(client.get(f"/api/layers/assets/items/{asset_id}").json()["properties"]["status"])


def _hidden(html: str) -> dict[str, str]:
    confirm_form = html.split('<form method="post"', 1)[1].split("</form>", 1)[0]
    return {name: unescape(value) for name, value in
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', confirm_form)}


def _impact_rows(client: TestClient, token: str, asset_id: str) -> list[dict[str, object]]:
    entries = client.get("/api/audit", params={"feature_id": asset_id},
                         headers={"Authorization": f"Bearer {token}"}).json()["entries"]
    return [json.loads(e["after"]) for e in entries if e["field"] == "impact"]


def test_mark_closed_shows_the_impact_and_saves_only_once_confirmed(
    browser: tuple[TestClient, str],
) -> None:
    client, token = browser
    etag = etag_in(client.get("/assets/H2/edit").text)
    asked = client.post("/assets/H2/close", data={"etag": etag}, headers=SAME_SITE)
    assert asked.status_code == 200
    text = unescape(re.sub(r"<[^>]+>", " ", asked.text))
    assert "Mark Eastwick Hub closed?" in text and "Nothing has been saved yet" in text
    assert "10,000 residents in Riverside would lose their only hub within reach" in text
    assert re.search(r"Of them in IMD deciles 1–3\s+0\b", text)
    assert re.search(r"Of them in unparished areas\s+10,000", text)
    assert _status(client, "H2") == "at_risk"  # nothing saved yet
    assert _impact_rows(client, token, "H2") == []

    done = client.post("/assets/H2/close", data=_hidden(asked.text), headers=SAME_SITE)
    assert done.status_code == 303 and done.headers["location"].endswith("done=closed")
    assert _status(client, "H2") == "closed"
    (impact,) = _impact_rows(client, token, "H2")
    assert impact["status"] == "closed" and impact["residents_losing_only_hub"] == 10_000
    assert impact["unparished"] == 10_000 and impact["deprived"] == 0
    history = client.get("/audit", params={"feature_id": "H2"})
    assert "impact" in history.text and "lose their only hub" in history.text


def test_setting_at_risk_in_the_form_asks_first_and_records_the_impact(
    browser: tuple[TestClient, str],
) -> None:
    client, token = browser
    form = client.get("/assets/H1/edit").text
    data = {"step": "save", "etag": etag_in(form), "name": "Northgate Community Centre",
            "category": "community_centre", "status": "at_risk", "district_code": "E07000901",
            "longitude": re.search(r'id="longitude" name="longitude" value="([^"]+)"', form)[1],  # type: ignore[index]
            "latitude": re.search(r'id="latitude" name="latitude" value="([^"]+)"', form)[1]}  # type: ignore[index]
    asked = client.post("/assets/H1/edit", data=data, headers=SAME_SITE)
    assert asked.status_code == 200
    assert "If it closed: who would lose their only hub within reach" in asked.text
    assert "2,000 residents in Riverside would lose their only hub" in asked.text
    assert _status(client, "H1") == "open"
    hidden = _hidden(asked.text)
    assert hidden["status"] == "at_risk" and hidden["confirm"] == "yes"
    done = client.post("/assets/H1/edit", data=hidden, headers=SAME_SITE)
    assert done.status_code == 303, done.text
    assert _status(client, "H1") == "at_risk"
    (impact,) = _impact_rows(client, token, "H1")
    assert impact["status"] == "at_risk" and impact["residents_losing_only_hub"] == 2_000


def test_accepting_this_place_has_closed_shows_the_impact_first(
    browser: tuple[TestClient, str],
) -> None:
    client, token = browser
    sent = client.post("/api/corrections",
                       json={"feature_id": "H2", "changes": {"status": "closed"}})
    assert sent.status_code == 201, sent.text
    queue = client.get("/corrections").text
    etag = etag_in(queue.split('id="correction-1"', 1)[1])
    asked = client.post("/corrections/1/accept", data={"etag": etag, "note": "Seen it shut"},
                        headers=SAME_SITE)
    assert asked.status_code == 200
    assert "10,000 residents in Riverside would lose their only hub" in asked.text
    assert _status(client, "H2") == "at_risk"
    hidden = _hidden(asked.text)
    assert hidden["note"] == "Seen it shut"
    done = client.post("/corrections/1/accept", data=hidden, headers=SAME_SITE)
    assert done.status_code == 303 and done.headers["location"] == "/corrections?done=accepted"
    assert _status(client, "H2") == "closed"
    (impact,) = _impact_rows(client, token, "H2")
    assert impact["residents_losing_only_hub"] == 10_000


def test_other_corrections_are_accepted_in_one_step(browser: tuple[TestClient, str]) -> None:
    client, _ = browser
    client.post("/api/corrections", json={"feature_id": "H2", "changes": {"name": "Eastwick"}})
    queue = client.get("/corrections").text
    etag = etag_in(queue.split('id="correction-1"', 1)[1])
    done = client.post("/corrections/1/accept", data={"etag": etag}, headers=SAME_SITE)
    assert done.status_code == 303
    assert client.get("/api/layers/assets/items/H2").json()["properties"]["name"] == "Eastwick"
