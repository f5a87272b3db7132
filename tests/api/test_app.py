"""What ``create_app`` gives every response: the API definition and docs, compression and
security headers."""

from __future__ import annotations

import gc
import time

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.errors import ConfigError


def test_openapi_and_docs_are_served_without_a_cdn(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "/api/layers/{name}" in schema["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn." not in docs.text
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_responses_are_compressed_and_protected(client: TestClient) -> None:
    response = client.get("/api/layers/community_areas", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    policy = response.headers["content-security-policy"]
    assert "connect-src 'self'" in policy and "default-src 'self'" in policy


def test_every_answer_carries_the_security_headers_once(client: TestClient) -> None:
    for path, status in (("/api/layers/assets?bbox=-1.3,52.6,-1.15,52.7", 200),
                         ("/api/layers/no_such_layer", 404), ("/find", 200)):
        response = client.get(path)
        assert response.status_code == status
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
        assert response.headers.get_list("content-security-policy") == [
            response.headers["content-security-policy"]]
        assert "default-src 'self'" in response.headers["content-security-policy"]


def test_start_up_data_is_frozen_out_of_the_collector_until_the_app_stops(
    settings: Settings,
) -> None:
    with TestClient(create_app(settings)) as served:
        assert served.get("/healthz").status_code == 200
        deadline = time.monotonic() + 20
        while gc.get_freeze_count() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gc.get_freeze_count() > 0  # the warm-up is done and its data frozen
    assert gc.get_freeze_count() == 0  # a stopped app's objects can be collected again


def test_a_bad_setting_in_the_environment_is_named_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What uvicorn's factory call meets: create_app() with settings only from the environment.
    monkeypatch.setenv("ASSETMAP_PORT", "not-a-port")
    with pytest.raises(ConfigError, match=r"^invalid setting ASSETMAP_PORT: .*unset ASSETMAP_PORT"):
        create_app()
