"""Community facilities from OpenStreetMap, as asset rows for the common import checks.

Each tagged element becomes a row with id ``osm-<kind>-<number>``, a
category from the mapping file's rules, status ``closed`` when its tags say
so (``disused:*``, ``disused=yes``, ``opening_hours=closed``) and otherwise
``open``, an address from ``addr:*`` and the contact fields the mapping names.
Elements no rule matches, excluded ones and those without a name are skipped
and counted: OpenStreetMap is not the user's to fix, so rows outside the
county or already in the register are skipped and counted too. Applying the
import adds "© OpenStreetMap contributors" (ODbL) to the store's attribution.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from assetmap.layers import LayerSpec
from assetmap.register.imports.model import Problem, SourceRow, SourceTable
from assetmap.register.imports.readers.osm.elements import (
    NO_POSITION_FIX,
    OsmElement,
    read_osm_elements,
)
from assetmap.register.imports.readers.osm.mapping import OsmMapping, load_osm_mapping, tags_match

__all__ = ["OsmMapping", "address_from_tags", "load_osm_mapping", "read_osm"]


def address_from_tags(tags: dict[str, str]) -> str | None:
    """``addr:*`` as one line: "Village Hall, 2 Main Street, Anstey, Leicester"."""
    if tags.get("addr:full"):
        return tags["addr:full"].strip()
    street = " ".join(p for p in (tags.get("addr:housenumber"), tags.get("addr:street")) if p)
    parts = [tags.get("addr:housename"), street or None,
             tags.get("addr:place") or tags.get("addr:suburb"),
             tags.get("addr:village") or tags.get("addr:hamlet"),
             tags.get("addr:city") or tags.get("addr:town")]
    seen: list[str] = []
    for part in parts:
        if part and part.strip() and part.strip() not in seen:
            seen.append(part.strip())
    return ", ".join(seen) or None


def _tidy(field: str, value: str) -> str:
    """OSM habits: ``website=www.hall.example`` (no scheme), ``email=mailto:…``, and several
    values separated by ";" (the first is kept)."""
    value = value.split(";")[0].strip() if field in ("website", "email", "phone") else value
    if field == "website" and "://" not in value and re.match(r"^[\w.-]+\.[a-z]{2,}", value):
        return f"https://{value}"
    if field == "email":
        return value.removeprefix("mailto:")
    return value


def _lifecycle(tags: dict[str, str], prefixes: list[str]) -> dict[str, str] | None:
    """The tags as they were before a ``disused:`` (etc.) prefix, when there is one."""
    view = dict(tags)
    found = False
    for key, value in tags.items():
        prefix, sep, rest = key.partition(":")
        if sep and prefix in prefixes and rest and rest not in tags:
            view[rest] = value
            found = True
    return view if found else None


def _row(element: OsmElement, mapping: OsmMapping, category: str, closed: bool,
         crs: str) -> SourceRow:
    tags = element.tags
    values: dict[str, object] = {
        "id": f"osm-{element.kind}-{element.osm_id}",
        "name": tags.get("name"),
        "category": category,
        "status": "closed" if closed else "open",
    }
    address = address_from_tags(tags)
    if address:
        values["address"] = address
    for field, keys in mapping.fields.items():
        found = next((tags[k] for k in keys if tags.get(k)), None)
        if found is not None:
            values[field] = _tidy(field, found)
    facilities = [name for name, options in mapping.accessibility.items()
                  if any(tags_match(wanted, tags) for wanted in options)]
    if facilities:
        values["accessibility"] = ";".join(facilities)
    row = SourceRow(row=element.index, where=element.where, values=values,
                    coordinates="longitude/latitude")
    if element.xy is not None:
        row.xy, row.crs = element.xy, crs
    else:
        row.problems.append(Problem(
            where=element.where, row=element.index, field="geometry", value="",
            problem=element.problem or "has no position", fix=NO_POSITION_FIX,
        ))
    return row


def read_osm(
    data: bytes, filename: str, layer: LayerSpec, mapping: OsmMapping, *, max_rows: int
) -> SourceTable:
    """OpenStreetMap elements the mapping recognises, as asset rows (nothing checked yet)."""
    name = PurePath(filename).name or "upload"
    found = read_osm_elements(data, name, max_rows=max_rows)
    table = SourceTable(name=name, format="OpenStreetMap", rows=[], warnings=list(found.notes),
                        skip_unusable=True, keeps_at_risk=True)
    for element in found.elements:
        if element.kind == "feature":  # no OSM id: cannot be kept apart on a re-import
            table.errors.append(Problem(
                where=element.where, row=element.index, field="id", value="",
                problem=element.problem or "has no OpenStreetMap id",
                fix="export from overpass-turbo or Overpass, which give each feature its id",
            ))
            continue
        if (reason := mapping.excluded(element.tags)) is not None:
            table.skipped[f"excluded by the mapping ({reason})"] += 1
            continue
        tags, closed = element.tags, False
        category = mapping.category(tags)
        if category is None:
            before = _lifecycle(tags, mapping.status.lifecycle_prefixes)
            if before is not None and mapping.excluded(before) is None:
                category, closed = mapping.category(before), True
        if category is None:
            table.skipped["matched no rule of the mapping"] += 1
            continue
        if not tags.get("name", "").strip():
            table.skipped["no name"] += 1
            continue
        closed = closed or any(tags_match(wanted, tags) for wanted in mapping.status.closed_when)
        table.rows.append(_row(element, mapping, category, closed, found.crs))
    table.metadata[f"source:{mapping.source}"] = " | ".join(
        (f"{mapping.source} features from {name} ({found.format})",
         found.timestamp or "not stated", mapping.attribution)
    )
    table.attribution = mapping.attribution
    return table
