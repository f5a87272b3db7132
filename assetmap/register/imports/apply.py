"""Write a checked import plan: every create, change and removal, and its audit rows, in one
transaction.

Nothing is written when the plan has errors. The transaction holds the write
lock, and each feature the plan creates, changes or removes is read again
inside it: if someone added, changed or deleted it after the plan was made
(an officer's edit meanwhile), the whole import is refused with a message
naming the row, and nothing is written, so that edit is never lost. Rows the
plan leaves unchanged are not written at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from assetmap.errors import Conflict, ValidationFailed
from assetmap.layers import LayerSpec
from assetmap.provenance import merge_metadata
from assetmap.register.archive import archive_feature
from assetmap.register.audit import changed_fields, log_creates, log_write, utc_now
from assetmap.register.imports.gc_pause import collection_paused
from assetmap.register.imports.model import ImportPlan, ImportResult, PlannedRow
from assetmap.store.base import Feature, Store, Transaction
from assetmap.store.plain import empty_table

__all__ = ["ImportConflict", "apply_import", "apply_imports", "source_changes"]


class ImportConflict(Conflict):
    """An asset in the plan was changed by someone else before the plan was applied."""


def source_changes(
    store: Store, updates: dict[str, str], attribution: str | None
) -> dict[str, str]:
    """The metadata keys an import's ``source:<name>`` keys and attribution line would change."""
    if not updates and not attribution:
        return {}
    current = store.metadata()
    merged = merge_metadata(current, updates, attribution)
    return {
        key: value
        for key, value in zip(merged["key"], merged["value"], strict=True)
        if current.get(key) != value
    }


def _conflict(planned_where: str, layer: LayerSpec, feature_id: str, what: str) -> ImportConflict:
    return ImportConflict(
        f"{planned_where}: {layer.name} {feature_id!r} was {what} by someone else after the "
        "file was checked; nothing was written. Import the file again to see the differences."
    )


def _create_all(
    tx: Transaction, layer: LayerSpec, creates: list[PlannedRow], actor: str, when: str
) -> None:
    """Every new feature in one bulk insert, and their audit rows in another."""
    ids = [planned.feature_id for planned in creates]
    properties = [planned.properties for planned in creates]
    geometries = [planned.geometry for planned in creates]
    try:
        tx.add_many(layer, list(zip(properties, geometries, strict=True)))
    except ValidationFailed as refused:
        # The store refuses ids it holds already; looked up only then (on PostGIS a lookup
        # of 100,000 ids is 0.2 s), to name the first row someone else added meanwhile.
        present = tx.existing_ids(layer, ids)
        if not present:
            raise
        first = next(planned for planned in creates if planned.feature_id in present)
        raise ImportConflict(
            f"{first.where}: {layer.name} {first.feature_id!r} was added by "
            "someone else after the file was checked; nothing was written. "
            "Import the file again."
        ) from refused
    log_creates(tx, actor=actor, action="import", layer=layer, ids=ids, properties=properties,
                geometries=geometries, at=when)


def _update(tx: Transaction, layer: LayerSpec, planned: PlannedRow, actor: str, when: str) -> None:
    current = tx.get(layer, planned.feature_id)
    if current is None or changed_fields(current, planned.before):
        raise _conflict(planned.where, layer, planned.feature_id,
                        "deleted" if current is None else "changed")
    changes = {name: now for name, (_, now) in planned.changes.items()}
    moved = planned.geometry if planned.moved_m is not None else None
    tx.change(layer, planned.feature_id, changes or None, geometry=moved)
    after = Feature(planned.feature_id, planned.properties, planned.geometry)
    log_write(tx, actor=actor, action="import", layer=layer,
              feature_id=planned.feature_id, before=current, after=after, at=when)


def _remove(tx: Transaction, layer: LayerSpec, before: Feature, actor: str, when: str) -> None:
    current = tx.get(layer, before.id)
    if current is None:
        return  # removed already: nothing of anyone's is lost
    if changed_fields(current, before):
        raise _conflict(f"{layer.name} {before.id}", layer, before.id, "changed")
    tx.delete(layer, before.id)
    change_id = log_write(tx, actor=actor, action="import", layer=layer,
                          feature_id=before.id, before=current, after=None, at=when)
    archive_feature(tx, layer, current, actor=actor, change_id=change_id, at=when)


def _refuse_unwritable(plan: ImportPlan, actor: str) -> None:
    if not plan.ok:
        raise ValidationFailed(
            f"{plan.source}: {len(plan.errors):,} problem(s) found; nothing was written. "
            "Fix them and import again.",
            details=[problem.as_dict() for problem in plan.errors[:200]],
        )
    if not actor.strip():
        raise ValidationFailed("Say who is importing (an actor name) so the audit log can")


def _write(store: Store, tx: Transaction, plan: ImportPlan, metadata: dict[str, str],
           actor: str, when: str) -> None:
    layer = plan.layer
    if not layer.is_spatial and not store.has_layer(layer):
        tx.replace_table(layer.table, empty_table(layer))  # a store older than the layer
    # The licence line is committed with the data it covers, or not at all.
    if metadata:
        tx.set_metadata(metadata)
    if plan.creates:
        _create_all(tx, layer, plan.creates, actor, when)
    for planned in plan.updates:
        _update(tx, layer, planned, actor, when)
    for before in plan.removes:
        _remove(tx, layer, before, actor, when)


def _result(plan: ImportPlan) -> ImportResult:
    return ImportResult(plan.source, plan.layer.name, len(plan.creates), len(plan.updates),
                        len(plan.unchanged), len(plan.removes))


@collection_paused()
def apply_import(
    store: Store, plan: ImportPlan, actor: str, *, checked: str | None = None
) -> ImportResult:
    """Write ``plan`` all or nothing, every write audited as ``import`` by ``actor``.

    ``checked`` is :meth:`ImportPlan.seen` of the plan a person reviewed, when ``plan`` was
    made again from the same file to apply it (the ``/import`` page): if any feature the
    reviewed plan saw has changed since, nothing is written, so a change made meanwhile is
    neither overwritten nor applied unseen.
    """
    if checked is not None and plan.seen() != checked:
        raise ImportConflict(
            f"{plan.source}: assets in this file were changed by someone else after it was "
            "checked; nothing was written. Check the file again to see the differences."
        )
    _refuse_unwritable(plan, actor)
    metadata = source_changes(store, plan.metadata, plan.attribution)
    if plan.creates or plan.updates or plan.removes or metadata:
        with store.transaction() as tx:
            _write(store, tx, plan, metadata, actor, utc_now())
    return _result(plan)


@collection_paused()
def apply_imports(store: Store, plans: Sequence[ImportPlan], actor: str) -> list[ImportResult]:
    """Several layers' plans that refer to each other (new places, the organisations, the
    activities at them) written in one transaction, in order: all of them or none."""
    for plan in plans:
        _refuse_unwritable(plan, actor)
    metadata: dict[str, str] = {}
    for plan in plans:
        metadata.update(source_changes(store, plan.metadata, plan.attribution))
    if metadata or any(plan.creates or plan.updates or plan.removes for plan in plans):
        when = utc_now()
        with store.transaction() as tx:
            for n, plan in enumerate(plans):
                _write(store, tx, plan, metadata if n == 0 else {}, actor, when)
    return [_result(plan) for plan in plans]
