"""Rendered report pages and downloads kept in the store, so every worker serves what one made.

With several workers (PostGIS) each kept its own renders in memory: after a restart each
worker rendered each report again, under load (0.2-2 s of CPU apiece). Now a worker that
misses in memory looks in the store before rendering, and what it renders it leaves there;
while it renders it holds the store's lock for that key (``rendering``), so another worker
asking meanwhile waits for this render rather than making its own.
The key is a digest of the in-memory cache key, which holds the store version and the day,
so a kept render is never one of other data; entries of another version or day are pruned
when a new one is kept, and beyond ``MOST_KEPT`` the oldest go (scenario queries are many:
the store must not fill with them). Only for a database store: a GeoPackage is served by
one process.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Hashable, Iterator
from contextlib import contextmanager

from assetmap.api.cache import Rendered
from assetmap.store import Store

__all__ = ["MOST_KEPT", "RENDERED", "RENDERED_BODIES", "keep_shared", "rendering", "shared"]

RENDERED = "assetmap_rendered"
RENDERED_BODIES = "assetmap_rendered_bodies"
MOST_KEPT = 64  # renders (each 0.1-2 MB) kept for the other workers, newest first


def _digest(key: Hashable) -> str:
    return hashlib.sha256(repr(key).encode()).hexdigest()


def _text(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode("ascii")


def _bytes(text: object) -> bytes | None:
    return None if text is None else base64.b64decode(str(text))


def shared(store: Store, key: Hashable) -> Rendered | None:
    """The render another worker (or this one) kept under ``key``, if any."""
    rows = store.records(RENDERED_BODIES, where={"cache_key": _digest(key)}, limit=1)
    if not rows or rows[0]["body"] is None:
        return None
    row = rows[0]
    body, gzipped = _bytes(row["body"]) or b"", _bytes(row["gzipped"])
    return Rendered(body, str(row["media_type"]), json.loads(str(row["headers"])),
                    str(row["etag"]), gzipped, len(body) + len(gzipped or b""))


@contextmanager
def rendering(store: Store, key: Hashable) -> Iterator[None]:
    """Hold the store's lock for rendering ``key`` (until the block ends): the same render
    asked of another worker meanwhile waits, then finds it with ``shared``."""
    with store.transaction() as tx:
        tx.lock(f"render {_digest(key)}")
        yield


def keep_shared(store: Store, key: Hashable, version: str, rendered: Rendered,
                *, today: dt.date | None = None) -> None:
    """Leave ``rendered`` for the other workers; drop entries of another version or day."""
    day = (today or dt.date.today()).isoformat()
    digest = _digest(key)
    with store.transaction() as tx:
        tx.lock(RENDERED)  # one worker at a time prunes and adds
        kept = store.records(RENDERED)
        if any(old["cache_key"] == digest for old in kept):
            return  # another worker kept it meanwhile
        current = [old for old in kept if old["version"] == version and old["made_on"] == day]
        keep = {str(old["cache_key"]) for old in current[max(0, len(current) - MOST_KEPT + 1):]}
        for old in kept:  # in the order they were kept: the oldest go first
            if str(old["cache_key"]) not in keep:
                tx.delete_records(RENDERED, {"cache_key": str(old["cache_key"])})
                tx.delete_records(RENDERED_BODIES, {"cache_key": str(old["cache_key"])})
        tx.insert_record(RENDERED, {"cache_key": digest, "version": version, "made_on": day})
        tx.insert_record(RENDERED_BODIES, {
            "cache_key": digest, "media_type": rendered.media_type,
            "headers": json.dumps(dict(rendered.headers)), "etag": rendered.etag,
            "body": _text(rendered.body), "gzipped": _text(rendered.gzipped),
        })
