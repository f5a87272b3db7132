"""Property-based: every operation in the OpenAPI document, fed generated input, never 5xx.

schemathesis generates requests from /openapi.json (valid and invalid ones) and
sends them to the app in-process, signed in as an officer so the write
endpoints are exercised as well. A 5xx is a bug: bad input must get a 4xx with
the canonical error body, and every status an operation answers is one its
OpenAPI entry documents (issue 15: 400 for a malformed body, 404 for a missing
resource, 422 for a bad value were not).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, status_code_conformance

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.register.users import add_user
from assetmap.store import open_store
from assetmap.store.gpkg_write import write_geopackage
from tests.conftest import tiny_tables


def _app() -> FastAPI:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="assetmap-schemathesis-"))
    path = folder / "tiny.gpkg"
    write_geopackage(path, tiny_tables())
    token = add_user(open_store(str(path)), "fuzz.officer", "officer")
    app = create_app(Settings(store=str(path)))
    app.state.fuzz_token = token
    return app


APP = _app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.mark.fuzz
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_operation_answers_with_a_server_error(case) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {APP.state.fuzz_token}"}
    case.call_and_validate(headers=headers, checks=[not_a_server_error, status_code_conformance])
