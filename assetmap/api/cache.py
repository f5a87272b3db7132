"""A small in-memory cache of serialised responses (and prepared data), keyed by version.

Serialising 100,000 features takes a noticeable fraction of a second; the map
asks for the same layer on every page load, so the text is kept until the data
changes (the store's ``version()`` is part of every key).
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class Rendered:
    """A rendered response body and its strong ETag (a hash of the bytes)."""

    body: bytes
    media_type: str
    headers: Mapping[str, str]
    etag: str
    nbytes: int

    @classmethod
    def of(cls, body: bytes | str, media_type: str, headers: Mapping[str, str] | None = None
           ) -> Rendered:
        data = body.encode() if isinstance(body, str) else body
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        return cls(data, media_type, dict(headers or {}), etag, len(data))


def _matches(if_none_match: str, etag: str) -> bool:
    wanted = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in wanted or etag in wanted


def conditional(request: Request, rendered: Rendered, cache_control: str = PUBLIC) -> Response:
    """The body, or ``304 Not Modified`` when the client's ``If-None-Match`` names its ETag."""
    headers = {"ETag": rendered.etag, "Cache-Control": cache_control}
    if _matches(request.headers.get("if-none-match", ""), rendered.etag):
        return Response(status_code=304, headers=headers)
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
