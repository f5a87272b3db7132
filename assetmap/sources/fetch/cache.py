"""An on-disk cache of successful responses, keyed by method, URL, params and body.

Re-running fetch reads from here instead of the network (unless ``--refresh``),
so a county can be rebuilt offline from what was downloaded once. Only responses
that passed their checks are stored: an error body is never replayed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assetmap.formats.files import write_atomically

__all__ = ["CachedResponse", "ResponseCache", "default_cache_dir"]


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/assetmap/fetch``, else ``~/.cache/assetmap/fetch``."""
    import os

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "assetmap" / "fetch"


@dataclass(frozen=True)
class CachedResponse:
    content: bytes
    url: str
    retrieved_at: str


class ResponseCache:
    """Two files per entry under ``root/<2 hex>/``: ``<key>.body`` and ``<key>.json``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _paths(self, key: str) -> tuple[Path, Path]:
        folder = self.root / key[:2]
        return folder / f"{key}.body", folder / f"{key}.json"

    def get(self, key: str) -> CachedResponse | None:
        body, meta = self._paths(key)
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            content = body.read_bytes()
        except (OSError, ValueError):
            return None  # absent or damaged: fetch again
        if len(content) != info.get("bytes"):
            return None
        return CachedResponse(content, str(info["url"]), str(info["retrieved_at"]))

    def put(self, key: str, content: bytes, *, url: str, retrieved_at: str) -> None:
        body, meta = self._paths(key)
        # Body first, metadata last: an entry without metadata is simply a miss.
        write_atomically(body, content)
        info = {"url": url, "retrieved_at": retrieved_at, "bytes": len(content)}
        write_atomically(meta, json.dumps(info, indent=1).encode("utf-8"))
