"""The OpenStreetMap mapping file: which tag combinations make which asset category.

Rules are tried in order and the first whose tags all match gives the
category, so put specific rules (``community_centre=village_hall``) before
general ones (``amenity=community_centre``). A tag value is a string, a list
(any of them) or ``"*"`` (any value). OSM values that are lists
(``a;b``) match when any part does. The shipped file is
``layers/mappings/osm.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

from assetmap.errors import ConfigError
from assetmap.layers import LayerSpec
from assetmap.register.imports.readers.mapping_files import load_mapping_file

__all__ = ["DEFAULT_OSM_MAPPING", "OsmMapping", "Rule", "load_osm_mapping", "tags_match"]

DEFAULT_OSM_MAPPING = Path("mappings") / "osm.yaml"  # inside the layers folder
# Fields the importer fills itself (from name, tags, rules and the point).
_COMPUTED = ("id", "name", "category", "status", "address", "accessibility", "district_code",
             "community_area_code")


def _text(value: Any) -> Any:
    """YAML reads ``yes``/``no`` as booleans; in OSM they are the strings "yes"/"no"."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return [_text(v) for v in value]
    if isinstance(value, int | float):
        return str(value)
    return value


TagValue = Annotated[str | list[str], BeforeValidator(_text)]
Tags = dict[str, TagValue]


def _values(value: str) -> set[str]:
    return {part.strip() for part in value.split(";")}


def tags_match(wanted: Mapping[str, str | list[str]], tags: Mapping[str, str]) -> bool:
    """Whether ``tags`` has every key of ``wanted`` with an allowed value."""
    for key, allowed in wanted.items():
        if key not in tags:
            return False
        if allowed == "*":
            continue
        options = {allowed} if isinstance(allowed, str) else set(allowed)
        if not _values(tags[key]) & options:
            return False
    return True


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _layer(info: ValidationInfo) -> LayerSpec:
    layer: LayerSpec = (info.context or {})["layer"]
    return layer


class Rule(_Strict):
    category: str
    tags: Tags = Field(min_length=1)
    name_pattern: str | None = Field(
        default=None, description="regular expression the name must contain (any case)"
    )

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str, info: ValidationInfo) -> str:
        spec = _layer(info).field("category")
        if spec.choices is not None and value not in spec.choices:
            raise ValueError(f"{value!r} is not a category; use one of {', '.join(spec.choices)}")
        return value

    @field_validator("name_pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression ({exc})") from exc
        return value

    def matches(self, tags: Mapping[str, str]) -> bool:
        if not tags_match(self.tags, tags):
            return False
        return self.name_pattern is None or bool(
            re.search(self.name_pattern, tags.get("name", ""), re.IGNORECASE)
        )


class StatusRules(_Strict):
    closed_when: list[Tags] = Field(default_factory=list)
    # ``disused:amenity=library`` is a library that has closed: matched, and marked closed.
    lifecycle_prefixes: list[str] = Field(
        default_factory=lambda: ["disused", "abandoned", "was", "demolished", "removed", "razed"]
    )


class OsmMapping(_Strict):
    source: str = "OpenStreetMap"
    licence: str = "Open Database License (ODbL) 1.0"
    attribution: str = Field(min_length=1)
    rules: list[Rule] = Field(min_length=1)
    exclude: list[Tags] = Field(default_factory=list)
    status: StatusRules = Field(default_factory=StatusRules)
    fields: dict[str, list[str]] = Field(default_factory=dict)
    # facility (as the accessibility field writes it) -> tag sets, any of which means it is there
    accessibility: dict[str, list[Tags]] = Field(default_factory=dict)

    @field_validator("fields")
    @classmethod
    def _known_fields(
        cls, value: dict[str, list[str]], info: ValidationInfo
    ) -> dict[str, list[str]]:
        layer = _layer(info)
        for field in value:
            if field in _COMPUTED:
                raise ValueError(f"{field!r} is filled by the importer and cannot be mapped")
            if field not in layer.field_names:
                raise ValueError(
                    f"{field!r} is not a field of {layer.name}; use one of "
                    f"{', '.join(f for f in layer.field_names if f not in _COMPUTED)}"
                )
        return value

    def category(self, tags: Mapping[str, str]) -> str | None:
        return next((rule.category for rule in self.rules if rule.matches(tags)), None)

    def excluded(self, tags: Mapping[str, str]) -> str | None:
        """The exclusion that applies (as ``key=value``), if any."""
        for wanted in self.exclude:
            if tags_match(wanted, tags):
                return ", ".join(f"{k}={v if isinstance(v, str) else '|'.join(v)}"
                                 for k, v in wanted.items())
        return None


def load_osm_mapping(path: Path | None, layer: LayerSpec, layers_dir: Path | None = None) -> (
    tuple[OsmMapping, Path]
):
    """The mapping in ``path``, or the one in ``layers_dir`` (the ``layers_dir`` setting)."""
    if path is None:
        if layers_dir is None:
            raise ConfigError("no OpenStreetMap mapping file given: pass --mapping FILE")
        path = layers_dir / DEFAULT_OSM_MAPPING
        if not path.is_file():
            raise ConfigError(
                f"{path}: no OpenStreetMap mapping file in the layers folder; pass --mapping "
                "FILE, or copy layers/mappings/osm.yaml there"
            )
    return load_mapping_file(path, OsmMapping, {"layer": layer}), path
