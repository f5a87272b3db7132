"""A PATCH that closes an asset answers with, and audits, the residents it leaves without a hub."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.register.users import add_user
from assetmap.store import open_store
from tests.api.riverside_stores import riverside_location

__all__ = ["riverside_location"]


def test_closing_by_patch_answers_and_audits_the_impact(riverside_location: str) -> None:
    store = open_store(riverside_location)
    officer = {"Authorization": f"Bearer {add_user(store, 'olive.officer', 'officer')}"}
    store.close()
    with TestClient(create_app(Settings(store=riverside_location))) as api:
        etag = api.get("/api/layers/assets/items/H2").headers["ETag"]
        closed = api.patch("/api/layers/assets/items/H2", json={"properties": {"status": "closed"}},
                           headers={**officer, "If-Match": etag})
        assert closed.status_code == 200, closed.text
        body = closed.json()
        assert body["properties"]["status"] == "closed"
        assert body["impact"]["residents_losing_only_hub"] == 10_000
        assert body["impact"]["unparished"] == 10_000
        entries = api.get("/api/audit", params={"feature_id": "H2"}, headers=officer).json()
        (note,) = [e for e in entries["entries"] if e["field"] == "impact"]
        assert json.loads(note["after"])["residents_losing_only_hub"] == 10_000
        # Other changes carry no impact.
        etag = api.get("/api/layers/assets/items/H1").headers["ETag"]
        renamed = api.patch("/api/layers/assets/items/H1", json={"properties": {"name": "NCC"}},
                            headers={**officer, "If-Match": etag})
        assert "impact" not in renamed.json()
