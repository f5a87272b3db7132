"""The application factory: ``create_app(settings)`` builds a fresh app, no globals."""

from __future__ import annotations

import gc
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from urllib.parse import urlsplit

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from assetmap import __version__
from assetmap.analysis import ReportService
from assetmap.api.cache import ResponseCache
from assetmap.api.errors import install_error_handlers
from assetmap.api.expensive import RenderPool
from assetmap.api.finding import FinderService
from assetmap.api.mail import mail_context, start_sender
from assetmap.api.officer_view import SignInRequired, redirect_to_sign_in
from assetmap.api.oidc import oidc_provider
from assetmap.api.openapi_errors import document_errors
from assetmap.api.pages import activities as activity_pages
from assetmap.api.pages import archive as archive_pages
from assetmap.api.pages import assets as asset_pages
from assetmap.api.pages import audit as audit_page
from assetmap.api.pages import corrections as correction_pages
from assetmap.api.pages import finder as finder_pages
from assetmap.api.pages import history as history_pages
from assetmap.api.pages import hub_correction as hub_correction_pages
from assetmap.api.pages import imports as import_pages
from assetmap.api.pages import map as map_page
from assetmap.api.pages import new_places as new_place_pages
from assetmap.api.pages import organisation_forms, reports, signin, stewarding
from assetmap.api.pages import organisations as organisation_pages
from assetmap.api.pages import outbox as outbox_page
from assetmap.api.pages import policy as policy_pages
from assetmap.api.pages import stale as stale_page
from assetmap.api.pages import still_right as still_right_page
from assetmap.api.pages import users as user_pages
from assetmap.api.public_view import HubNotFound, render_hub_not_found
from assetmap.api.routes import (
    archive,
    assets,
    audit,
    clusters,
    corrections,
    exports,
    finder,
    gaps,
    health,
    history,
    imports,
    layers,
    me,
    new_places,
    ogc,
    oruk,
    scenarios,
    stale,
)
from assetmap.api.routes import map as map_context
from assetmap.api.security_headers import SecurityHeaders
from assetmap.api.state import AppState, attach_state
from assetmap.config import Settings, load_settings
from assetmap.layers import load_catalog
from assetmap.oruk import DirectoryCache
from assetmap.register.client_keys import use_secret
from assetmap.register.contact_retention import purge_contacts
from assetmap.store import Store, open_store

__all__ = ["create_app"]

_DESCRIPTION = """
Community assets, parishes and districts as GeoJSON (EPSG:4326), with the
officer map at `/`. Every error has the same body:
`{"error": {"status", "code", "message", "details"}}`.
"""


def _content_security_policy(settings: Settings) -> str:
    images = "'self' data:"
    if settings.basemap_url:
        parts = urlsplit(settings.basemap_url.replace("{s}", "a"))
        images += f" {parts.scheme}://{parts.netloc.replace('a.', '*.', 1)}"
    # Inline script/style come from folium's generated map; everything else is same-origin.
    return (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; "
        "style-src 'self' 'unsafe-inline'; "
        f"img-src {images}; connect-src 'self'; font-src 'self'; object-src 'none'; "
        "base-uri 'self'; frame-ancestors 'self'"
    )


# Routers in the order their routes are tried, where paths overlap: exports' /api/layers/{name}.csv
# before the layers' /api/layers/{name}, which would take "assets.csv" for a layer name.
_ROUTERS = (
    map_page, exports, layers, assets, imports, audit, stale, signin, asset_pages, stale_page,
    audit_page, import_pages, corrections, correction_pages, hub_correction_pages, me, clusters,
    gaps, reports, finder, oruk, ogc, finder_pages,
    # Before the public organisation page, so /organisations/new is the form, not an id.
    organisation_forms, activity_pages, stewarding, user_pages,
    organisation_pages, policy_pages, health, scenarios,
    new_places, new_place_pages,
    archive, history, archive_pages, history_pages,
    outbox_page, still_right_page,
    map_context,
)


def _state(settings: Settings, store: Store | None) -> AppState:
    catalog = load_catalog(settings.layers_dir)
    store = store or open_store(settings.store)
    use_secret(store, settings.client_key_secret)
    purge_contacts(store, retention_days=settings.contact_retention_days)
    return AppState(
        settings=settings,
        catalog=catalog,
        store=store,
        # Map views ask for many small bbox and cluster answers (~8 KB each): keep many;
        # the byte budget still bounds the large ones (a whole layer).
        responses=ResponseCache(max_entries=1024),
        ogc_cache=ResponseCache(max_entries=64, max_bytes=64 * 1024 * 1024),
        reports=ReportService(store, catalog, settings.thresholds,
                              stale_after_days=settings.stale_after_days),
        finder=FinderService(store, catalog),
        rendered=ResponseCache(max_entries=128, max_bytes=128 * 1024 * 1024),
        render_pool=RenderPool(),
        oruk=DirectoryCache(store, catalog),
        oidc=oidc_provider(settings),
        mail=mail_context(settings),
    )


def _settle(warming: list[threading.Thread]) -> None:
    """Once the start-up data is read, keep the cycle collector's hands off it.

    Everything made so far (modules, the finder's index, the map's points) lives as long as
    the process; a full collection walked all of it, a 175-220 ms pause every few seconds
    under load (every request waiting). Frozen, collections see only what requests make.
    Undone when the app stops (``gc.unfreeze``), so a process that makes many apps (the
    tests) does not keep every earlier one for ever.
    """
    for thread in warming:
        thread.join()
    gc.collect()
    gc.freeze()


def _lifespan(state: AppState) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Read the big point layers in the background so the first visitor does not wait.
        warming = [
            threading.Thread(target=clusters.warm,
                             args=(state.responses, state.store, state.catalog), daemon=True),
            threading.Thread(target=state.finder.warm, daemon=True),
        ]
        for thread in warming:
            thread.start()
        settling = threading.Thread(target=_settle, args=(warming,), daemon=True)
        settling.start()
        # Mail goes from a thread of its own, so no request waits for the SMTP server.
        sender = start_sender(state.settings, state.store, state.catalog)
        yield
        if sender is not None:
            sender.stop()
        # Let a warm-up still reading finish before its store closes under it.
        for thread in [*warming, settling]:
            thread.join(timeout=10)
        gc.unfreeze()
        state.store.close()

    return lifespan


def _protect(app: FastAPI, settings: Settings) -> None:
    """Compression, and the security headers every response carries."""
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    # Added last, so outermost: it sees every response, compressed or not, as before.
    app.add_middleware(SecurityHeaders, headers={
        "Content-Security-Policy": _content_security_policy(settings),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    })


def _serve_static(app: FastAPI, settings: Settings) -> None:
    """The static files, and the API docs served from them (no CDN)."""
    app.mount("/static", StaticFiles(directory=settings.web_dir / "static"), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="assetmap API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
        )


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """Build the service. ``store`` overrides the one named in ``settings`` (tests)."""
    state = _state(settings or load_settings(), store)
    app = FastAPI(
        title="assetmap",
        version=__version__,
        description=_DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan(state),
    )
    attach_state(app, state)
    install_error_handlers(app)
    app.add_exception_handler(SignInRequired, redirect_to_sign_in)
    app.add_exception_handler(HubNotFound, render_hub_not_found)
    _protect(app, state.settings)
    _serve_static(app, state.settings)
    for module in _ROUTERS:
        app.include_router(module.router)
    document_errors(app)
    return app
