"""Check and convert feature properties against a layer's declared fields.

Shared by every backend so that a bad write fails the same way everywhere,
before anything touches the store.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from shapely.geometry.base import BaseGeometry

from assetmap.errors import StoreError, ValidationFailed
from assetmap.field_rules import FieldProblem, check_text
from assetmap.layers import FieldSpec, LayerSpec
from assetmap.store.base import RECORD_TABLES

__all__ = [
    "PANDAS_DTYPES",
    "clean_geometry",
    "clean_properties",
    "convert_filters",
    "convert_value",
    "record_columns",
    "record_key",
    "record_value_names",
    "require_columns",
    "require_spatial",
    "require_value_columns",
    "wanted_fields",
]

# Declared field type -> the pandas dtype every backend reads it as (others are objects).
PANDAS_DTYPES = {"int": "Int64", "float": "float64", "bool": "boolean"}

_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


def _to_int(value: Any) -> int:
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValueError("expected a whole number")
    return int(str(value).strip()) if isinstance(value, str) else int(value)


def _to_float(value: Any) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("expected a finite number")
    return number


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("expected true or false")


def _to_date(value: Any) -> str:
    return (value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))).isoformat()


def _to_datetime(value: Any) -> str:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment.isoformat()


def _to_str(value: Any) -> str:
    if type(value) is str:
        return value
    if isinstance(value, Mapping | list | tuple | set | bytes):
        raise ValueError("is a list or object, not a single value")
    return str(value)


# Declared field type -> how a value becomes it (each raises ValueError saying what is expected).
_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "str": _to_str, "int": _to_int, "float": _to_float, "bool": _to_bool,
    "date": _to_date, "datetime": _to_datetime,
}


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def convert_value(spec: FieldSpec, value: Any) -> Any:
    """Convert ``value`` to the field's type; raise ``ValueError`` saying what is expected."""
    if _is_blank(value):
        return None
    convert = _CONVERTERS.get(spec.type)
    if convert is not None:
        value = convert(value)
    if spec.choices is not None and spec.format != "facilities" and value not in spec.choices:
        raise ValueError(f"must be one of {', '.join(spec.choices)}")
    return value


def convert_filters(layer: LayerSpec, filters: Mapping[str, Any] | None) -> dict[str, list[Any]]:
    """Attribute filters checked against the layer and converted to field types.

    Unknown fields and unconvertible values raise ``ValidationFailed``; a field
    given no values is dropped (it filters nothing).
    """
    converted: dict[str, list[Any]] = {}
    for name, values in (filters or {}).items():
        if name not in layer.field_names:
            raise ValidationFailed(
                f"Cannot filter {layer.name} by {name!r}: not a field of this layer"
            )
        spec = layer.field(name)
        try:
            typed = [convert_value(spec, v) for v in values]
        except ValueError as exc:
            raise ValidationFailed(f"Filter {name!r}: {exc}") from exc
        if typed:
            converted[name] = typed
    return converted


def _clean_value(layer: LayerSpec, spec: FieldSpec, value: Any) -> Any:
    """The stored form: converted to the type, text checked by its format's field rule."""
    format_ = layer.format_of(spec)
    if format_ is not None and not _is_blank(value):
        value = check_text(spec, _to_str(value), format_)
    return convert_value(spec, value)


def clean_properties(
    layer: LayerSpec, properties: Mapping[str, Any], *, partial: bool = False
) -> dict[str, Any]:
    """Validated, converted properties; every problem is reported at once.

    ``partial`` is for changes: only the given fields are checked, but a
    required field may still not be emptied.
    """
    problems: list[dict[str, Any]] = []
    cleaned: dict[str, Any] = {}
    known = layer.field_names  # a property that builds the tuple: once, not per value
    for name in properties:
        if name not in known:
            problems.append(
                {
                    "field": name,
                    "problem": "not a field of this layer",
                    "fix": f"use one of {', '.join(known)}",
                }
            )
    for spec in layer.fields:
        if spec.name not in properties:
            if spec.required and not partial:
                problems.append({"field": spec.name, "problem": "required", "fix": "give a value"})
            continue
        try:
            value = _clean_value(layer, spec, properties[spec.name])
        except FieldProblem as exc:
            problems.append({"field": spec.name, "problem": exc.problem, "fix": exc.fix})
            continue
        except (TypeError, ValueError) as exc:
            problems.append(
                {"field": spec.name, "problem": str(exc), "fix": f"give a valid {spec.type}"}
            )
            continue
        if value is None and spec.required:
            problems.append({"field": spec.name, "problem": "required", "fix": "give a value"})
        cleaned[spec.name] = value
    if problems:
        summary = "; ".join(f"{p['field']}: {p['problem']}" for p in problems)
        raise ValidationFailed(f"Invalid {layer.name} feature: {summary}", details=problems)
    return cleaned


_COMPATIBLE = {
    "Point": {"Point"},
    "MultiPoint": {"Point", "MultiPoint"},
    "LineString": {"LineString"},
    "MultiLineString": {"LineString", "MultiLineString"},
    "Polygon": {"Polygon"},
    "MultiPolygon": {"Polygon", "MultiPolygon"},
}


def require_spatial(layer: LayerSpec, what: str) -> None:
    """Refuse a spatial question (``bbox``) of a plain layer, naming the layer."""
    if not layer.is_spatial:
        raise ValidationFailed(
            f"Layer {layer.name!r} has no positions (geometry_type: none), so {what} cannot "
            "select from it; filter it by its fields instead"
        )


def clean_geometry(layer: LayerSpec, geometry: BaseGeometry | None) -> BaseGeometry | None:
    """Refuse geometries of the wrong type, empty or invalid ones; none for a plain layer."""
    if not layer.is_spatial:
        if geometry is not None and not geometry.is_empty:
            raise ValidationFailed(
                f"Invalid {layer.name} feature: this layer has no positions "
                "(geometry_type: none); send no geometry"
            )
        return None
    if geometry is None or geometry.is_empty:
        raise ValidationFailed(f"Invalid {layer.name} feature: geometry is missing or empty")
    if geometry.geom_type not in _COMPATIBLE[layer.geometry_type]:
        raise ValidationFailed(
            f"Invalid {layer.name} feature: geometry is a {geometry.geom_type}; "
            f"this layer holds {layer.geometry_type} geometries"
        )
    if not geometry.is_valid:
        raise ValidationFailed(
            f"Invalid {layer.name} feature: geometry is not valid (self-intersecting or "
            "badly formed); repair it (e.g. shapely.make_valid) and try again"
        )
    return geometry


def wanted_fields(layer: LayerSpec, fields: Sequence[str] | None) -> list[str]:
    """The columns a read returns: the named fields (and the id), in declared order."""
    if fields is None:
        return list(layer.field_names)
    unknown = [f for f in fields if f not in layer.field_names]
    if unknown:
        raise ValidationFailed(f"{layer.name} has no field(s) {', '.join(unknown)}")
    return [f for f in layer.field_names if f in fields or f == layer.id_field]


def record_columns(table: str) -> tuple[str, ...]:
    if table not in RECORD_TABLES:
        raise StoreError(f"{table!r} is not a record table ({', '.join(RECORD_TABLES)})")
    return RECORD_TABLES[table]


def record_key(table: str, key: str) -> str:
    """``key`` if it is a column of the record table (to count or group by)."""
    if key not in record_columns(table):
        raise StoreError(f"Record table {table!r} has no column {key!r}")
    return key


def record_value_names(table: str, values: Mapping[str, str | None]) -> list[str]:
    """The columns ``values`` sets, in table order; unknown names are refused."""
    columns = record_columns(table)
    unknown = sorted(set(values) - set(columns))
    if unknown:
        raise StoreError(f"Record table {table!r} has no column(s) {', '.join(unknown)}")
    return [c for c in columns if c in values]


def require_columns(layer: LayerSpec, existing: Collection[str], location: str, fix: str) -> None:
    """Refuse to read a table that lacks a column the layer declares required."""
    missing = [f.name for f in layer.fields if f.required and f.name not in existing]
    if missing:
        raise StoreError(
            f"Table {layer.table!r} in {location} lacks required column(s) "
            f"{', '.join(missing)} declared in layers/{layer.name}.yaml; {fix} "
            "or correct the declaration."
        )


def require_value_columns(
    layer: LayerSpec, values: Mapping[str, Any], existing: Collection[str], fix: str
) -> dict[str, Any]:
    """Refuse to write a value into a column the table does not have.

    Returns the values to write: an empty optional field that the table has no column
    for yet (a field declared after the table was made, such as ``capacity``) is left
    out rather than written into a column that is not there.
    """
    missing = [name for name, v in values.items() if v is not None and name not in existing]
    if missing:
        raise StoreError(
            f"Table {layer.table!r} has no column(s) {', '.join(missing)}; {fix} "
            f"so its table matches layers/{layer.name}.yaml"
        )
    return {name: value for name, value in values.items() if name in existing}
