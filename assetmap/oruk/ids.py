"""Stable identifiers: HSDS 3.0 ids are UUIDs, made here from assetmap's own ids.

The same record gets the same UUID on every request and after every restart (a
consumer that stored it can come back for it), and the kind is part of the seed,
so an activity and an asset that share an id get different UUIDs.
"""

from __future__ import annotations

import uuid

__all__ = ["NAMESPACE", "oruk_id"]

# Fixed for good: changing it would change every published id.
NAMESPACE = uuid.UUID("6f3c1f5e-3a52-4c1e-9a7e-2b5d0c4a8e11")


def oruk_id(kind: str, *parts: object) -> str:
    """``oruk_id("service", "act-1")``: the UUID published for that record."""
    return str(uuid.uuid5(NAMESPACE, ":".join([kind, *map(str, parts)])))
