"""A small in-memory cache of serialised responses (and prepared data), keyed by version.

Serialising 100,000 features takes a noticeable fraction of a second; the map
asks for the same layer on every page load, so the text is kept until the data
changes (the store's ``version()`` is part of every key).
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import Response

__all__ = ["PRIVATE", "PUBLIC", "Rendered", "ResponseCache", "conditional"]

T = TypeVar("T")


# Public content changes whenever the register does: keep it, but ask (cheaply, with the
# ETag) every time. Officer content is ``private`` so shared caches never hold it.
PUBLIC = "public, no-cache"
PRIVATE = "private, no-cache"


# Bodies worth compressing once when rendered (a PDF or GeoPackage is compressed already).
_COMPRESSIBLE = ("text/", "application/json", "application/geo+json")


@dataclass(frozen=True)
class Rendered:
    """A rendered response body, gzipped once too where that helps, and its strong ETag."""

    body: bytes
    media_type: str
    headers: Mapping[str, str]
    etag: str  # a hash of the bytes; the gzipped form's ends in "-gzip" (another byte string)
    gzipped: bytes | None
    nbytes: int

    @classmethod
    def of(cls, body: bytes | str, media_type: str, headers: Mapping[str, str] | None = None
           ) -> Rendered:
        data = body.encode() if isinstance(body, str) else body
        # Compressed here, once: the middleware would spend ~50-100 ms on every answer.
        gzipped = (gzip.compress(data, compresslevel=6, mtime=0)
                   if media_type.startswith(_COMPRESSIBLE) and len(data) > 1024 else None)
        etag = hashlib.sha256(data).hexdigest()[:32]
        return cls(data, media_type, dict(headers or {}), etag, gzipped,
                   len(data) + len(gzipped or b""))


def _tags(if_none_match: str) -> set[str]:
    return {tag.strip().removeprefix("W/").strip('"') for tag in if_none_match.split(",")}


def conditional(request: Request, rendered: Rendered, cache_control: str = PUBLIC) -> Response:
    """The body (gzipped when the client takes it), or ``304 Not Modified`` when its
    ``If-None-Match`` names the current ETag of either form."""
    zipped = rendered.gzipped is not None and "gzip" in request.headers.get("accept-encoding", "")
    etag = f'"{rendered.etag}-gzip"' if zipped else f'"{rendered.etag}"'
    headers = {"ETag": etag, "Cache-Control": cache_control, "Vary": "Accept-Encoding"}
    wanted = _tags(request.headers.get("if-none-match", ""))
    if "*" in wanted or rendered.etag in wanted or f"{rendered.etag}-gzip" in wanted:
        return Response(status_code=304, headers=headers)
    if zipped and rendered.gzipped is not None:
        headers["Content-Encoding"] = "gzip"  # the middleware leaves it as it is
        return Response(rendered.gzipped, media_type=rendered.media_type,
                        headers={**rendered.headers, **headers})
    return Response(rendered.body, media_type=rendered.media_type,
                    headers={**rendered.headers, **headers})


class ResponseCache:
    def __init__(self, max_entries: int = 32, max_bytes: int = 256 * 1024 * 1024) -> None:
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        """The value kept under ``key``, or None."""
        with self._lock:
            if key not in self._entries:
                return None
            self._entries.move_to_end(key)
            return self._entries[key]

    def put(self, key: Hashable, value: Any) -> None:
        size = _size(value)
        with self._lock:
            if key in self._entries or size > self._max_bytes:
                return
            self._entries[key] = value
            self._size += size
            while len(self._entries) > self._max_entries or self._size > self._max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._size -= _size(dropped)

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        found = self.get(key)
        if found is not None:
            kept: T = found
            return kept
        made = make()
        self.put(key, made)
        return made


def _size(value: object) -> int:
    """Bytes of text responses; other objects carry a ``nbytes`` estimate or count as 0."""
    if isinstance(value, str | bytes):
        return len(value)
    return int(getattr(value, "nbytes", 0))
