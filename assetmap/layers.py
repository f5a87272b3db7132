"""Layer declarations: one YAML file per layer in ``layers/``, validated by a model.

A layer file says what a table holds (fields and types), how it is drawn
(style, popup, tooltip), how it can be filtered and, for asset layers, which
categories count as community hubs. ``${VAR}`` and ``${VAR:-default}`` in a
file are filled from the environment before it is read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assetmap.errors import ConfigError, NotFound

__all__ = [
    "FieldFormat",
    "FieldSpec",
    "LayerCatalog",
    "LayerSpec",
    "StyleSpec",
    "load_catalog",
    "load_layer_file",
]

FieldType = Literal["str", "int", "float", "bool", "date", "datetime"]
# "none": a non-spatial layer (organisations, activities), kept as a plain table: a
# GeoPackage "attributes" table, a PostgreSQL table without a geometry column.
GeometryType = Literal[
    "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "none"
]
# What a text field holds, checked by ``assetmap.field_rules`` on every write: ``text`` is
# one line (the default), ``multiline`` allows line breaks and tabs, ``facilities`` is a
# semicolon list of the field's ``choices``, ``opening_hours`` an OpenStreetMap opening_hours
# schedule (read by opening-hours-py). A new format adds its rule there.
FieldFormat = Literal["text", "multiline", "id", "email", "url", "postcode", "phone", "facilities",
                      "opening_hours"]
_IDENTIFIER = r"^[a-z][a-z0-9_]*$"
_HEX_COLOUR = r"^#[0-9a-fA-F]{6}$"
_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Strict):
    name: str = Field(pattern=_IDENTIFIER)
    type: FieldType = "str"
    required: bool = False
    choices: tuple[str, ...] | None = None
    description: str = ""
    format: FieldFormat | None = None  # str fields only; None: ``text`` (``id`` for the id)
    max_length: int | None = Field(default=None, ge=1, le=1_000_000)

    @model_validator(mode="after")
    def _format_is_for_text(self) -> FieldSpec:
        if self.type != "str" and (self.format is not None or self.max_length is not None):
            raise ValueError(f"format and max_length apply to str fields; {self.name!r} is "
                             f"{self.type}")
        return self


class StyleSpec(_Strict):
    color: str = Field(default="#3388ff", pattern=_HEX_COLOUR)
    weight: float = Field(default=2, ge=0, le=20)
    fill_opacity: float = Field(default=0.2, ge=0, le=1)
    radius: float = Field(default=6, gt=0, le=40)
    by: str | None = None  # field whose value picks the colour
    colors: dict[str, str] = Field(default_factory=dict)
    cluster: bool = False

    @model_validator(mode="after")
    def _colours_are_hex(self) -> StyleSpec:
        for value, colour in self.colors.items():
            if not re.match(_HEX_COLOUR, colour):
                raise ValueError(f"colour for {value!r} must look like #1f78b4, not {colour!r}")
        return self


class LayerSpec(_Strict):
    name: str = Field(pattern=_IDENTIFIER)
    title: str = Field(min_length=1)
    description: str = ""
    geometry_type: GeometryType
    table: str = Field(pattern=_IDENTIFIER)
    id_field: str
    fields: tuple[FieldSpec, ...] = Field(min_length=1)
    hub_categories: tuple[str, ...] = ()
    style: StyleSpec = Field(default_factory=StyleSpec)
    labels: dict[str, dict[str, str]] = Field(default_factory=dict)
    popup: tuple[str, ...] = ()
    tooltip: str | None = None
    filters: tuple[str, ...] = ()
    # Text fields residents can search by word (full-text, stemmed); the first weighs most.
    search: tuple[str, ...] = ()
    # Semicolon-list fields a search can be narrowed to (``within``), e.g. asset_ids.
    search_within: tuple[str, ...] = ()
    show: bool = True
    on_map: bool = True

    @model_validator(mode="after")
    def _references_are_fields(self) -> LayerSpec:
        names = [f.name for f in self.fields]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"fields are declared twice: {', '.join(duplicates)}")
        known = set(names)

        def check(where: str, field: str | None) -> None:
            if field is not None and field not in known:
                raise ValueError(
                    f"{where} names {field!r}, which is not a declared field "
                    f"(declared: {', '.join(names)})"
                )

        check("id_field", self.id_field)
        if not self.is_spatial and (self.on_map or self.style.cluster):
            raise ValueError(
                "a layer with geometry_type: none has no positions to draw; set on_map: false "
                "(and leave style.cluster unset)"
            )
        check("tooltip", self.tooltip)
        check("style.by", self.style.by)
        listed = {"popup": self.popup, "filters": self.filters, "search": self.search,
                  "search_within": self.search_within, "labels": tuple(self.labels)}
        for where, fields in listed.items():
            for field in fields:
                check(where, field)
        if self.style.by and self.style.colors:
            self._check_values_allowed("style.colors", self.style.by, self.style.colors)
        for field, labels in self.labels.items():
            self._check_values_allowed(f"labels.{field}", field, labels)
        if self.hub_categories:
            self._check_values_allowed("hub_categories", "category", self.hub_categories)
        return self

    def _check_values_allowed(self, where: str, field: str, values: Any) -> None:
        spec = self.field(field) if field in self.field_names else None
        if spec is None:
            raise ValueError(f"{where} needs a field named {field!r}")
        if spec.choices is None:
            return
        unknown = [v for v in values if v not in spec.choices]
        if unknown:
            raise ValueError(
                f"{where} uses {', '.join(map(repr, unknown))}, not among the choices of "
                f"{field!r} ({', '.join(spec.choices)})"
            )

    @cached_property  # asked for per value in every check: a 100,000-row import asks millions
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @cached_property  # as field_names: asked for per value by every check
    def field_by_name(self) -> dict[str, FieldSpec]:
        return {spec.name: spec for spec in self.fields}

    def field(self, name: str) -> FieldSpec:
        return self.field_by_name[name]

    @cached_property
    def format_by_name(self) -> dict[str, FieldFormat | None]:
        """Each field's :meth:`format_of`, worked out once."""
        return {spec.name: self.format_of(spec) for spec in self.fields}

    def format_of(self, spec: FieldSpec) -> FieldFormat | None:
        """The rule a field's values follow: its declared format; ``id`` for the id field,
        ``text`` for other str fields; ``None`` for numbers, dates and flags."""
        if spec.type != "str":
            return None
        if spec.format is not None:
            return spec.format
        return "id" if spec.name == self.id_field else "text"

    def label(self, field: str, value: str) -> str:
        """Human label for a coded value, falling back to the value itself."""
        return self.labels.get(field, {}).get(value, value)

    @property
    def is_spatial(self) -> bool:
        """False for plain tables (``geometry_type: none``): no geometry, no map, no bbox."""
        return self.geometry_type != "none"

    @property
    def is_polygonal(self) -> bool:
        return self.geometry_type in ("Polygon", "MultiPolygon")


def _fill_environment(text: str, source: Path) -> str:
    def substitute(match: re.Match[str]) -> str:
        variable, default = match.group(1), match.group(2)
        value = os.environ.get(variable, default)
        if value is None:
            raise ConfigError(
                f"{source}: ${{{variable}}} is not set. Set the environment variable "
                f"{variable} or give a default as ${{{variable}:-value}}."
            )
        return value

    return _ENV_REFERENCE.sub(substitute, text)


def _location(loc: tuple[int | str, ...], raw: Mapping[str, Any]) -> str:
    """``('fields', 3, 'type')`` -> ``fields[3] (category).type``."""
    parts: list[str] = []
    node: Any = raw
    for step in loc:
        if isinstance(step, int):
            parts[-1] += f"[{step}]"
            try:
                node = node[step]
                if isinstance(node, Mapping) and "name" in node:
                    parts[-1] += f" ({node['name']})"
            except (IndexError, KeyError, TypeError):
                node = None
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, Mapping) else None
    return ".".join(parts) or "(file)"


def _fix_for(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    field = str(error["loc"][-1]) if error["loc"] else "it"
    if kind == "missing":
        return f"add the `{field}` key"
    if kind == "extra_forbidden":
        return f"remove `{field}` or correct its spelling (it is not a known key)"
    if kind == "string_pattern_mismatch":
        return "use lower-case letters, digits and underscores, starting with a letter"
    if kind == "literal_error":
        return "use one of the listed values"
    return "correct the value"


def describe_validation_error(
    error: ValidationError, source: Path, raw: Mapping[str, Any]
) -> ConfigError:
    """One line per problem: file, where in it, what is wrong, and the fix."""
    lines = []
    details = []
    for item in error.errors():
        where = _location(tuple(item["loc"]), raw)
        message = item["msg"].removeprefix("Value error, ")
        fix = _fix_for(item)
        lines.append(f"{source}: {where}: {message} — fix: {fix}")
        details.append({"file": str(source), "field": where, "problem": message, "fix": fix})
    return ConfigError("\n".join(lines), details=details)


def read_yaml_mapping(text: str, path: Path, *, expected: str) -> dict[str, Any]:
    """Parse YAML that must be a mapping; errors name the file, line and fix."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(
            f"{path}: not valid YAML{where}: {getattr(exc, 'problem', exc)} — fix: check "
            "indentation and quote values containing ':' or '#'"
        ) from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected {expected}")
    return raw


def load_layer_file(path: Path) -> LayerSpec:
    """Read and validate one layer file; errors name the file, field and fix."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the layer file ({exc.strerror})") from exc
    raw = read_yaml_mapping(
        _fill_environment(text, path), path, expected="a mapping of keys (name, title, fields, …)"
    )
    try:
        spec = LayerSpec.model_validate(raw)
    except ValidationError as exc:
        raise describe_validation_error(exc, path, raw) from exc
    if spec.name != path.stem:
        raise ConfigError(
            f"{path}: name: {spec.name!r} differs from the file name — fix: rename the file "
            f"to {spec.name}.yaml or set name: {path.stem}"
        )
    return spec


class LayerCatalog(Mapping[str, LayerSpec]):
    """The validated layers, by name, in file order."""

    def __init__(self, layers: list[LayerSpec]) -> None:
        self._layers = {layer.name: layer for layer in layers}

    def __getitem__(self, name: str) -> LayerSpec:
        try:
            return self._layers[name]
        except KeyError:
            raise NotFound(
                f"No layer named {name!r}. Available layers: {', '.join(self._layers)}."
            ) from None

    def get(self, name: str, default: Any = None) -> Any:
        return self._layers.get(name, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._layers)

    def __len__(self) -> int:
        return len(self._layers)

    @property
    def hub_categories(self) -> tuple[str, ...]:
        """Categories that count as hubs, across every asset layer."""
        found: list[str] = []
        for layer in self._layers.values():
            found.extend(c for c in layer.hub_categories if c not in found)
        return tuple(found)


def load_catalog(directory: Path) -> LayerCatalog:
    """Load every ``*.yaml`` in ``directory``; all problems are reported at once."""
    if not directory.is_dir():
        raise ConfigError(f"{directory}: layers folder not found — fix: set ASSETMAP_LAYERS_DIR")
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise ConfigError(f"{directory}: no layer files (*.yaml) found")
    layers, problems = [], []
    for path in files:
        try:
            layers.append(load_layer_file(path))
        except ConfigError as exc:
            problems.append(exc)
    tables: dict[str, str] = {}
    for layer in layers:
        if layer.table in tables:
            problems.append(
                ConfigError(
                    f"{directory / (layer.name + '.yaml')}: table: {layer.table!r} is already "
                    f"used by layer {tables[layer.table]!r} — fix: give each layer its own table"
                )
            )
        tables[layer.table] = layer.name
    if problems:
        raise ConfigError(
            "\n".join(p.message for p in problems),
            details=[d for p in problems for d in p.details],
        )
    return LayerCatalog(layers)
