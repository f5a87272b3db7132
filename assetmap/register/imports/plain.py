"""Planning an import into a plain layer (organisations, activities): no positions to place.

The same plan and apply path as assets (:mod:`~assetmap.register.imports.plan`,
:mod:`~assetmap.register.imports.apply`): every row is checked against the layer's fields,
then against the register (:mod:`assetmap.register.activity_rules`: an activity's assets,
organisation, schedule, audience and ages; an organisation's areas), and a file with any
error writes nothing. An id repeated in the file is an error; a row without an id gets a
stable one made from what it says (the same file gives the same ids every time), and a row
whose id is stored already updates that feature, changing only the columns the file has.

Also here, for asset imports: the warning for ``opening_times`` text that is not
OpenStreetMap syntax (kept as written; old registers are not refused for it).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from assetmap.errors import ValidationFailed
from assetmap.layers import LayerCatalog
from assetmap.register.activity_rules import Known, link_problems, opening_times_warning
from assetmap.register.imports.checks import check_row_values
from assetmap.register.imports.gc_pause import collection_paused
from assetmap.register.imports.model import ImportPlan, PlannedRow, SourceTable
from assetmap.register.imports.plan import Planner, name_key
from assetmap.store.base import Store

__all__ = ["PLAIN_IMPORT_LAYERS", "plan_plain_table", "warn_unreadable_opening_times"]

PLAIN_IMPORT_LAYERS = ("organisations", "activities")
_PREFIXES = {"activities": "AC", "organisations": "O"}


def _stable_id(layer_name: str, values: dict[str, Any]) -> str | None:
    name = values.get("name")
    if not name:
        return None
    slug = "-".join(re.findall(r"[a-z0-9]+", name_key(str(name))))[:32].strip("-") or "row"
    seed = "|".join(str(values.get(k) or "") for k in ("name", "asset_ids", "schedule",
                                                        "organisation_id", "areas_served"))
    return f"{_PREFIXES[layer_name]}-{slug}-{hashlib.sha1(seed.encode()).hexdigest()[:6]}"


class PlainPlanner(Planner):
    """:class:`Planner` for a layer without geometry: ids, fields, references, no places."""

    # Ids another plan of the same write creates (an ORUK import adds places, organisations
    # and the activities naming them in one transaction): references to them are known.
    also_assets: frozenset[str] = frozenset()
    also_organisations: frozenset[str] = frozenset()

    def tidy_and_identify(self) -> None:
        id_field = self.layer.id_field
        for row in self.rows:
            values = check_row_values(self.layer, row)
            if values.get(id_field) is None:
                values[id_field] = _stable_id(self.layer.name, values)
            elif not isinstance(values[id_field], str):
                values[id_field] = str(values[id_field])
            self.values.append(values)
            self.ids.append(values.get(id_field))
        repeated = Counter(i for i in self.ids if i)
        for index, feature_id in enumerate(self.ids):
            if feature_id and repeated[feature_id] > 1:
                first = next(self.rows[i].where for i, f in enumerate(self.ids) if f == feature_id)
                self.rows[index].problems.append(self.problem(
                    index, self.layer.id_field, feature_id,
                    f"is used by more than one row (first at {first})",
                    "give each row its own id, or merge the rows"))

    def check_references(self, built: list[tuple[int, dict[str, Any]]]) -> None:
        # A row its fields refused still has its references checked, as the file gives them,
        # so one run lists every problem.
        rows = [(index, values or self.values[index]) for index, values in built]
        known = Known.for_rows(self.store, self.catalog, (values for _, values in rows),
                               also_assets=self.also_assets,
                               also_organisations=self.also_organisations)
        for index, values in rows:
            for found in link_problems(self.layer, values, known):
                self.rows[index].problems.append(self.problem(
                    index, found["field"], found["value"], found["problem"], found["fix"]))

    def classify(self, built: list[tuple[int, dict[str, Any]]]) -> ImportPlan:
        plan = self.plan
        for row in self.rows:
            plan.errors.extend(row.problems)
        for index, properties in built:
            row = self.rows[index]
            if row.problems:
                continue
            feature_id = str(properties[self.layer.id_field])
            before = self.existing.get(feature_id)
            if before is None:
                plan.creates.append(PlannedRow(row.row, row.where, feature_id, properties, None))
                continue
            changes = {name: (before.properties.get(name), value)
                       for name, value in properties.items()
                       if before.properties.get(name) != value}
            planned = PlannedRow(row.row, row.where, feature_id, properties, None, before,
                                 changes)
            (plan.updates if changes else plan.unchanged).append(planned)
        return plan


@collection_paused()
def plan_plain_table(
    store: Store, catalog: LayerCatalog, table: SourceTable, *, layer_name: str,
    also_assets: Iterable[str] = (), also_organisations: Iterable[str] = (),
) -> ImportPlan:
    """Check every row of ``table`` for ``organisations`` or ``activities``; writes nothing.

    ``also_assets`` and ``also_organisations`` are ids created in the same write (applied
    together with :func:`~assetmap.register.imports.apply.apply_imports`)."""
    if layer_name not in PLAIN_IMPORT_LAYERS:
        raise ValidationFailed(
            f"{layer_name!r} is not imported this way; use one of {', '.join(PLAIN_IMPORT_LAYERS)}"
        )
    layer = catalog[layer_name]
    planner = PlainPlanner(store, catalog, table, layer, tolerance_m=0.0)
    planner.also_assets, planner.also_organisations = (frozenset(also_assets),
                                                       frozenset(also_organisations))
    if not table.rows:
        return planner.classify([])
    planner.read_existing()
    planner.tidy_and_identify()
    built = planner.build()
    planner.check_references(built)
    return planner.classify(built)


def warn_unreadable_opening_times(
    planner: Planner, built: list[tuple[int, dict[str, Any]]]
) -> None:
    """An asset's ``opening_times`` that is not OSM syntax: a warning per row, kept as written."""
    if "opening_times" not in planner.layer.field_names:
        return
    for index, _values in built:
        given = planner.values[index].get("opening_times")
        warning = opening_times_warning(given)
        if warning is not None:
            planner.plan.warnings.append(planner.problem(
                index, "opening_times", given, warning,
                "write it as OpenStreetMap opening_hours, e.g. Mo-Fr 09:00-17:00; Sa 10:00-12:00"))
