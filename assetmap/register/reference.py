"""``assetmap import KIND FILE`` for reference open data, the writing half.

:func:`assetmap.sources.importing.prepare_import` reads the file (boundaries,
statistics) into the reference tables it replaces and the metadata.
Reference layers (districts, community areas, small areas, postcodes) are
nobody's edits: they are **replaced whole**. The register's layers (the assets,
whose writes are audited) are **never replaced whole, only written feature by
feature**: when new community areas move an asset into another area, that asset
alone is re-placed (:func:`assetmap.register.placing.codes_of_points`, the rule
officers' edits use) through the same audited, version-checked write as every
other register change (action ``import``).

:func:`plan_reference_import` reads the register and works out which assets
change; :func:`apply_reference_import` then, in one transaction holding the
write lock, checks that each of them is still as it was read, writes them with
their audit rows, and replaces the reference tables and the metadata: all of it
or, if anyone changed one of those assets meanwhile, nothing
(:class:`ImportConflict` naming it), so an officer's edit is never lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from assetmap.errors import NotFound, PreconditionFailed, ValidationFailed
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.register.audit import utc_now
from assetmap.register.editing import change_in_transaction, feature_etag
from assetmap.register.imports.apply import ImportConflict
from assetmap.register.placing import codes_of_points
from assetmap.sources.importing import ImportOptions, PreparedImport, prepare_import
from assetmap.store.base import Store, feature_from_row, plain_value

__all__ = [
    "REGISTER_LAYERS",
    "ReferencePlan",
    "apply_reference_import",
    "import_reference",
    "plan_reference_import",
    "replace_reference_table",
]

# The register's layers: written feature by feature, audited; never replaced whole.
REGISTER_LAYERS = ("assets",)
# A reference table an import replaces -> the field of register features it places. (An
# import of districts leaves the assets' district codes as they are, as it always has.)
_PLACES = {"community_areas": "community_area_code"}


@dataclass(frozen=True)
class _Replacing:
    """One register feature whose codes change: as it was read, and the new values."""

    layer: LayerSpec
    feature_id: str
    etag: str
    changes: dict[str, Any]


@dataclass
class ReferencePlan:
    """A prepared import and the register features it re-places; nothing written yet."""

    prepared: PreparedImport
    replacing: list[_Replacing] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)


def _same(old: Any, new: Any) -> bool:
    old, new = plain_value(old), plain_value(new)
    return (None if old is None else str(old)) == (None if new is None else str(new))


def _plan_layer(store: Store, catalog: LayerCatalog, layer: LayerSpec,
                prepared: PreparedImport, plan: ReferencePlan) -> None:
    places = {area: name for area, name in _PLACES.items()
              if area in prepared.tables and name in layer.field_names}
    if not places or not store.has_layer(layer):
        return
    features = store.read(layer)
    if features.empty:
        return
    new_values: dict[str, Any] = {}
    for area, name in places.items():
        codes = codes_of_points(features.geometry, prepared.tables[area], catalog[area].id_field)
        new_values[name] = codes
        plan.details.append(f"{layer.name}: {int(codes.notna().sum()):,} of {len(features):,} "
                            "now carry the code of the community area they lie in")
    plan.written.append(layer.name)
    differs = {name: [not _same(old, new) for old, new in zip(features[name], codes, strict=True)]
               for name, codes in new_values.items()}
    for position in range(len(features)):
        changes = {name: new_values[name].iloc[position] for name in new_values
                   if differs[name][position]}
        if changes:  # only these rows become Features: most assets keep their area
            before = feature_from_row(layer, features.iloc[position])
            plan.replacing.append(_Replacing(layer, before.id, feature_etag(before), changes))


def plan_reference_import(store: Store, catalog: LayerCatalog,
                          prepared: PreparedImport) -> ReferencePlan:
    """Which register features ``prepared`` re-places, as read now (writes nothing)."""
    whole = [name for name in prepared.tables if name in REGISTER_LAYERS]
    if whole:
        raise ValueError(f"a reference import may not replace register layers whole: {whole}")
    plan = ReferencePlan(prepared)
    for name in REGISTER_LAYERS:
        layer = catalog.get(name)
        if layer is not None:
            _plan_layer(store, catalog, layer, prepared, plan)
    return plan


def _conflict(path: Path, replacing: _Replacing, what: str) -> ImportConflict:
    return ImportConflict(
        f"{path}: {replacing.layer.name} {replacing.feature_id!r} was {what} by someone else "
        "after this import read it; nothing was written. Import the file again."
    )


def apply_reference_import(store: Store, plan: ReferencePlan, *, actor: str) -> list[str]:
    """Write ``plan`` all or nothing (see the module docstring); returns the lines to show."""
    if not actor.strip():
        raise ValidationFailed("Say who is importing (an actor name) so the audit log can")
    prepared = plan.prepared
    when = utc_now()
    with store.transaction() as tx:
        # The register first: a feature changed meanwhile stops it before any table is copied.
        for replacing in plan.replacing:
            try:
                change_in_transaction(
                    tx, replacing.layer, replacing.feature_id, if_match=replacing.etag,
                    actor=actor, properties=replacing.changes, action="import", at=when,
                )
            except PreconditionFailed as exc:
                raise _conflict(prepared.path, replacing, "changed") from exc
            except NotFound as exc:
                raise _conflict(prepared.path, replacing, "deleted") from exc
        for name, frame in prepared.tables.items():
            tx.replace_table(name, frame)
    details = list(plan.details)
    if plan.replacing:
        counts: dict[str, int] = {}
        for replacing in plan.replacing:
            counts[replacing.layer.name] = counts.get(replacing.layer.name, 0) + 1
        details += [f"{name}: {n:,} changed area, each audited as import by {actor}"
                    for name, n in counts.items()]
    return prepared.lines(details, plan.written)


def import_reference(store: Store, catalog: LayerCatalog, kind: str, path: Path,
                     options: ImportOptions | None = None, *, actor: str) -> list[str]:
    """Import one reference file into ``store``; returns the lines to show. All or nothing."""
    prepared = prepare_import(store, catalog, kind, path, options)
    return apply_reference_import(store, plan_reference_import(store, catalog, prepared),
                                  actor=actor)


def replace_reference_table(store: Store, name: str, frame: pd.DataFrame) -> None:
    """Replace one reference table that no register feature takes codes from (postcodes), whole.

    Register layers are never replaced whole: they change feature by feature, audited.
    """
    if name in REGISTER_LAYERS:
        raise ValidationFailed(f"{name} is kept by the register and is changed feature by "
                               "feature, never replaced whole")
    store.replace_tables({name: frame})
