"""Helpers the corrections tests share (``routes/`` and ``pages/test_corrections.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from assetmap.register.corrections import CORRECTIONS_TABLE
from assetmap.register.users import add_user
from assetmap.store import open_store

API = "/api/corrections"


def officer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def stored(tiny_gpkg: Path) -> list[dict[str, Any]]:
    return open_store(str(tiny_gpkg)).records(CORRECTIONS_TABLE)


def suggest(api: TestClient, **body: Any) -> Any:
    return api.post(API, json={"feature_id": "A1", **body})


def pending(api: TestClient, token: str) -> list[dict[str, Any]]:
    response = api.get(API, headers=officer(token))
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    corrections: list[dict[str, Any]] = response.json()["corrections"]
    return corrections


def asset(api: TestClient, feature_id: str = "A1") -> dict[str, Any]:
    properties: dict[str, Any] = api.get(f"/api/layers/assets/items/{feature_id}").json()[
        "properties"]
    return properties


def suggestions_in(location: str) -> list[dict[str, Any]]:
    """The queue's rows as stored, on either backend."""
    store = open_store(location)
    try:
        return store.records(CORRECTIONS_TABLE)
    finally:
        store.close()


def officer_bearer(location: str) -> dict[str, str]:
    """The Authorization header of a new officer, on either backend."""
    store = open_store(location)
    try:
        return officer(add_user(store, "olive.officer", "officer"))
    finally:
        store.close()
