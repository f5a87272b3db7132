"""The officers' queue page (``/corrections``) as a view: filters as choices (kind, status,
district), sorting, paging for hundreds of suggestions, and for each suggestion who sent it,
what it would change (as fields the officer may amend before accepting) and, for a new
place, where it is and what it may duplicate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from assetmap.api.place_sketch import sketch_place
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.register.correction_lists import Review, count_corrections, list_corrections
from assetmap.register.correction_values import as_text
from assetmap.register.place_duplicates import duplicates_of
from assetmap.register.suggestion_queue import KIND_LABELS, STATUSES, Correction
from assetmap.store.base import Store

__all__ = [
    "PAGE_SIZE",
    "QueueQuery",
    "district_choices",
    "edits_from_form",
    "queue_context",
    "read_query",
]

PAGE_SIZE = 20
RECENT = 10
SORTS = {"oldest": "Oldest first", "newest": "Newest first"}
STATUS_LABELS = {"pending": "Waiting for a decision", "accepted": "Accepted",
                 "rejected": "Rejected"}
# A new place's officer may fill in these too before accepting.
_NEW_PLACE_EXTRAS = ("address", "opening_times")
_NOT_AMENDED = ("status",)  # a reported closure is accepted or rejected as it is
EDIT_PREFIX = "edit-"


@dataclass(frozen=True)
class QueueQuery:
    """The page's filters, sort and page; anything not offered reads as the default."""

    status: str = "pending"
    kind: str = ""
    district: str = ""
    sort: str = ""
    page: int = 1

    @property
    def newest_first(self) -> bool:
        return (self.sort or ("oldest" if self.status == "pending" else "newest")) == "newest"

    def link(self, **changes: Any) -> str:
        query = replace(self, **changes)
        pairs = {"status": query.status, "kind": query.kind, "district": query.district,
                 "sort": query.sort, "page": str(query.page) if query.page > 1 else ""}
        text = urlencode({k: v for k, v in pairs.items() if v and not (
            k == "status" and v == "pending")})
        return "/corrections" + (f"?{text}" if text else "")


def district_choices(store: Store, catalog: LayerCatalog) -> list[tuple[str, str]]:
    layer = catalog.get("districts")
    if layer is None or not store.has_layer(layer):
        return []
    frame = store.read(layer, fields=["name"])
    pairs = zip(frame[layer.id_field].astype(str), frame["name"].astype(str), strict=True)
    return sorted(pairs, key=lambda pair: pair[1])


def read_query(params: Mapping[str, str], districts: list[tuple[str, str]]) -> QueueQuery:
    def chosen(name: str, allowed: Any, default: str = "") -> str:
        value = params.get(name, "")
        return value if value in allowed else default

    page = params.get("page", "1")
    return QueueQuery(
        status=chosen("status", STATUSES, "pending"),
        kind=chosen("kind", KIND_LABELS),
        district=chosen("district", dict(districts)),
        sort=chosen("sort", SORTS),
        page=max(1, min(int(page), 10_000)) if page.isdigit() else 1,
    )


def _amend_fields(layer: LayerSpec, correction: Correction,
                  typed: Mapping[str, str]) -> list[dict[str, Any]]:
    """The proposed values as inputs the officer may change before accepting (what they typed,
    when the page comes back with a problem)."""
    names = [n for n in correction.changes if n not in _NOT_AMENDED and n in layer.field_names]
    if correction.kind == "new_place":
        names += [n for n in _NEW_PLACE_EXTRAS if n in layer.field_names and n not in names]
    views = []
    for name in names:
        spec = layer.field(name)
        value = typed.get(f"{EDIT_PREFIX}{correction.id}-{name}",
                          as_text(correction.changes.get(name)) or "")
        choices = ([(c, layer.label(name, c)) for c in spec.choices]
                   if spec.choices and spec.format != "facilities" else [])
        views.append({"name": name, "id": f"edit-{correction.id}-{name}",
                      "label": name.replace("_", " ").capitalize(), "value": value,
                      "choices": choices})
    return views


def _view(store: Store, catalog: LayerCatalog, review: Review,
          district_names: Mapping[str, str], typed: Mapping[str, str]) -> dict[str, Any]:
    correction = review.correction
    layer = catalog.get(correction.layer)
    point = correction.point
    return {
        "review": review,
        "kind": correction.kind_label,
        "sender": (f"{correction.author} (steward)" if correction.author
                   else "a resident"),
        "name": (review.feature.properties.get("name") if review.feature is not None
                 else correction.changes.get("name") or correction.feature_id),
        "sketch": (sketch_place(store, catalog, point,
                                district_names.get(correction.district or ""))
                   if point is not None else None),
        "duplicates": duplicates_of(store, layer, correction) if layer is not None else [],
        "amend": _amend_fields(layer, correction, typed) if layer is not None else [],
        "can_accept": review.feature is not None or correction.kind == "new_place",
        "category": (layer.label("category", str(correction.changes.get("category")))
                     if layer is not None and correction.changes.get("category") else ""),
    }


def queue_context(store: Store, catalog: LayerCatalog, query: QueueQuery,
                  typed: Mapping[str, str] | None = None) -> dict[str, Any]:
    """What ``corrections.html`` shows for one page of the queue; ``typed`` are the amended
    values a refused decision sent (``edit-<id>-<field>``), shown again."""
    districts = district_choices(store, catalog)
    total = count_corrections(store, query.status, kind=query.kind or None,
                              district=query.district or None)
    last_page = max(1, -(-total // PAGE_SIZE))
    query = replace(query, page=min(query.page, last_page))
    reviews = list_corrections(
        store, catalog, query.status, kind=query.kind or None, district=query.district or None,
        limit=PAGE_SIZE, offset=(query.page - 1) * PAGE_SIZE, newest_first=query.newest_first,
    )
    first = (query.page - 1) * PAGE_SIZE + 1 if total else 0
    return {
        "recent": _recent(store, catalog) if query.status == "pending" else [],
        "query": query,
        "views": [_view(store, catalog, review, dict(districts), typed or {})
                  for review in reviews],
        "total": total,
        "shown": (first, first + len(reviews) - 1 if reviews else 0),
        "previous": query.link(page=query.page - 1) if query.page > 1 else "",
        "next": query.link(page=query.page + 1) if query.page < last_page else "",
        "page_links": [(n, query.link(page=n)) for n in range(
            max(1, query.page - 2), min(last_page, query.page + 2) + 1)],
        "last_page": last_page,
        "statuses": list(STATUS_LABELS.items()),
        "kinds": list(KIND_LABELS.items()),
        "districts": districts,
        "district_names": dict(districts),
        "sorts": list(SORTS.items()),
    }


def _recent(store: Store, catalog: LayerCatalog) -> list[Review]:
    """The latest decisions, newest first, beside the waiting ones."""
    decided = [*list_corrections(store, catalog, "accepted", limit=RECENT),
               *list_corrections(store, catalog, "rejected", limit=RECENT)]
    decided.sort(key=lambda r: (r.correction.decided_at or "", r.correction.id), reverse=True)
    return decided[:RECENT]


def edits_from_form(form: Mapping[str, Any], correction: Correction) -> dict[str, Any]:
    """The values the officer changed from the proposed ones (empty clears a value)."""
    edits: dict[str, Any] = {}
    prefix = f"{EDIT_PREFIX}{correction.id}-"
    for key in form:
        if not str(key).startswith(prefix):
            continue
        name = str(key)[len(prefix):]
        value = str(form.get(key) or "").strip() or None
        if as_text(value) != as_text(correction.changes.get(name)):
            edits[name] = value
    return edits
