"""The one canonical JSON error body, and the handlers that produce it.

Every error the service returns to a client looks like::

    {"error": {"status": 404, "code": "not_found",
               "message": "No layer named 'x'. Available layers: …", "details": []}}

A browser (``Accept`` preferring text/html, or ``?f=html``) gets the same error as a
GOV.UK-style page instead, with the same status (``api/error_pages.py``).
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from assetmap.api.error_pages import error_page
from assetmap.api.negotiation import wants_html
from assetmap.errors import AssetmapError, TooManyRequests

__all__ = ["error_response", "install_error_handlers"]

log = logging.getLogger(__name__)


def error_response(
    status: int, code: str, message: str, details: list[dict[str, Any]] | None = None
) -> JSONResponse:
    body = {"error": {"status": status, "code": code, "message": message, "details": details or []}}
    return JSONResponse(body, status_code=status)


def _negotiated(
    request: Request, status: int, code: str, message: str,
    details: list[dict[str, Any]] | None = None,
) -> Response:
    """The error as a page for a browser, else the canonical JSON body."""
    if wants_html(request):
        return error_page(request, status, message, details)
    return error_response(status, code, message, details)


def _code_for(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


async def _assetmap_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AssetmapError)
    if exc.status >= 500:
        log.error("%s: %s", exc.code, exc.message)
    response = _negotiated(request, exc.status, exc.code, exc.message, exc.details)
    if exc.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="assetmap"'
    if isinstance(exc, TooManyRequests):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def _request_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = []
    for item in exc.errors():
        location = ".".join(str(part) for part in item["loc"])
        details.append({"field": location, "problem": item["msg"]})
    summary = "; ".join(f"{d['field']}: {d['problem']}" for d in details)
    return _negotiated(request, 422, "validation_error", f"Invalid request: {summary}", details)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404 and message == "Not Found":
        message = "Nothing here. See /docs for the API and / for the map."
    response = _negotiated(request, exc.status_code, _code_for(exc.status_code), message)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error", exc_info=exc)
    return _negotiated(request, 500, "internal_error", "Something went wrong on our side.")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AssetmapError, _assetmap_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
