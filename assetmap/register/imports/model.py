"""What an import reads (rows), what it would do (a plan) and what went wrong (problems).

Readers turn a file into a :class:`SourceTable`; planning checks every row
against the layer and the store and returns an :class:`ImportPlan`; applying
writes the plan in one transaction. Row positions are the ones the user sees
in the file: the CSV line number (the header is line 1), the GeoJSON feature
index, the GeoPackage fid, or the OpenStreetMap element.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from assetmap.layers import LayerSpec
from assetmap.register.editing import feature_etag
from assetmap.store.base import Feature

__all__ = ["ImportPlan", "ImportResult", "PlannedRow", "Problem", "SourceRow", "SourceTable"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a row (or with the whole file when ``row`` is None), and the fix."""

    where: str  # "line 5", "features[3]", "fid 12", "way 123", or the file name
    field: str
    value: str
    problem: str
    fix: str
    row: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row, "where": self.where, "field": self.field, "value": self.value,
            "problem": self.problem, "fix": self.fix,
        }

    def line(self) -> str:
        value = f" = {self.value!r}" if self.value else ""
        field_name = f"{self.field}{value}: " if self.field else ""
        return f"{self.where}: {field_name}{self.problem} — fix: {self.fix}"


@dataclass
class SourceRow:
    """One row as read: layer field values (raw) and coordinates in the file's CRS."""

    row: int
    where: str
    values: dict[str, Any]
    xy: tuple[float, float] | None = None
    crs: str | None = None  # CRS of ``xy``, e.g. "EPSG:4326" (always x=longitude/easting first)
    coordinates: str = "coordinates"  # how messages name them: "longitude/latitude", "geometry"
    problems: list[Problem] = field(default_factory=list)


@dataclass
class SourceTable:
    """A file read into rows, before any check against the layer or the store."""

    name: str
    format: str
    # Each row's ``values`` holds only the fields the file gives (an empty cell is given
    # as empty); an update changes only those.
    rows: list[SourceRow]
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    # Store metadata to record when the import is applied (``source:<name>`` keys), and a
    # licence line to add to the store's ``attribution`` (shown on every page).
    metadata: dict[str, str] = field(default_factory=dict)
    attribution: str | None = None
    # For sources the user cannot edit (OpenStreetMap): rows outside the county or
    # duplicating another are skipped and counted instead of failing the import.
    skip_unusable: bool = False
    # For sources that know whether a place exists but not whether it is at risk (OSM): an
    # officer's "at_risk" is kept when the file says only "open".
    keeps_at_risk: bool = False
    # False when the reader has already chosen its rows by where they lie (libraries of
    # neighbouring authorities near the county are kept): no check against the county.
    within_county: bool = True
    # For a source that owns the ids starting with this prefix (``lib-``): a stored feature
    # with such an id that the file no longer lists is removed (the file replaces them).
    replaces: str | None = None


@dataclass(frozen=True)
class PlannedRow:
    """One feature the import creates, changes or leaves as it is."""

    row: int
    where: str
    feature_id: str
    properties: dict[str, Any]  # every field, checked and converted (read-only when planned)
    # A Point in EPSG:27700; None for a plain layer (organisations, activities). Typed Any so
    # readers of asset plans need not check for None.
    geometry: Any
    before: Feature | None = None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field -> (was, now)
    moved_m: float | None = None  # how far the point moves, when it does
    located_by: str = ""


@dataclass
class ImportPlan:
    """What applying the import would do; nothing is written while ``errors`` is not empty."""

    source: str
    format: str
    layer: LayerSpec
    rows_read: int
    creates: list[PlannedRow] = field(default_factory=list)
    updates: list[PlannedRow] = field(default_factory=list)
    unchanged: list[PlannedRow] = field(default_factory=list)
    removes: list[Feature] = field(default_factory=list)  # only when the table ``replaces``
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    metadata: dict[str, str] = field(default_factory=dict)
    attribution: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def seen(self) -> str:
        """A digest of the register as this plan saw it: each feature a row creates (absent),
        changes or leaves as it is, and each it removes. Equal for two plans of the same file
        only if none of those features changed in between (:func:`apply_import` ``checked``)."""
        digest = hashlib.sha256()
        for planned in (*self.creates, *self.updates, *self.unchanged):
            version = feature_etag(planned.before) if planned.before is not None else "-"
            digest.update(f"{planned.feature_id}\0{version}\n".encode())
        for feature in self.removes:
            digest.update(f"{feature.id}\0{feature_etag(feature)}\n".encode())
        return digest.hexdigest()[:32]

    def summary(self) -> str:
        """``746 rows: 3 new, 12 changed, 731 unchanged, 0 errors`` (+ skipped, warnings)."""
        rows_with_errors = len({p.where for p in self.errors})
        text = (
            f"{self.rows_read:,} rows: {len(self.creates):,} new, {len(self.updates):,} changed, "
            f"{len(self.unchanged):,} unchanged, "
            + (f"{len(self.removes):,} removed, " if self.removes else "")
            + f"{len(self.errors):,} "
            f"error{'s' if len(self.errors) != 1 else ''}"
        )
        if self.errors:
            text += f" in {rows_with_errors:,} row{'s' if rows_with_errors != 1 else ''}"
        if self.skipped:
            text += f", {sum(self.skipped.values()):,} skipped"
        if self.warnings:
            text += f", {len(self.warnings):,} warning{'s' if len(self.warnings) != 1 else ''}"
        return text


@dataclass(frozen=True)
class ImportResult:
    """What an applied import wrote."""

    source: str
    layer: str
    created: int
    changed: int
    unchanged: int
    removed: int = 0

    def summary(self) -> str:
        removed = f", {self.removed:,} removed" if self.removed else ""
        return (
            f"imported {self.source} into {self.layer}: {self.created:,} created, "
            f"{self.changed:,} changed, {self.unchanged:,} unchanged{removed}"
        )
