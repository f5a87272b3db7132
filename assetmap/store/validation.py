"""Check and convert feature properties against a layer's declared fields.

Shared by every backend so that a bad write fails the same way everywhere,
before anything touches the store.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

import numpy as np

import shapely
from shapely.geometry.base import BaseGeometry

from assetmap.errors import StoreError, ValidationFailed
from assetmap.field_rules import CheckedText, FieldProblem, check_text
from assetmap.layers import FieldFormat, FieldSpec, LayerSpec
from assetmap.store.base import RECORD_TABLES

__all__ = [
    "PANDAS_DTYPES",
    "CheckedProperties",
    "checked_properties",
    "clean_geometries",
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
    "trusted_or_cleaned",
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


@dataclass(frozen=True)
class _FieldCheck:
    """One field's check, worked out once per layer (a 100,000-row import checks millions)."""

    spec: FieldSpec
    format: FieldFormat | None  # the field rule text follows; None for numbers, dates, flags
    convert: Callable[[Any], Any] | None
    choices: tuple[str, ...] | None  # coded values (not facilities: its rule checks each)


_CHECKS: dict[int, tuple[LayerSpec, tuple[_FieldCheck, ...]]] = {}


def _checks(layer: LayerSpec) -> tuple[_FieldCheck, ...]:
    known = _CHECKS.get(id(layer))
    if known is not None and known[0] is layer:
        return known[1]
    checks = tuple(
        _FieldCheck(spec, layer.format_of(spec), _CONVERTERS.get(spec.type),
                    None if spec.format == "facilities" else spec.choices)
        for spec in layer.fields
    )
    if len(_CHECKS) > 256:  # layers are loaded once; tests load many catalogues
        _CHECKS.clear()
    _CHECKS[id(layer)] = (layer, checks)  # the layer is held, so its id is not reused
    return checks


def _clean_value(check: _FieldCheck, value: Any) -> Any:
    """The stored form: converted to the type, text checked by its format's field rule."""
    if _is_blank(value):
        return None
    if check.format is not None:
        if (type(value) is CheckedText and value.spec is check.spec
                and value.rule == check.format):
            value = str(value)  # checked by this rule already (an import's first pass)
        else:
            value = check_text(check.spec, _to_str(value), check.format)
            if value is None:
                return None
    if check.convert is not None:
        value = check.convert(value)
    if check.choices is not None and value not in check.choices:
        raise ValueError(f"must be one of {', '.join(check.choices)}")
    return value


class CheckedProperties(dict[str, Any]):
    """A feature's properties as :func:`checked_properties` made them for ``layer``: read-only,
    so a store's own check (:func:`clean_properties`) takes them as they are instead of
    checking every value again (a bulk import's plan checks 100,000 rows once). A dict, so
    copying and encoding it run at C speed; every way of changing it is refused."""

    __slots__ = ("layer",)

    def __init__(self, layer: LayerSpec, values: dict[str, Any]) -> None:
        super().__init__(values)
        self.layer = layer

    def _read_only(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("checked properties are read-only; copy them with dict() to change")

    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only


def checked_properties(layer: LayerSpec, properties: Mapping[str, Any]) -> CheckedProperties:
    """:func:`clean_properties`, the answer marked as checked for ``layer``."""
    return CheckedProperties(layer, clean_properties(layer, properties))


def trusted_or_cleaned(layer: LayerSpec, properties: Mapping[str, Any]) -> Mapping[str, Any]:
    """Properties checked for ``layer`` as they are (read-only, not copied); others cleaned."""
    if type(properties) is CheckedProperties and properties.layer is layer:
        return properties
    return clean_properties(layer, properties)


def _unknown_fields(layer: LayerSpec, properties: Mapping[str, Any]) -> list[dict[str, Any]]:
    known = layer.field_by_name
    return [{"field": name, "problem": "not a field of this layer",
             "fix": f"use one of {', '.join(layer.field_names)}"}
            for name in properties if name not in known]


def clean_properties(
    layer: LayerSpec, properties: Mapping[str, Any], *, partial: bool = False
) -> dict[str, Any]:
    """Validated, converted properties; every problem is reported at once.

    ``partial`` is for changes: only the given fields are checked, but a
    required field may still not be emptied.
    """
    if type(properties) is CheckedProperties and properties.layer is layer and not partial:
        return dict(properties)  # checked whole for this layer, and read-only since
    problems = _unknown_fields(layer, properties)
    cleaned: dict[str, Any] = {}
    for check in _checks(layer):
        spec = check.spec
        if spec.name not in properties:
            if spec.required and not partial:
                problems.append({"field": spec.name, "problem": "required", "fix": "give a value"})
            continue
        value = properties[spec.name]
        # The two usual cases of a bulk import's 1.5 million values, decided without a call:
        # nothing given, and text this field's rule has passed already (see _clean_value).
        if value is None:
            if spec.required:
                problems.append({"field": spec.name, "problem": "required", "fix": "give a value"})
            cleaned[spec.name] = None
            continue
        if (type(value) is CheckedText and check.convert is _to_str and value.spec is spec
                and value.rule == check.format
                and (check.choices is None or value in check.choices)):
            cleaned[spec.name] = str(value)
            continue
        try:
            value = _clean_value(check, value)
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


# shapely's type ids (shapely.GeometryType) of the types above.
_TYPE_IDS = {"Point": 0, "LineString": 1, "Polygon": 3, "MultiPoint": 4, "MultiLineString": 5,
             "MultiPolygon": 6}


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


def clean_geometries(
    layer: LayerSpec, geometries: Sequence[BaseGeometry | None]
) -> list[BaseGeometry | None]:
    """:func:`clean_geometry` of each, its usual case (valid points) checked in one pass."""
    if layer.is_spatial and geometries and all(g is not None for g in geometries):
        array = np.asarray(geometries, dtype=object)
        types = set(shapely.get_type_id(array).tolist())
        if (types <= {_TYPE_IDS[name] for name in _COMPATIBLE[layer.geometry_type]}
                and not shapely.is_empty(array).any() and shapely.is_valid(array).all()):
            return list(geometries)
    return [clean_geometry(layer, geometry) for geometry in geometries]  # says what is wrong


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
