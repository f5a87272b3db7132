"""The application factory: ``create_app(settings)`` builds a fresh app, no globals."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from fastapi import FastAPI, Request, Response
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from assetmap import __version__
from assetmap.analysis import ReportService
from assetmap.api.cache import ResponseCache
from assetmap.api.errors import install_error_handlers
from assetmap.api.finding import FinderService
from assetmap.api.officer_view import SignInRequired, redirect_to_sign_in
from assetmap.api.routes import (
    audit,
    clusters,
    correction_pages,
    corrections,
    editing,
    exports,
    finder,
    gaps,
    health,
    import_pages,
    imports,
    layers,
    me,
    officer_pages,
    ogc,
    oruk,
    pages,
    public,
    reports,
)
from assetmap.config import Settings
from assetmap.layers import load_catalog
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


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """Build the service. ``store`` overrides the one named in ``settings`` (tests)."""
    settings = settings or Settings()
    catalog = load_catalog(settings.layers_dir)
    store = store or open_store(settings.store)

    responses = ResponseCache()
    finder_service = FinderService(store, catalog)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Read the big point layers in the background so the first visitor does not wait.
        warming = [
            threading.Thread(target=clusters.warm, args=(responses, store, catalog), daemon=True),
            threading.Thread(target=finder_service.warm, daemon=True),
        ]
        for thread in warming:
            thread.start()
        yield
        # Let a warm-up still reading finish before its store closes under it.
        for thread in warming:
            thread.join(timeout=10)
        store.close()

    app = FastAPI(
        title="assetmap",
        version=__version__,
        description=_DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.catalog = catalog
    app.state.store = store
    app.state.responses = responses
    # OGC query results on their own: GIS clients panning must not evict the map's layers.
    app.state.ogc_cache = ResponseCache(max_entries=64, max_bytes=64 * 1024 * 1024)
    app.state.reports = ReportService(store, catalog, settings.thresholds)
    app.state.finder = finder_service
    install_error_handlers(app)
    app.add_exception_handler(SignInRequired, redirect_to_sign_in)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    policy = _content_security_policy(settings)

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

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

    app.include_router(pages.router)
    app.include_router(exports.router)  # before layers: /api/layers/{name} would take assets.csv
    app.include_router(layers.router)
    app.include_router(editing.router)
    app.include_router(imports.router)
    app.include_router(audit.router)
    app.include_router(officer_pages.router)
    app.include_router(import_pages.router)
    app.include_router(corrections.router)
    app.include_router(correction_pages.router)
    app.include_router(me.router)
    app.include_router(clusters.router)
    app.include_router(gaps.router)
    app.include_router(reports.router)
    app.include_router(finder.router)
    app.include_router(oruk.router)
    app.include_router(ogc.router)
    app.include_router(public.router)
    app.include_router(health.router)
    return app
