"""Errors raised while fetching open data; the CLI prints them and exits 2."""

from __future__ import annotations

from assetmap.errors import AssetmapError

__all__ = ["FetchError", "OfflineError", "RetryableResponse"]


class FetchError(AssetmapError):
    """A public endpoint failed or answered with something unusable."""

    status = 502
    code = "upstream_error"


class OfflineError(FetchError):
    """The host cannot be reached at all (no DNS, no route): most likely no internet."""

    status = 503
    code = "offline"

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(
            f"cannot reach {host}: this machine appears to be offline ({reason}); run fetch "
            "where there is internet, or import files you already hold with `assetmap import …`"
        )
        self.host = host


class RetryableResponse(Exception):
    """Raised by a response check when the body says "try again" (e.g. ArcGIS 500 in JSON)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
