"""A page of record groups, newest first, read the way both backends read it.

The newest row of each group is the first of its rows in a scan by ``id`` descending, so a
page of groups ordered by their newest row is the first distinct keys of that scan: page 1
of the audit log reads a hundred-odd rows by the primary key, not the whole table. The scan
goes in chunks (``id`` below the last one seen) and stops once the page is full.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["keys_newest_first"]

# One chunk: (the smallest id read so far, or None to start) -> rows of (id, key).
ReadChunk = Callable[[int | None, int], Sequence[tuple[Any, Any]]]


def keys_newest_first(read_chunk: ReadChunk, limit: int, offset: int) -> list[str]:
    """Distinct keys in order of their newest row, skipping ``offset``, at most ``limit``."""
    wanted = offset + limit
    seen: dict[str, None] = {}
    below: int | None = None
    size = max(500, wanted * 4)  # rows per change: a few; more chunks only if far more
    while len(seen) < wanted:
        rows = read_chunk(below, size)
        for _, key in rows:
            seen.setdefault(str(key), None)
            if len(seen) >= wanted:
                break
        if len(rows) < size:
            break
        below = int(rows[-1][0])
        size *= 2
    return list(seen)[offset:wanted]
