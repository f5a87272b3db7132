"""``/healthz``."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_health(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["features"]["assets"] == 5
    assert body["synthetic"] is True
