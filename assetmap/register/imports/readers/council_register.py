"""A council's own asset register (CSV) imported through a column-mapping YAML file.

The mapping says which column (or columns, joined with ", ") fills each
field, how source values translate (``values``: ``Community Run: community_library``;
``""`` matches an empty cell and ``"*"`` any other value), fields with one
value for every row (``constants``), how ids are made (``id``), where the
coordinates are and in which CRS (``coordinates``; without them a row is
placed at its postcode), and which rows to keep (``keep_rows``). Values
are matched ignoring case and surrounding spaces. See
``layers/mappings/register_example.yaml``.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from pyproj import CRS
from pyproj.exceptions import CRSError as PyprojCRSError

from assetmap.layers import LayerSpec
from assetmap.register.imports.model import Problem, SourceRow, SourceTable
from assetmap.register.imports.readers.csv import parse_number, read_csv_records
from assetmap.register.imports.readers.mapping_files import load_mapping_file, mapping_error
from assetmap.register.imports.readers.text import column_key

__all__ = ["RegisterMapping", "load_register_mapping", "read_register"]

ANY_OTHER = "*"


def _as_text(value: Any) -> Any:
    """YAML turns ``Yes`` into True and ``2018`` into 2018; registers mean the text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    if value is None:
        return ""
    return value


def _keys_as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {_as_text(k): _as_text(v) for k, v in value.items()}
    return value


Text = Annotated[str, BeforeValidator(_as_text)]
ValueMap = Annotated[dict[str, Text], BeforeValidator(_keys_as_text)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceSpec(_Strict):
    name: str = Field(min_length=1, description="what the register is, e.g. 'LCC asset register'")
    vintage: Text = ""
    attribution: str = ""


class IdSpec(_Strict):
    # Values joined with "-", characters ids cannot hold (spaces, /, ?) becoming "-".
    columns: list[str] = Field(min_length=1)
    prefix: str = ""


class CoordinatesSpec(_Strict):
    x: str = Field(description="column of longitude or easting")
    y: str = Field(description="column of latitude or northing")
    crs: str = Field(description="e.g. EPSG:27700 or EPSG:4326 (x = longitude)")

    @model_validator(mode="after")
    def _known_crs(self) -> CoordinatesSpec:
        try:
            CRS.from_user_input(self.crs)
        except PyprojCRSError as exc:
            raise ValueError(f"crs {self.crs!r} is not a CRS; use e.g. EPSG:27700") from exc
        return self


class RegisterMapping(_Strict):
    source: SourceSpec | None = None
    id: IdSpec | None = None
    fields: dict[str, str | list[str]] = Field(default_factory=dict)
    values: dict[str, ValueMap] = Field(default_factory=dict)
    constants: dict[str, Text] = Field(default_factory=dict)
    coordinates: CoordinatesSpec | None = None
    keep_rows: dict[str, list[Text]] = Field(default_factory=dict)

    @field_validator("fields", "values", "constants")
    @classmethod
    def _fields_of_layer(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        layer: LayerSpec = (info.context or {})["layer"]
        for field, mapped in value.items():
            if field not in layer.field_names:
                raise ValueError(f"{field!r} is not a field of {layer.name}; use one of "
                                 f"{', '.join(layer.field_names)}")
            choices = layer.field(field).choices
            if info.field_name == "fields" or choices is None:
                continue
            for target in (mapped.values() if isinstance(mapped, dict) else [mapped]):
                if target and target not in choices:
                    raise ValueError(f"{field}: {target!r} is not one of {', '.join(choices)}")
        return value

    @model_validator(mode="after")
    def _fills_required(self, info: ValidationInfo) -> RegisterMapping:
        layer: LayerSpec = (info.context or {})["layer"]
        given = {*self.fields, *self.constants, *([layer.id_field] if self.id else [])}
        missing = [f.name for f in layer.fields
                   if f.required and f.name not in given and f.name != layer.id_field]
        if missing:
            raise ValueError(f"nothing fills the required field(s) {', '.join(missing)}: "
                             "name a column under fields or give a value under constants")
        return self


def load_register_mapping(path: Path, layer: LayerSpec) -> RegisterMapping:
    return load_mapping_file(path, RegisterMapping, {"layer": layer})


class _Columns:
    """Columns named in the mapping, found in the CSV header (ignoring case and spaces)."""

    def __init__(self, header: list[str], csv_name: str, mapping_path: Path) -> None:
        self.positions = {column_key(c): i for i, c in enumerate(header)}
        self.header, self.csv_name, self.mapping_path = header, csv_name, mapping_path

    def find(self, column: str, key: str) -> int:
        index = self.positions.get(column_key(column))
        if index is None:
            raise mapping_error(
                self.mapping_path, key, f"names column {column!r}, which {self.csv_name} lacks",
                f"use one of its columns: {', '.join(map(repr, self.header))}",
            )
        return index


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _id_part(text: str) -> str:
    """``Braunstone Town`` → ``Braunstone-Town``: what ids may hold, case kept."""
    return "-".join(re.findall(r"[A-Za-z0-9._:]+", text))


def _translate(row: SourceRow, field: str, column: str, cell: str, table: dict[str, str],
               mapping_path: Path) -> str | None:
    lookup = {key.strip().casefold(): value for key, value in table.items()}
    found = lookup.get(cell.casefold())
    if found is None and cell:
        found = lookup.get(ANY_OTHER)
    if found is None:
        if not cell:
            return None
        row.problems.append(Problem(
            where=row.where, row=row.row, field=field, value=cell,
            problem=f"(column {column!r}) has no {field} in the mapping's values.{field}",
            fix=f"add {cell!r}: <value> under values.{field} in {mapping_path.name}",
        ))
        return None
    return found or None


def read_register(
    data: bytes, filename: str, layer: LayerSpec, mapping: RegisterMapping, mapping_path: Path,
    *, max_rows: int,
) -> SourceTable:
    """Rows of a register CSV turned into asset rows by ``mapping`` (nothing checked yet)."""
    name = PurePath(filename).name or "upload"
    header, records, warnings = read_csv_records(data, name, max_rows=max_rows)
    columns = _Columns(header, name, mapping_path)
    field_columns = {
        field: [(c, columns.find(c, f"fields.{field}")) for c in
                ([spec] if isinstance(spec, str) else spec)]
        for field, spec in mapping.fields.items()
    }
    keep = {columns.find(c, f"keep_rows.{c}"): {v.strip().casefold() for v in allowed}
            for c, allowed in mapping.keep_rows.items()}
    id_columns = ([columns.find(c, "id.columns") for c in mapping.id.columns]
                  if mapping.id else [])
    xy = ((columns.find(mapping.coordinates.x, "coordinates.x"),
           columns.find(mapping.coordinates.y, "coordinates.y"))
          if mapping.coordinates else None)
    table = SourceTable(name=name, format="register", rows=[], warnings=warnings)
    for line, cells in records:
        kept = [c for c, allowed in keep.items() if _cell(cells, c).casefold() not in allowed]
        if kept:
            table.skipped[f"not kept by keep_rows ({header[kept[0]]})"] += 1
            continue
        row = SourceRow(row=line, where=f"line {line}", values=dict(mapping.constants))
        for field, sources in field_columns.items():
            text = ", ".join(p for p in (_cell(cells, i) for _, i in sources) if p)
            if field in mapping.values:
                row.values[field] = _translate(row, field, sources[0][0], text,
                                               mapping.values[field], mapping_path)
            else:
                row.values[field] = text
        if mapping.id is not None:
            parts = [_cell(cells, i) for i in id_columns]
            if any(parts):
                made = "-".join(_id_part(p) for p in parts if p)
                row.values[layer.id_field] = f"{mapping.id.prefix}{made}"
        if xy is not None and mapping.coordinates is not None:
            _coordinates(row, cells, xy, mapping.coordinates)
        table.rows.append(row)
    if mapping.source is not None:
        table.metadata[f"source:{mapping.source.name}"] = " | ".join(
            (name, mapping.source.vintage or "not stated",
             mapping.source.attribution or "not stated")
        )
        table.attribution = mapping.source.attribution or None
    return table


def _coordinates(row: SourceRow, cells: list[str], xy: tuple[int, int],
                 spec: CoordinatesSpec) -> None:
    x_text, y_text = _cell(cells, xy[0]), _cell(cells, xy[1])
    label = f"{spec.x}/{spec.y}"
    if not x_text and not y_text:
        return  # placed at its postcode
    x, y = parse_number(x_text), parse_number(y_text)
    if x is None or y is None:
        row.problems.append(Problem(
            where=row.where, row=row.row, field=label, value=f"{x_text}, {y_text}",
            problem="are not two numbers",
            fix=f"give both {spec.x} and {spec.y} as numbers, or leave both empty",
        ))
        return
    row.xy, row.crs, row.coordinates = (x, y), spec.crs, label
