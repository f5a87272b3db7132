"""Exceptions that carry their HTTP status and a message a user can act on.

One handler in the API renders every :class:`AssetmapError` as the canonical
error body; the CLI prints ``error: <message>`` and exits non-zero.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AssetmapError",
    "BadRequest",
    "CRSError",
    "ConfigError",
    "Conflict",
    "DataError",
    "Forbidden",
    "NotFound",
    "PayloadTooLarge",
    "PreconditionFailed",
    "PreconditionRequired",
    "StoreError",
    "TooManyRequests",
    "Unauthorized",
    "ValidationFailed",
]


class AssetmapError(Exception):
    """Base error: ``status`` is the HTTP status, ``code`` a stable machine name."""

    status: int = 500
    code: str = "internal_error"

    def __init__(
        self,
        message: str,
        *,
        details: list[dict[str, Any]] | None = None,
        key: str | None = None,
        values: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        # For pages in other languages: a message-catalogue key and its placeholder values.
        self.key = key
        self.values = values or {}


class BadRequest(AssetmapError):
    status = 400
    code = "bad_request"


class ValidationFailed(AssetmapError):
    """Input was understood but not acceptable (bad bbox, unknown filter, bad threshold)."""

    status = 422
    code = "validation_error"


class NotFound(AssetmapError):
    status = 404
    code = "not_found"


class Unauthorized(AssetmapError):
    """No valid token: sign in (pages) or send ``Authorization: Bearer <token>`` (API)."""

    status = 401
    code = "unauthorized"


class Forbidden(AssetmapError):
    """Signed in, but the role does not allow this."""

    status = 403
    code = "forbidden"


class PreconditionFailed(AssetmapError):
    """``If-Match`` names a version someone else has since replaced."""

    status = 412
    code = "precondition_failed"


class PreconditionRequired(AssetmapError):
    """A write came without ``If-Match``; read the feature first and send its ETag."""

    status = 428
    code = "precondition_required"


class PayloadTooLarge(AssetmapError):
    status = 413
    code = "payload_too_large"


class TooManyRequests(AssetmapError):
    """Too many requests from one client; ``retry_after`` is the wait in seconds."""

    status = 429
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = max(1, retry_after)


class Conflict(AssetmapError):
    """The request contradicts the current state (e.g. deciding a correction twice)."""

    status = 409
    code = "conflict"


class ConfigError(AssetmapError):
    """A layer file or setting is wrong; the message names the file, field and fix."""

    status = 500
    code = "config_error"


class DataError(AssetmapError):
    """Data is unusable as given (missing population, no CRS...); the message says the fix."""

    status = 422
    code = "data_error"


class CRSError(DataError):
    code = "crs_error"


class StoreError(AssetmapError):
    status = 500
    code = "store_error"
