"""The application state is reached only through ``api/deps.py``: overriding a dependency
reaches every reader of it, authentication included."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.api.deps import get_store
from assetmap.api.state import AppState, app_state
from assetmap.config import Settings
from assetmap.register.users import add_user
from assetmap.store import open_store
from assetmap.store.gpkg_write import write_geopackage
from tests.api.signing_in import sign_in_by_cookie
from tests.conftest import tiny_tables


def test_overriding_get_store_reaches_authentication(tiny_gpkg: Path, tmp_path: Path) -> None:
    other_path = tmp_path / "other.gpkg"
    write_geopackage(other_path, tiny_tables())
    other = open_store(str(other_path))
    token = add_user(other, "oscar.other", "officer")  # known to the other store only
    app = create_app(Settings(store=str(tiny_gpkg)))
    with TestClient(app) as client:
        bearer = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/me", headers=bearer).status_code == 401
        app.dependency_overrides[get_store] = lambda: other
        me = client.get("/api/me", headers=bearer)
        assert me.status_code == 200, me.text
        assert me.json() == {"name": "oscar.other", "role": "officer"}
        # An officer page signs in through the same store.
        sign_in_by_cookie(client, token)
        page = client.get("/stale", follow_redirects=False)
        assert page.status_code == 200 and "Stale records" in page.text
        app.dependency_overrides.clear()
        assert client.get("/api/me", headers=bearer).status_code == 401
    other.close()


def test_the_state_is_one_typed_object(client: TestClient) -> None:
    state = app_state(client.app)  # type: ignore[arg-type]
    assert isinstance(state, AppState)
    assert state.store.name and "assets" in state.catalog
    assert state.responses is not state.ogc_cache
