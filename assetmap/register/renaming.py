"""Renaming features stored with ids no route can reach (``../../etc/passwd``, ``a/b``).

Before issue 15 the officer API stored any id; such a feature cannot be opened,
edited or deleted through a web address. An admin lists them
(:func:`unsafe_ids`) and renames each (:func:`rename_feature`): in one
transaction the feature is re-added under the new id (every field checked as
any write is, with corrections the admin gives), the old one removed, pending
suggestions moved to the new id, and the rename audited under both ids.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assetmap.errors import Conflict, NotFound, ValidationFailed
from assetmap.field_rules import FieldProblem, check_text
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.register.audit import log_write
from assetmap.register.corrections import CORRECTIONS_TABLE
from assetmap.store.base import Feature, Store, Transaction

__all__ = ["UnsafeId", "rename_feature", "suggested_id", "unsafe_ids"]


@dataclass(frozen=True)
class UnsafeId:
    """A stored id the id rule refuses, why, and a safe one to rename it to."""

    layer: str
    feature_id: str
    problem: str
    suggestion: str


def suggested_id(old: str, taken: set[str]) -> str:
    """A safe id that still reads like the old one, with a short hash of it to stay unique:
    ``../../etc/passwd`` -> ``etc-passwd-2b4c1e``."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", old)
    slug = re.sub(r"\.{2,}", ".", slug).strip("-._")[:50] or "renamed"
    digest = hashlib.sha1(old.encode("utf-8", "surrogatepass")).hexdigest()
    for length in range(6, 41):
        candidate = f"{slug}-{digest[:length]}"
        if candidate not in taken:
            return candidate
    raise Conflict(f"No free id for {old!r}; rename it by hand")  # 40 hex digits all taken


def _id_problem(layer: LayerSpec, feature_id: str) -> str | None:
    spec = layer.field(layer.id_field)
    format_ = layer.format_of(spec)
    if format_ is None:
        return None
    try:
        checked = check_text(spec, feature_id, format_)
    except FieldProblem as exc:
        return exc.problem
    return None if checked == feature_id else f"is stored untidy (as {feature_id!r})"


def unsafe_ids(store: Store, catalog: LayerCatalog) -> list[UnsafeId]:
    """Every stored feature whose id the layer's id rule refuses, layer by layer."""
    found: list[UnsafeId] = []
    for layer in catalog.values():
        if not store.has_layer(layer):
            continue
        ids = [str(v) for v in store.read(layer, fields=[layer.id_field])[layer.id_field]]
        taken = set(ids)
        for feature_id in ids:
            problem = _id_problem(layer, feature_id)
            if problem is not None:
                suggestion = suggested_id(feature_id, taken)
                taken.add(suggestion)
                found.append(UnsafeId(layer.name, feature_id, problem, suggestion))
    return found


def _move_suggestions(transaction: Transaction, store: Store, layer: LayerSpec, old: str,
                      new: str) -> None:
    for record in store.records(CORRECTIONS_TABLE, where={"layer": layer.name,
                                                           "feature_id": old}):
        transaction.update_record(CORRECTIONS_TABLE, int(record["id"]), {"feature_id": new})


def rename_feature(
    store: Store, layer: LayerSpec, old: str, new: str, *, actor: str,
    changes: Mapping[str, Any] | None = None,
) -> Feature:
    """Store the feature ``old`` under the id ``new`` (checked by the id rule), with
    ``changes`` (e.g. a name that the text rules refuse) applied; audited as ``rename``."""
    spec = layer.field(layer.id_field)
    try:
        checked = check_text(spec, new, layer.format_of(spec))
    except FieldProblem as exc:
        raise ValidationFailed(f"The new id {new!r} {exc.problem}; {exc.fix}",
                               details=[{"field": layer.id_field, "problem": exc.problem,
                                         "fix": exc.fix}]) from None
    new = checked or ""
    with store.transaction() as transaction:
        before = transaction.get(layer, old)
        if before is None:
            raise NotFound(f"No {layer.name} feature with id {old!r}")
        if transaction.get(layer, new) is not None:
            raise Conflict(f"{layer.name} already has a feature {new!r}; choose another id")
        properties = {**before.properties, **(changes or {}), layer.id_field: new}
        transaction.delete(layer, old)
        transaction.add(layer, properties, before.geometry)
        after = transaction.get(layer, new)
        assert after is not None  # just added in this transaction
        for feature_id in (old, new):  # found from either id's history
            log_write(transaction, actor=actor, action="rename", layer=layer,
                      feature_id=feature_id, before=before, after=after)
        _move_suggestions(transaction, store, layer, old, new)
    return after
