"""Response models (they document the API in /docs)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

__all__ = [
    "UPKEEP_ERRORS",
    "ErrorBody",
    "ErrorResponse",
    "Health",
    "LayerPublic",
    "LayersPublic",
    "Link",
    "error_responses",
]


class Link(BaseModel):
    rel: str
    href: str
    type: str
    title: str = ""


class FieldPublic(BaseModel):
    name: str
    type: str
    required: bool
    choices: list[str] | None = None
    description: str = ""


class LayerPublic(BaseModel):
    name: str
    title: str
    description: str
    geometry_type: str
    id_field: str
    fields: list[FieldPublic]
    filters: list[str]
    hub_categories: list[str]
    style: dict[str, Any]
    labels: dict[str, dict[str, str]]
    popup: list[str]
    feature_count: int
    links: list[Link]


class LayersPublic(BaseModel):
    layers: list[LayerPublic]
    crs: str = "EPSG:4326"
    synthetic: bool
    notice: str | None = None


class Health(BaseModel):
    status: str
    store: str
    features: dict[str, int]
    synthetic: bool


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str
    details: list[dict[str, Any]]


class ErrorResponse(BaseModel):
    """The canonical error body of every endpoint."""

    error: ErrorBody


def error_responses(descriptions: Mapping[int, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for error statuses, each with the canonical body."""
    return {status: {"model": ErrorResponse, "description": text}
            for status, text in descriptions.items()}


# The officers' register-upkeep reads (/api/audit, /api/stale).
UPKEEP_ERRORS = error_responses(
    {401: "Not signed in", 403: "Role not allowed", 404: "No such layer"}
)
