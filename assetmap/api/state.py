"""The application's state: built once by ``create_app``, read only through ``api/deps.py``.

One frozen object instead of loose ``app.state`` attributes, so every handler
and dependency sees the same typed things, and a test that overrides a
dependency (``app.dependency_overrides[get_store]``) reaches every reader.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI

from assetmap.analysis import ReportService
from assetmap.api.cache import ResponseCache
from assetmap.api.expensive import RenderPool
from assetmap.api.finding import FinderService
from assetmap.api.oidc import OidcProvider
from assetmap.config import Settings
from assetmap.layers import LayerCatalog
from assetmap.oruk import DirectoryCache
from assetmap.register.notifications import MailContext
from assetmap.store import Store

__all__ = ["AppState", "app_state", "attach_state"]

_ATTRIBUTE = "assetmap"


@dataclass(frozen=True)
class AppState:
    """What every request may use: settings, the layer catalogue, the store, the caches."""

    settings: Settings
    catalog: LayerCatalog
    store: Store
    # Serialised layers and the officer map, keyed by store version.
    responses: ResponseCache
    # OGC query results on their own: GIS clients panning must not evict the map's layers.
    ogc_cache: ResponseCache
    reports: ReportService
    finder: FinderService
    # Report pages, PDFs and downloads as rendered, keyed by store version and options.
    rendered: ResponseCache
    # The few threads those renders run in, so cheap requests keep theirs (api/expensive.py).
    render_pool: RenderPool
    # The Open Referral UK directory (/oruk), keyed by store version.
    oruk: DirectoryCache
    # The council's OpenID Connect provider, when one is configured.
    oidc: OidcProvider | None = None
    # What mail says about the service (templates, links); queued mail waits in the outbox.
    mail: MailContext | None = None


def attach_state(app: FastAPI, state: AppState) -> None:
    setattr(app.state, _ATTRIBUTE, state)


def app_state(app: FastAPI) -> AppState:
    """The state ``create_app`` attached (tests use it to reach the store they built)."""
    state = getattr(app.state, _ATTRIBUTE)
    assert isinstance(state, AppState)
    return state
