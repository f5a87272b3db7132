"""Where `assetmap fetch` downloads from: a YAML file of endpoints, validated.

The file shipped with the package (``endpoints.yaml`` beside this module) can be
replaced with ``--endpoints FILE`` or ``ASSETMAP_FETCH_ENDPOINTS``: service names
on the ONS Open Geography Portal change with every boundary vintage, so they are
configuration, not code. Datasets run in file order; each may use what earlier
ones found (the county's districts, its name, its envelope).
"""

from __future__ import annotations

import string
from pathlib import Path, PurePosixPath
from typing import Annotated, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from assetmap.errors import ConfigError
from assetmap.layers import describe_validation_error, read_yaml_mapping

__all__ = [
    "DEFAULT_ENDPOINTS",
    "ArcGISDataset",
    "CsvDataset",
    "Dataset",
    "Endpoints",
    "NomisDataset",
    "OverpassDataset",
    "load_endpoints",
]

DEFAULT_ENDPOINTS = Path(__file__).with_name("endpoints.yaml")

# What a template may name, and which dataset makes it known.
_PROVIDED_BY = {"county": None, "county_name": "county_lookup", "district": "county_lookup",
                "districts": "county_lookup", "envelope": "county"}


class _Dataset(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    file: str = Field(description="Output path inside --out, e.g. boundaries/districts.geojson")
    source: str = Field(description="Publisher, e.g. 'ONS Open Geography Portal'")
    licence: str
    attribution: str

    @field_validator("file")
    @classmethod
    def _relative(cls, value: str) -> str:
        path = PurePosixPath(value)
        if path.is_absolute() or ".." in path.parts or not path.suffix:
            raise ValueError("must be a relative path with a suffix, inside --out, no '..'")
        if path.name == "manifest.json":
            raise ValueError("manifest.json is written by fetch itself")
        return value

    def needs(self) -> set[str]:
        """Facts this dataset uses that an earlier dataset must provide."""
        return set()

    def provides(self) -> set[str]:
        return set()


class ArcGISDataset(_Dataset):
    """A feature layer or table on an ArcGIS REST FeatureServer (the ONS portal)."""

    kind: Literal["arcgis"]
    service: str = Field(description="FeatureServer service name, e.g. LAD24_CTY24_EN_LU")
    layer: int = 0
    select: Literal["county_lookup", "county", "districts", "envelope"]
    code_field: str | None = Field(
        default=None, description="field holding the county (county_lookup, county) or LAD code"
    )
    district_field: str | None = None
    district_name_field: str | None = None
    county_name_field: str | None = None
    page_size: int = Field(default=2000, ge=1, le=32000)

    @field_validator("file")
    @classmethod
    def _format(cls, value: str) -> str:
        if PurePosixPath(value).suffix not in (".geojson", ".csv"):
            raise ValueError("use .geojson (features with geometry) or .csv (table rows)")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        needed = {"county_lookup": ("code_field", "district_field", "district_name_field",
                                    "county_name_field"),
                  "county": ("code_field",), "districts": ("code_field",), "envelope": ()}
        missing = [f for f in needed[self.select] if getattr(self, f) is None]
        if missing:
            raise ValueError(f"select: {self.select} needs {', '.join(missing)}")
        return self

    def needs(self) -> set[str]:
        return {"county_lookup": set(), "county": set(), "districts": {"districts"},
                "envelope": {"envelope"}}[self.select]

    def provides(self) -> set[str]:
        if self.select == "county_lookup":
            return {"county_name", "district", "districts"}
        return {"envelope"} if self.select == "county" else set()


class NomisDataset(_Dataset):
    """A Nomis API dataset as CSV, e.g. NM_2014_1 small-area population estimates."""

    kind: Literal["nomis"]
    dataset: str = Field(pattern=r"^NM_\d+_\d+$")
    geography: str = Field(description="per district, e.g. '{district}TYPE150' (2021 OAs)")
    params: dict[str, str | int] = Field(default_factory=dict)
    page_size: int = Field(default=25_000, ge=1, description="Nomis' guest limit per request")
    pivot_code_column: str | None = Field(
        default=None, description="write one row per area, its code in this column (e.g. "
        "OA11CD) and one column per C_AGE_NAME; unset: Nomis' rows as they come"
    )

    @model_validator(mode="after")
    def _pivotable(self) -> Self:
        selected = {c.strip().lower() for c in str(self.params.get("select", "")).split(",")}
        needed = {"geography_code", "c_age_name", "obs_value"}
        if self.pivot_code_column and "select" in self.params and not needed <= selected:
            raise ValueError("pivot_code_column needs params.select to include "
                             + ", ".join(sorted(needed - selected)))
        return self

    def needs(self) -> set[str]:
        return _template_fields(self.geography)


class CsvDataset(_Dataset):
    """A CSV file at a fixed URL, optionally cut down to the county's rows."""

    kind: Literal["csv"]
    url: str = Field(pattern=r"^https?://")
    filter_column: str | None = None
    filter_districts: bool = Field(
        default=False, description="keep rows whose filter_column is one of the districts"
    )
    filter_equals: str | None = Field(
        default=None, description="keep rows whose filter_column equals this, e.g. "
        "'{county_name} County Council'"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.filter_districts or self.filter_equals) and not self.filter_column:
            raise ValueError("filter_districts/filter_equals need filter_column")
        if self.filter_column and not (self.filter_districts or self.filter_equals):
            raise ValueError("filter_column needs filter_districts: true or filter_equals")
        return self

    def needs(self) -> set[str]:
        fields = _template_fields(self.filter_equals or "")
        return fields | ({"districts"} if self.filter_districts else set())


class OverpassDataset(_Dataset):
    """OpenStreetMap features from an Overpass API server, as GeoJSON points."""

    kind: Literal["overpass"]
    url: str = Field(pattern=r"^https?://")
    area: str = Field(description="Overpass area filter, e.g. '[\"ref:gss\"=\"{county}\"]'")
    filters: list[str] = Field(
        min_length=1, description="tag filters, e.g. '[\"amenity\"=\"library\"]'"
    )
    timeout_s: int = Field(default=180, ge=1, le=3600)

    def needs(self) -> set[str]:
        return _template_fields(self.area)


Dataset = Annotated[
    ArcGISDataset | NomisDataset | CsvDataset | OverpassDataset, Field(discriminator="kind")
]


class Endpoints(BaseModel):
    """The whole endpoints file."""

    model_config = ConfigDict(extra="forbid")

    user_agent: str = Field(min_length=1)
    timeout_s: float = Field(default=60.0, gt=0)
    retries: int = Field(default=4, ge=0, le=10, description="retries after the first attempt")
    backoff_s: float = Field(default=1.0, ge=0, description="first wait; doubles each retry")
    max_wait_s: float = Field(default=120.0, ge=0, description="cap on any one wait")
    arcgis_base_url: str = Field(pattern=r"^https?://")
    nomis_base_url: str = Field(pattern=r"^https?://")
    datasets: dict[str, Dataset] = Field(min_length=1)
    # Where the file was read from, for messages (not part of the YAML).
    source_path: Path = Field(default=DEFAULT_ENDPOINTS, exclude=True)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        known: set[str] = {"county"}
        files: dict[str, str] = {}
        for name, dataset in self.datasets.items():
            unknown = {f for f in dataset.needs() if f not in _PROVIDED_BY}
            if unknown:
                raise ValueError(f"datasets.{name}: unknown placeholder {{{sorted(unknown)[0]}}}; "
                                 f"use {{county}}, {{county_name}} or {{district}}")
            missing = dataset.needs() - known
            if missing:
                fact = sorted(missing)[0]
                raise ValueError(
                    f"datasets.{name} uses the county's {fact}, which no earlier dataset "
                    f"provides: put an arcgis dataset with select: {_PROVIDED_BY[fact]} before it"
                )
            if dataset.file in files:
                raise ValueError(f"datasets.{name}: file {dataset.file} is also written by "
                                 f"datasets.{files[dataset.file]}")
            files[dataset.file] = name
            known |= dataset.provides()
        return self


def _template_fields(template: str) -> set[str]:
    try:
        return {field for _, field, _, _ in string.Formatter().parse(template) if field}
    except ValueError as exc:
        raise ValueError(f"bad placeholder in {template!r}: {exc}") from exc


def load_endpoints(path: Path | str | None = None) -> Endpoints:
    """Read and validate an endpoints file (the shipped one when ``path`` is None)."""
    source = Path(path) if path is not None else DEFAULT_ENDPOINTS
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{source}: no such endpoints file; pass --endpoints FILE or set "
                          "ASSETMAP_FETCH_ENDPOINTS to an existing file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{source}: cannot read the endpoints file ({exc})") from exc
    raw = read_yaml_mapping(text, source, expected="a mapping with user_agent, datasets, …")
    try:
        return Endpoints.model_validate({**raw, "source_path": source})
    except ValidationError as exc:
        raise describe_validation_error(exc, source, raw) from exc
