"""Check every row of an import against the layer and the store, and say what applying would do.

Every row is checked fully and every problem collected, so one run of the
file gives the whole list to fix. Nothing here writes to the store. The steps
are here; where rows go is :mod:`~assetmap.register.imports.positions`, which
rows repeat another is :mod:`~assetmap.register.imports.duplicates`.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable
from typing import Any

import numpy as np

import shapely

from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.register.imports.checks import check_row_values, schema_problems
from assetmap.register.imports.coordinates import COUNTY_TOLERANCE_M, XY, County
from assetmap.register.imports.duplicates import DUPLICATE_DISTANCE_M, find_duplicates, name_key
from assetmap.register.imports.gc_pause import collection_paused
from assetmap.register.imports.model import ImportPlan, PlannedRow, Problem, SourceRow, SourceTable
from assetmap.register.imports.positions import (
    MOVE_THRESHOLD_M,
    fill_area_codes,
    place_rows,
    warn_far_postcodes,
)
from assetmap.store.base import Feature, Store, plain_value

__all__ = ["DUPLICATE_DISTANCE_M", "MOVE_THRESHOLD_M", "Planner", "name_key", "plan_table"]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return bool(a == b)


def _generated_id(values: dict[str, Any], row: SourceRow) -> str | None:
    """A stable id for a new row without one: the same file gives the same ids every time."""
    name = values.get("name")
    if not name:
        return None
    slug = "-".join(re.findall(r"[a-z0-9]+", name_key(str(name))))[:40].strip("-") or "asset"
    seed = f"{name}|{values.get('postcode')}|{row.xy}"
    return f"{slug}-{hashlib.sha1(seed.encode()).hexdigest()[:6]}"


class Planner:
    """One import being planned: the rows as read, what the checks found, the plan so far."""

    def __init__(self, store: Store, catalog: LayerCatalog, table: SourceTable,
                 layer: LayerSpec, tolerance_m: float) -> None:
        self.store, self.catalog, self.table, self.layer = store, catalog, table, layer
        self.tolerance_m = tolerance_m
        self.rows = table.rows
        self.values: list[dict[str, Any]] = []
        self.ids: list[str | None] = []
        self.points: dict[int, XY] = {}
        self.located_by: dict[int, str] = {}
        self.dropped: set[int] = set()
        self.existing: dict[str, Feature] = {}
        self.cache: dict[str, object] = {}  # what several steps work out alike, made once
        self.plan = ImportPlan(
            source=table.name, format=table.format, layer=layer,
            rows_read=len(table.rows) + sum(table.skipped.values()),
            errors=list(table.errors), warnings=list(table.warnings),
            skipped=table.skipped.copy(), metadata=dict(table.metadata),
            attribution=table.attribution,
        )

    # -- helpers -----------------------------------------------------------------------------
    def reject(self, index: int, problem: Problem, skip_reason: str) -> None:
        """A problem the user must fix, or for sources they cannot edit, a counted skip."""
        if self.table.skip_unusable:
            self.dropped.add(index)
            self.plan.skipped[skip_reason] += 1
        else:
            self.rows[index].problems.append(problem)

    def problem(self, index: int, field: str, value: Any, problem: str, fix: str) -> Problem:
        row = self.rows[index]
        return Problem(where=row.where, row=row.row, field=field, value=str(value or ""),
                       problem=problem, fix=fix)

    def live(self) -> Iterable[int]:
        return (i for i in range(len(self.rows)) if i not in self.dropped)

    # -- steps -------------------------------------------------------------------------------
    def read_existing(self) -> None:
        frame = self.store.read(self.layer) if self.store.has_layer(self.layer) else None
        if frame is None:
            return
        names = list(self.layer.field_names)
        columns = [frame[name].to_numpy(dtype=object) for name in names]
        for position, geometry in enumerate(frame.geometry.to_numpy()):
            properties = {n: plain_value(c[position]) for n, c in zip(names, columns, strict=True)}
            feature_id = str(properties[self.layer.id_field])
            self.existing[feature_id] = Feature(feature_id, properties, geometry)

    def find_removals(self) -> None:
        """Stored features of a source that replaces its own (``lib-…``) the file no longer has."""
        prefix = self.table.replaces
        if not prefix:
            return
        listed = {i for i in self.ids if i}
        self.plan.removes = [feature for feature_id, feature in self.existing.items()
                             if feature_id.startswith(prefix) and feature_id not in listed]

    def tidy_and_identify(self) -> None:
        id_field = self.layer.id_field
        for row in self.rows:
            values = check_row_values(self.layer, row)
            if self.table.skip_unusable:
                self._leave_out_bad_optional_values(row, values)
            if values.get(id_field) is None:
                generated = _generated_id(values, row)
                if generated is not None:
                    values[id_field] = generated
            elif not isinstance(values[id_field], str):
                values[id_field] = str(values[id_field])
            self.values.append(values)
            self.ids.append(values.get(id_field))

    def _leave_out_bad_optional_values(self, row: SourceRow, values: dict[str, Any]) -> None:
        """For sources the user cannot edit: import the asset without a malformed optional
        value (a postcode "LE7", a website "hall.example") and say so, rather than refuse it."""
        required = {f.name for f in self.layer.fields if f.required}
        for problem in [p for p in row.problems if p.field in self.layer.field_names
                        and p.field not in required]:
            row.problems.remove(problem)
            values.pop(problem.field, None)
            self.plan.warnings.append(Problem(
                where=problem.where, row=problem.row, field=problem.field, value=problem.value,
                problem=f"{problem.problem}; left out",
                fix=f"correct it at the source ({problem.fix})",
            ))

    def build(self) -> list[tuple[int, dict[str, Any]]]:
        """Complete, checked properties per row (the schema's problems go on the row)."""
        built: list[tuple[int, dict[str, Any]]] = []
        blank = dict.fromkeys(self.layer.field_names)
        for index in self.live():
            before = self.existing.get(self.ids[index] or "")
            base = dict(before.properties) if before is not None else dict(blank)
            row = self.rows[index]
            cleaned, problems = schema_problems(self.layer, row, {**base, **self.values[index]})
            # A field already refused (bad text, unmapped value) needs no second "required".
            named = {p.field for p in row.problems}
            row.problems.extend(p for p in problems if p.field not in named)
            built.append((index, cleaned))
        return built

    def classify(self, built: list[tuple[int, dict[str, Any]]]) -> ImportPlan:
        plan = self.plan
        for index, row in enumerate(self.rows):
            if index not in self.dropped:
                plan.errors.extend(row.problems)
        kept = [(i, p) for i, p in built if i not in self.dropped and not self.rows[i].problems]
        # One call makes every point: Point() one at a time is most of this step's time.
        xy = np.array([self.points[index] for index, _ in kept], dtype=float).reshape(-1, 2)
        points = shapely.points(xy)
        for (index, properties), point in zip(kept, points, strict=True):
            row, feature_id = self.rows[index], str(properties[self.layer.id_field])
            before = self.existing.get(feature_id)
            if before is None:
                plan.creates.append(PlannedRow(
                    row.row, row.where, feature_id, properties, point,
                    located_by=self.located_by.get(index, ""),
                ))
                continue
            if (self.table.keeps_at_risk and before.properties.get("status") == "at_risk"
                    and properties.get("status") == "open"):
                properties = {**properties, "status": "at_risk"}  # the council's judgement
            changes = {
                name: (before.properties.get(name), value) for name, value in properties.items()
                if not _same(before.properties.get(name), value)
            }
            moved = before.geometry.distance(point) if before.geometry is not None else math.inf
            moved_m = moved if moved >= MOVE_THRESHOLD_M else None
            planned = PlannedRow(
                row.row, row.where, feature_id, properties,
                point if moved_m is not None else before.geometry, before, changes, moved_m,
                self.located_by.get(index, ""),
            )
            (plan.updates if changes or moved_m is not None else plan.unchanged).append(planned)
        return plan


@collection_paused()
def plan_table(
    store: Store,
    catalog: LayerCatalog,
    table: SourceTable,
    *,
    layer_name: str = "assets",
    tolerance_m: float = COUNTY_TOLERANCE_M,
) -> ImportPlan:
    """Check every row of ``table`` and return what importing it would do."""
    from assetmap.register.imports.plain import warn_unreadable_opening_times  # imports us

    layer = catalog[layer_name]
    planner = Planner(store, catalog, table, layer, tolerance_m)
    if not table.rows:
        return planner.classify([])
    county = County.from_store(store, catalog, tolerance_m) if table.within_county else None
    planner.read_existing()
    planner.tidy_and_identify()
    planner.find_removals()
    place_rows(planner, county)
    warn_far_postcodes(planner)
    fill_area_codes(planner)
    find_duplicates(planner)
    built = planner.build()
    warn_unreadable_opening_times(planner, built)
    return planner.classify(built)
