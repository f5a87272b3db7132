"""The officers' view of the queue: suggestions by status, kind and district, a page at a
time, each beside its asset as it is now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assetmap.errors import ValidationFailed
from assetmap.layers import LayerCatalog
from assetmap.register.correction_values import as_text
from assetmap.register.editing import feature_etag
from assetmap.register.suggestion_queue import CORRECTIONS_TABLE, KINDS, STATUSES, Correction
from assetmap.store.base import Feature, Store

__all__ = ["DiffRow", "Review", "count_corrections", "list_corrections"]


@dataclass(frozen=True)
class DiffRow:
    field: str
    current: Any
    proposed: Any

    @property
    def changed(self) -> bool:
        return as_text(self.current) != as_text(self.proposed)


@dataclass(frozen=True)
class Review:
    """A suggestion beside the asset as it is now (``feature`` None if it has gone, or for a
    new place not yet accepted)."""

    correction: Correction
    feature: Feature | None

    @property
    def etag(self) -> str | None:
        return None if self.feature is None else feature_etag(self.feature)

    @property
    def rows(self) -> list[DiffRow]:
        current = self.feature.properties if self.feature is not None else {}
        return [
            DiffRow(name, current.get(name), value)
            for name, value in self.correction.changes.items()
        ]


def _where(status: str, kind: str | None, district: str | None) -> dict[str, str | None]:
    _check_choice("status", status, STATUSES)
    where: dict[str, str | None] = {"status": status}
    if kind:
        _check_choice("kind", kind, KINDS)
        where["kind"] = kind
    if district:
        where["district"] = district
    return where


def list_corrections(
    store: Store,
    catalog: LayerCatalog,
    status: str = "pending",
    *,
    limit: int = 50,
    offset: int = 0,
    kind: str | None = None,
    district: str | None = None,
    newest_first: bool | None = None,
) -> list[Review]:
    """Suggestions with a status (of one ``kind``, in one ``district`` code, if given), each
    beside its asset as it is now.

    By default pending ones come oldest first (a queue) and decided ones newest first.
    """
    rows = store.records(
        CORRECTIONS_TABLE, where=_where(status, kind, district), limit=limit, offset=offset,
        newest_first=status != "pending" if newest_first is None else newest_first,
    )
    features: dict[tuple[str, str], Feature | None] = {}  # an asset may have many suggestions
    reviews = []
    for row in rows:
        correction = Correction.from_record(row)
        key = (correction.layer, correction.feature_id)
        if key not in features:
            layer = catalog.get(correction.layer)
            features[key] = (store.get(layer, correction.feature_id)
                             if layer is not None and correction.feature_id else None)
        reviews.append(Review(correction, features[key]))
    return reviews


def count_corrections(
    store: Store, status: str, *, kind: str | None = None, district: str | None = None
) -> int:
    return store.count_records(CORRECTIONS_TABLE, where=_where(status, kind, district))


def _check_choice(field: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise ValidationFailed(
            f"{field} {value!r} is not one of {', '.join(allowed)}",
            details=[{"field": field, "problem": f"unknown {field}",
                      "fix": f"use one of {', '.join(allowed)}"}],
        )
