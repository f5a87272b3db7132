"""Every operation's OpenAPI entry names the 4xx answers bad input gets (issue 15).

Added to the generated document rather than to each route, so a new route is covered too:
``400`` where there is a request body (malformed JSON or form), ``404`` where a path or a
parameter names something that may not exist, ``422`` where there are parameters or a
body to check. Each has the canonical error body (``ErrorResponse``).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

__all__ = ["document_errors"]

_REF = {"$ref": "#/components/schemas/ErrorResponse"}
_DESCRIPTIONS = {
    "400": "Malformed request body (not JSON, or not the form expected)",
    "404": "Nothing found by that name or id",
    "422": "A parameter or value is invalid; the message names it and the fix",
}
_METHODS = ("get", "post", "put", "patch", "delete")


def _statuses(path: str, operation: dict[str, Any]) -> list[str]:
    wanted = []
    if "requestBody" in operation:
        wanted.append("400")
    if "{" in path or operation.get("parameters"):  # an id, or a postcode/place looked up
        wanted.append("404")
    if operation.get("parameters") or "requestBody" in operation:
        wanted.append("422")
    return wanted


def _add_errors(document: dict[str, Any], error_schema: dict[str, Any]) -> dict[str, Any]:
    document.setdefault("components", {}).setdefault("schemas", {}).setdefault(
        "ErrorResponse", error_schema)
    for path, item in document.get("paths", {}).items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for status in _statuses(path, operation):
                responses.setdefault(status, {
                    "description": _DESCRIPTIONS[status],
                    "content": {"application/json": {"schema": _REF}},
                })
    return document


def document_errors(app: FastAPI) -> None:
    """Make ``app.openapi()`` list the 400/404/422 answers of every operation."""
    from assetmap.api.schemas import ErrorResponse

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title, version=app.version, description=app.description,
                routes=app.routes, tags=app.openapi_tags, servers=app.servers,
            )
            error_schema = ErrorResponse.model_json_schema(
                ref_template="#/components/schemas/{model}")
            for name, schema in error_schema.pop("$defs", {}).items():
                document.setdefault("components", {}).setdefault("schemas", {}).setdefault(
                    name, schema)
            app.openapi_schema = _add_errors(document, error_schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
