"""A small in-memory cache of serialised responses, keyed by the store's version.

Serialising 100,000 features takes a noticeable fraction of a second; the map
asks for the same layer on every page load, so the text is kept until the data
changes (the store's ``version()`` is part of every key).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

__all__ = ["ResponseCache"]


class ResponseCache:
    def __init__(self, max_entries: int = 32, max_bytes: int = 256 * 1024 * 1024) -> None:
        self._entries: OrderedDict[Hashable, str] = OrderedDict()
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._size = 0
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], str]) -> str:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        text = make()
        with self._lock:
            if key not in self._entries and len(text) <= self._max_bytes:
                self._entries[key] = text
                self._size += len(text)
                while len(self._entries) > self._max_entries or self._size > self._max_bytes:
                    _, dropped = self._entries.popitem(last=False)
                    self._size -= len(dropped)
        return text
