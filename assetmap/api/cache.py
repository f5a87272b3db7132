"""A small in-memory cache of serialised responses (and prepared data), keyed by version.

Serialising 100,000 features takes a noticeable fraction of a second; the map
asks for the same layer on every page load, so the text is kept until the data
changes (the store's ``version()`` is part of every key).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = ["ResponseCache"]

T = TypeVar("T")


class ResponseCache:
    def __init__(self, max_entries: int = 32, max_bytes: int = 256 * 1024 * 1024) -> None:
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._size = 0
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                value: T = self._entries[key]
                return value
        made = make()
        size = _size(made)
        with self._lock:
            if key not in self._entries and size <= self._max_bytes:
                self._entries[key] = made
                self._size += size
                while len(self._entries) > self._max_entries or self._size > self._max_bytes:
                    _, dropped = self._entries.popitem(last=False)
                    self._size -= _size(dropped)
        return made


def _size(value: object) -> int:
    """Bytes of text responses; other objects carry a ``nbytes`` estimate or count as 0."""
    if isinstance(value, str | bytes):
        return len(value)
    return int(getattr(value, "nbytes", 0))
