"""Reading request bodies with a size limit, for endpoints anyone may post to.

FastAPI reads a declared JSON body whole before any check runs; these read
the stream themselves and stop at the limit, whether or not the client
declared a Content-Length (chunked uploads declare none).
"""

from __future__ import annotations

from typing import TypeVar
from urllib.parse import parse_qs

from fastapi import Request
from pydantic import BaseModel, ValidationError

from assetmap.errors import BadRequest, PayloadTooLarge, ValidationFailed

__all__ = ["read_form", "read_json", "read_limited"]

Model = TypeVar("Model", bound=BaseModel)


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"The request body is larger than {limit // 1024} KB, the most this endpoint accepts; "
        "send less text.",
        key="correction.too_large",
    )


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, or 413 as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise BadRequest("The Content-Length header is not a number")
        if int(declared) > limit:
            raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request, model: type[Model], limit: int) -> Model:
    """A JSON body validated by ``model`` (no body = ``{}``); 413, 400 or 422 naming the field.

    A body must be labelled JSON: a cross-site HTML form cannot send that label.
    """
    body = await read_limited(request, limit)
    if not body.strip():
        body = b"{}"
    else:
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json":
            raise BadRequest("Send the body as JSON with 'Content-Type: application/json'")
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        details = [
            {"field": ".".join(str(part) for part in error["loc"]) or "body",
             "problem": error["msg"]}
            for error in exc.errors()
        ]
        summary = "; ".join(f"{d['field']}: {d['problem']}" for d in details)
        raise ValidationFailed(f"Invalid request body: {summary}", details=details) from None


async def read_form(request: Request, limit: int) -> dict[str, list[str]]:
    """An ``application/x-www-form-urlencoded`` body as field -> values (blank values kept)."""
    body = await read_limited(request, limit)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("The form was not sent as UTF-8") from None
    try:
        return parse_qs(text, keep_blank_values=True, max_num_fields=100)
    except ValueError:  # more fields than any of our forms has
        raise BadRequest("The form has too many fields") from None
