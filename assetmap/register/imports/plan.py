"""Check every row of an import against the layer and the store, and say what applying would do.

Every row is checked fully and every problem collected, so one run of the
file gives the whole list to fix. Nothing here writes to the store.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from shapely.geometry import Point

from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.postcodes import normalise_postcode
from assetmap.register.imports.checks import check_row_values, schema_problems
from assetmap.register.imports.coordinates import (
    COUNTY_TOLERANCE_M,
    XY,
    County,
    area_codes,
    to_metric_xy,
)
from assetmap.register.imports.model import ImportPlan, PlannedRow, Problem, SourceRow, SourceTable
from assetmap.store.base import Feature, Store, plain_value

__all__ = ["DUPLICATE_DISTANCE_M", "MOVE_THRESHOLD_M", "name_key", "plan_table"]

DUPLICATE_DISTANCE_M = 50.0  # the same name this close is the same place
MOVE_THRESHOLD_M = 1.0  # closer than this is the same point (rounding of degrees)
_AREA_FIELDS = (("district_code", "districts", "code"), ("community_area_code", "community_areas",
                                                          "code"))
_POSTCODE_CHUNK = 500
_COORDINATE_FIELDS = {"longitude", "latitude", "easting", "northing", "geometry"}
# A place to compare for duplicates: (how to name it, its id, postcode, point).
Entry = tuple[str, str, str | None, XY | None]


def name_key(name: str) -> str:
    """Names compared for duplicates: "St. Mary's Church Hall" == "st marys church  hall"."""
    text = unicodedata.normalize("NFKD", name).casefold().replace("&", " and ")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['’`]", "", text)
    return " ".join(re.findall(r"\w+", text))


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


class _Planner:
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
        self.plan = ImportPlan(
            source=table.name, format=table.format, layer=layer,
            rows_read=len(table.rows) + sum(table.skipped.values()),
            errors=list(table.errors), warnings=list(table.warnings),
            skipped=table.skipped.copy(), metadata=dict(table.metadata),
            attribution=table.attribution,
        )

    # -- helpers -----------------------------------------------------------------------------
    def _reject(self, index: int, problem: Problem, skip_reason: str) -> None:
        """A problem the user must fix, or for sources they cannot edit, a counted skip."""
        if self.table.skip_unusable:
            self.dropped.add(index)
            self.plan.skipped[skip_reason] += 1
        else:
            self.rows[index].problems.append(problem)

    def _problem(self, index: int, field: str, value: Any, problem: str, fix: str) -> Problem:
        row = self.rows[index]
        return Problem(where=row.where, row=row.row, field=field, value=str(value or ""),
                       problem=problem, fix=fix)

    def _live(self) -> Iterable[int]:
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

    def place(self, county: County) -> None:
        """Every row's point in EPSG:27700, checked against the county."""
        placed = to_metric_xy(self.rows, self.table.format)
        for index in placed:
            self.located_by[index] = self.rows[index].coordinates
        kept = self._without_coordinates(placed)
        inside = county.covers(placed)
        for index, xy in placed.items():
            if index in inside:
                self.points[index] = xy
            else:
                self._outside(index, xy, county)
        self.points.update(kept)  # already in the store: not checked again

    def _without_coordinates(self, placed: dict[int, XY]) -> dict[int, XY]:
        """Place rows with no coordinates by postcode (into ``placed``); return the rows that
        keep the position they have in the store (an update giving no position)."""
        by_postcode: dict[int, str] = {}
        kept: dict[int, XY] = {}
        for index, row in enumerate(self.rows):
            if row.xy is not None or any(p.field in _COORDINATE_FIELDS for p in row.problems):
                continue
            before = self.existing.get(self.ids[index] or "")
            given = self.values[index].get("postcode")
            if before is not None and before.geometry is not None and (
                "postcode" not in self.values[index]
                or given == normalise_postcode(str(before.properties.get("postcode") or ""))
            ):
                kept[index] = (before.geometry.x, before.geometry.y)
                self.located_by[index] = "its current position"
            elif given:
                by_postcode[index] = given
            elif not any(p.field == "postcode" for p in row.problems):
                row.problems.append(self._problem(
                    index, "location", "", "has no position: no coordinates and no postcode",
                    "give longitude and latitude (or easting and northing), or a postcode",
                ))
        found = self._lookup_postcodes(set(by_postcode.values()))
        for index, postcode in by_postcode.items():
            if postcode in found:
                placed[index] = found[postcode]
                self.located_by[index] = f"postcode {postcode}"
            else:
                self.rows[index].problems.append(self._problem(
                    index, "postcode", postcode,
                    "is not in the store's postcode table, so it cannot place the asset",
                    "give longitude and latitude (or easting and northing), or check the "
                    "postcode; `assetmap import postcodes` loads the postcode table",
                ))
        return kept

    def _outside(self, index: int, xy: XY, county: County) -> None:
        """Name a point outside the county: swapped coordinates, or how far out it is."""
        row = self.rows[index]
        if row.xy is not None and row.crs is not None and county.swapped_inside(row):
            x_name, _, y_name = row.coordinates.partition("/")
            pair = f"{x_name} and {y_name}" if y_name else "the two coordinates"
            row.problems.append(self._problem(
                index, row.coordinates, f"{row.xy[0]:g}, {row.xy[1]:g}",
                "look swapped: as given they lie outside the county, swapped they lie inside it",
                f"swap {pair} ({county.typical(row.crs)} here)",
            ))
            return
        if row.xy is not None:
            field, value = row.coordinates, f"{row.xy[0]:g}, {row.xy[1]:g}"
            fix = ("check the coordinates and their CRS; only assets in the county's districts "
                   "can be imported")
        else:
            field, value = "postcode", str(self.values[index].get("postcode"))
            fix = "check the postcode, or give the asset's coordinates"
        self._reject(index, self._problem(
            index, field, value, f"lies outside the county: {county.nearest_district(xy)}", fix,
        ), "outside the county")

    def _lookup_postcodes(self, postcodes: set[str]) -> dict[str, XY]:
        layer = self.catalog.get("postcodes")
        if not postcodes or layer is None or not self.store.has_layer(layer):
            return {}
        wanted = sorted(postcodes)
        found: dict[str, XY] = {}
        for start in range(0, len(wanted), _POSTCODE_CHUNK):
            chunk = wanted[start:start + _POSTCODE_CHUNK]
            frame = self.store.read(layer, filters={"postcode": chunk}, fields=["postcode"])
            for code, point in zip(frame["postcode"], frame.geometry, strict=True):
                found[str(code)] = (point.x, point.y)
        return found

    def fill_area_codes(self) -> None:
        """Fill district and community area codes from the point when not given."""
        for field, layer_name, code_field in _AREA_FIELDS:
            layer = self.catalog.get(layer_name)
            if field not in self.layer.field_names or layer is None:
                continue
            if not self.store.has_layer(layer):
                continue
            codes = area_codes(self.points, self.store.read(layer, fields=[code_field]),
                               code_field, self.tolerance_m)
            for index in self.points:
                values = self.values[index]
                before = self.existing.get(self.ids[index] or "")
                given = values.get(field)
                found = codes.get(index)
                if given:
                    if found is not None and found != given:
                        self.plan.warnings.append(self._problem(
                            index, field, given,
                            f"differs from the {layer.title.lower()} the point lies in ({found})",
                            f"check the position, or leave {field} empty to fill it from the "
                            "point",
                        ))
                    continue
                moved = before is not None and before.geometry is not None and (
                    before.geometry.distance(Point(self.points[index])) >= MOVE_THRESHOLD_M
                )
                if before is None or field in values or moved:
                    values[field] = found

    def build(self) -> list[tuple[int, dict[str, Any]]]:
        """Complete, checked properties per row (the schema's problems go on the row)."""
        built = []
        blank = dict.fromkeys(self.layer.field_names)
        for index in self._live():
            before = self.existing.get(self.ids[index] or "")
            base = dict(before.properties) if before is not None else dict(blank)
            row = self.rows[index]
            cleaned, problems = schema_problems(self.layer, row, {**base, **self.values[index]})
            # A field already refused (bad text, unmapped value) needs no second "required".
            named = {p.field for p in row.problems}
            row.problems.extend(p for p in problems if p.field not in named)
            built.append((index, cleaned))
        return built

    def find_duplicates(self) -> None:
        self._duplicate_ids()
        self._duplicate_places()

    def _duplicate_ids(self) -> None:
        first: dict[str, int] = {}
        for index in list(self._live()):
            feature_id = self.ids[index]
            if feature_id is None:
                continue
            if feature_id in first:
                earlier = self.rows[first[feature_id]].where
                self._reject(index, self._problem(
                    index, self.layer.id_field, feature_id, f"is the same id as {earlier}",
                    "give each asset its own id, or remove the repeated row",
                ), "duplicate id")
            else:
                first[feature_id] = index

    def _duplicate_places(self) -> None:
        """Same name and postcode, or same name within 50 m: in the file, or another asset."""
        keys: dict[int, str] = {}
        for index in self._live():
            name = self.values[index].get("name")
            if name:
                keys[index] = name_key(str(name))
        wanted = set(keys.values())
        in_file = {i for i in self.ids if i}
        stored: dict[str, list[Entry]] = {}
        for feature_id, feature in self.existing.items():
            name = feature.properties.get("name")
            key = name_key(str(name)) if name else ""
            if key in wanted and feature_id not in in_file:
                point = feature.geometry
                stored.setdefault(key, []).append((
                    f"existing asset {feature_id} ({name})", feature_id,
                    feature.properties.get("postcode"),
                    (point.x, point.y) if point is not None else None,
                ))
        seen: dict[str, list[Entry]] = {}
        for index, key in keys.items():
            if index in self.dropped:
                continue
            mine: Entry = ("", "", self.values[index].get("postcode"), self.points.get(index))
            for where, others in (("store", stored.get(key, [])), ("file", seen.get(key, []))):
                match = next((o for o in others if _same_place(mine, o)), None)
                if match is None:
                    continue
                if where == "store":
                    fix = (f"to update that asset give this row its id, {match[1]}; otherwise "
                           "correct the name or postcode")
                else:
                    fix = "remove the repeated row, or correct the name or postcode"
                self._reject(index, self._problem(
                    index, "name", self.values[index].get("name"),
                    f"is the same place as {match[0]} (same name and "
                    f"{'postcode' if _same_postcode(mine, match) else 'within 50 m'})",
                    fix,
                ), "already in the register" if where == "store" else "duplicate in the file")
                break
            else:
                seen.setdefault(key, []).append(
                    (self.rows[index].where, self.ids[index] or "", mine[2], mine[3])
                )

    def classify(self, built: list[tuple[int, dict[str, Any]]]) -> ImportPlan:
        plan = self.plan
        for index, row in enumerate(self.rows):
            if index not in self.dropped:
                plan.errors.extend(row.problems)
        for index, properties in built:
            if index in self.dropped or self.rows[index].problems:
                continue
            row, feature_id = self.rows[index], str(properties[self.layer.id_field])
            point = Point(self.points[index])
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


def _same_postcode(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return bool(a[2]) and a[2] == b[2]


def _same_place(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    if _same_postcode(a, b):
        return True
    if a[3] is None or b[3] is None:
        return False
    return math.dist(a[3], b[3]) <= DUPLICATE_DISTANCE_M


def plan_table(
    store: Store,
    catalog: LayerCatalog,
    table: SourceTable,
    *,
    layer_name: str = "assets",
    tolerance_m: float = COUNTY_TOLERANCE_M,
) -> ImportPlan:
    """Check every row of ``table`` and return what importing it would do."""
    layer = catalog[layer_name]
    planner = _Planner(store, catalog, table, layer, tolerance_m)
    if not table.rows:
        return planner.classify([])
    county = County.from_store(store, catalog, tolerance_m)
    planner.read_existing()
    planner.tidy_and_identify()
    planner.place(county)
    planner.fill_area_codes()
    planner.find_duplicates()
    built = planner.build()
    return planner.classify(built)
