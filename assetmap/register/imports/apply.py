"""Write a checked import plan: every create and change, and its audit rows, in one transaction.

Nothing is written when the plan has errors. Each feature the plan changes is
read again inside the transaction; if someone changed it after the plan was
made, the whole import is refused and nothing is written.
"""

from __future__ import annotations

from assetmap.errors import Conflict, ValidationFailed
from assetmap.register.audit import changed_fields, log_write, utc_now
from assetmap.register.imports.model import ImportPlan, ImportResult
from assetmap.store.base import Feature, Store, Transaction

__all__ = ["ImportConflict", "apply_import", "record_source"]


class ImportConflict(Conflict):
    """An asset in the plan was changed by someone else before the plan was applied."""


def record_source(
    store: Store, tx: Transaction, updates: dict[str, str], attribution: str | None
) -> None:
    """Add ``source:<name>`` keys and an attribution line (once) to the store's metadata."""
    from assetmap.sources.importing import merge_metadata

    current = store.metadata()
    merged = merge_metadata(current, updates, attribution)
    changed = {
        key: value
        for key, value in zip(merged["key"], merged["value"], strict=True)
        if current.get(key) != value
    }
    if changed:
        tx.set_metadata(changed)


def apply_import(store: Store, plan: ImportPlan, actor: str) -> ImportResult:
    """Write ``plan`` all or nothing, every write audited as ``import`` by ``actor``."""
    if not plan.ok:
        raise ValidationFailed(
            f"{plan.source}: {len(plan.errors):,} problem(s) found; nothing was written. "
            "Fix them and import again.",
            details=[problem.as_dict() for problem in plan.errors[:200]],
        )
    if not actor.strip():
        raise ValidationFailed("Say who is importing (an actor name) so the audit log can")
    layer = plan.layer
    if plan.creates or plan.updates:
        when = utc_now()
        with store.transaction() as tx:
            # The licence line is committed with the data it covers, or not at all.
            if plan.metadata or plan.attribution:
                record_source(store, tx, plan.metadata, plan.attribution)
            for planned in plan.creates:
                if tx.get(layer, planned.feature_id) is not None:
                    raise ImportConflict(
                        f"{planned.where}: {layer.name} {planned.feature_id!r} was added by "
                        "someone else after the file was checked; nothing was written. "
                        "Import the file again."
                    )
                tx.add(layer, planned.properties, planned.geometry)
                after = Feature(planned.feature_id, planned.properties, planned.geometry)
                log_write(tx, actor=actor, action="import", layer=layer,
                          feature_id=planned.feature_id, before=None, after=after, at=when)
            for planned in plan.updates:
                current = tx.get(layer, planned.feature_id)
                if current is None or changed_fields(current, planned.before):
                    raise ImportConflict(
                        f"{planned.where}: {layer.name} {planned.feature_id!r} was changed by "
                        "someone else after the file was checked; nothing was written. "
                        "Import the file again to see the differences."
                    )
                changes = {name: now for name, (_, now) in planned.changes.items()}
                moved = planned.geometry if planned.moved_m is not None else None
                tx.change(layer, planned.feature_id, changes or None, geometry=moved)
                after = Feature(planned.feature_id, planned.properties, planned.geometry)
                log_write(tx, actor=actor, action="import", layer=layer,
                          feature_id=planned.feature_id, before=current, after=after, at=when)
    return ImportResult(plan.source, layer.name, len(plan.creates), len(plan.updates),
                        len(plan.unchanged))
