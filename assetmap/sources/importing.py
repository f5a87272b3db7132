"""``assetmap import KIND FILE``, the reading half: read a file and fit it to the store.

Each kind reads its file with the matching reader and combines it with what the
store holds (districts to place areas in, attributes of small areas already
there). :func:`prepare_import` returns every reference table the import
replaces whole (community areas, small areas, districts …) and the metadata
(vintages, sources, attribution), with the lines to show; it writes nothing.
:mod:`assetmap.register.reference` applies it: in one transaction it replaces
those tables and re-places, feature by feature and audited, the register's
assets whose area codes change. Only reference open data is prepared here; the
register's layers are never replaced whole. Libraries are assets, so they are
imported through the register (:mod:`assetmap.register.imports.libraries`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

import geopandas as gpd

from assetmap.crs import METRIC_CRS
from assetmap.errors import DataError
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.provenance import merge_metadata
from assetmap.sources.boundaries import (
    BoundaryImport,
    assign_community_areas,
    districts_in,
    locate_in,
    read_boundaries,
    read_governance,
)
from assetmap.sources.checks import ImportReport, read_vector, vintage_warnings
from assetmap.sources.places import merged_places, read_places
from assetmap.sources.small_areas import (
    apply_imd,
    apply_lookup,
    apply_population,
    apply_ruc,
    small_areas_from_boundaries,
)
from assetmap.sources.statistics import (
    StatisticsImport,
    read_imd,
    read_lookup,
    read_population,
    read_ruc,
)
from assetmap.store import Store

__all__ = [
    "IMPORT_KINDS",
    "METADATA_TABLE",
    "ImportOptions",
    "PreparedImport",
    "prepare_import",
    "typed_for_layer",
]

METADATA_TABLE = "assetmap_metadata"
_DTYPES = {"int": "Int64", "float": "float64", "bool": "boolean"}


@dataclass(frozen=True)
class ImportOptions:
    """Options of ``assetmap import``; each kind uses the ones that concern it."""

    crs: str | None = None
    reject_invalid: bool = False
    governance: Path | None = None
    default_governance: str | None = None
    county: Path | None = None
    attribution: str | None = None
    border_km: float = 5.0


@dataclass
class _Outcome:
    tables: dict[str, pd.DataFrame]
    report: ImportReport
    lines: list[str]
    vintages: Mapping[str, int | None]
    metadata: dict[str, str]


def typed_for_layer(frame: gpd.GeoDataFrame, layer: LayerSpec) -> gpd.GeoDataFrame:
    """The layer's declared columns, typed as declared, in EPSG:27700 (for writing)."""
    data = {}
    for spec in layer.fields:
        values = frame[spec.name] if spec.name in frame.columns else [None] * len(frame)
        series = pd.Series(values, index=frame.index, dtype=object)
        series = series.where(series.notna(), None)
        dtype = _DTYPES.get(spec.type)
        data[spec.name] = (pd.array(series.tolist(), dtype=dtype) if dtype
                           else series.to_numpy(dtype=object))
    return gpd.GeoDataFrame(data, geometry=frame.geometry.to_numpy(), crs=frame.crs or METRIC_CRS)


def _stored_vintages(metadata: Mapping[str, str]) -> dict[str, str]:
    return {key.split(":", 1)[1]: value for key, value in metadata.items()
            if key.startswith("vintage:")}


def _read(store: Store, catalog: LayerCatalog, name: str) -> gpd.GeoDataFrame:
    return store.read(catalog[name])


def _districts(store: Store, catalog: LayerCatalog) -> gpd.GeoDataFrame:
    return _read(store, catalog, "districts")


def _boundaries(kind: str, path: Path, options: ImportOptions,
                districts: gpd.GeoDataFrame | None = None,
                governance: dict[str, str] | None = None) -> BoundaryImport:
    return read_boundaries(
        path, kind, crs=options.crs, reject_invalid=options.reject_invalid,
        districts=districts, governance=governance,
        default_governance=options.default_governance,
    )


def _import_districts(store: Store, catalog: LayerCatalog, path: Path,
                      options: ImportOptions) -> _Outcome:
    result = _boundaries("districts", path, options)
    table = result.table
    lines = []
    if options.county is not None:
        county = read_vector(options.county, crs=options.crs)
        inside = districts_in(table, county)
        lines.append(f"kept the {int(inside.sum()):,} districts inside {options.county.name}; "
                     f"left out {examples_of(table.loc[~inside, 'name'])}")
        result.report.skip("outside the county", int((~inside).sum()))
        table = table[inside]
        result.report.kept = len(table)
    if table.empty:
        raise DataError(f"{path}: no districts to import; the store was not changed")
    return _Outcome({"districts": typed_for_layer(table, catalog["districts"])},
                    result.report, lines, result.vintages, {})


def examples_of(names: pd.Series) -> str:
    return ", ".join(map(str, names)) or "none"


def _import_county(store: Store, catalog: LayerCatalog, path: Path,
                   options: ImportOptions) -> _Outcome:
    result = _boundaries("county", path, options)
    counties = result.table
    districts = _districts(store, catalog)
    if len(counties) > 1:
        if districts.empty:
            raise DataError(f"{path}: {len(counties):,} counties in the file; import districts "
                            f"first so the county holding them can be chosen")
        inside = locate_in(districts.geometry, counties)
        codes = pd.Series(inside).dropna()
        if codes.empty:
            raise DataError(f"{path}: none of the counties contains the store's districts")
        counties = counties[counties["code"] == codes.mode().iloc[0]]
    county = counties.iloc[0]
    lines = []
    if len(districts):
        inside = districts_in(districts, counties)
        lines.append(f"{int(inside.sum()):,} of the store's {len(districts):,} districts lie "
                     f"inside {county['name']} ({county['code']})")
    metadata = {"county_code": str(county["code"]), "county_name": str(county["name"] or "")}
    result.report.kept = 1
    return _Outcome({}, result.report, lines, result.vintages, metadata)


def _import_parishes(store: Store, catalog: LayerCatalog, path: Path,
                     options: ImportOptions) -> _Outcome:
    governance = read_governance(options.governance) if options.governance else None
    result = _boundaries("parishes", path, options, _districts(store, catalog), governance)
    areas = result.table
    if areas.empty:
        raise DataError(f"{path}: no parishes or unparished areas lie in the store's districts; "
                        f"the store was not changed")
    tables: dict[str, pd.DataFrame] = {
        "community_areas": typed_for_layer(areas, catalog["community_areas"])
    }
    lines = [f"{int((areas['governance'] == 'unparished').sum()):,} unparished areas, "
             f"{int((areas['governance'] != 'unparished').sum()):,} parishes"]
    for name in ("small_areas",):  # reference data; the register re-places its assets
        frame = _read(store, catalog, name)
        if frame.empty:
            continue
        frame = frame.copy()
        frame["community_area_code"] = assign_community_areas(frame, areas)
        placed = int(frame["community_area_code"].notna().sum())
        lines.append(f"{name}: {placed:,} of {len(frame):,} now carry the code of the "
                     f"community area they lie in")
        tables[name] = typed_for_layer(frame, catalog[name])
    return _Outcome(tables, result.report, lines, result.vintages, {})


def _import_small_area_boundaries(kind: str) -> Callable[..., _Outcome]:
    def run(store: Store, catalog: LayerCatalog, path: Path, options: ImportOptions) -> _Outcome:
        result = _boundaries(kind, path, options, _districts(store, catalog))
        if result.table.empty:
            raise DataError(f"{path}: no {result.kind.what} lie in the store's districts; "
                            f"the store was not changed")
        small, lines = small_areas_from_boundaries(result, _read(store, catalog, "small_areas"))
        missing = int(small["population"].isna().sum())
        if missing:
            lines.append(f"{missing:,} small areas have no population yet: import it with "
                         f"`assetmap import population FILE`")
        return _Outcome({"small_areas": typed_for_layer(small, catalog["small_areas"])},
                        result.report, lines, result.vintages, {})

    return run


def _import_statistics(
    reader: Callable[[Path], StatisticsImport],
    apply: Callable[[gpd.GeoDataFrame | None, StatisticsImport],
                    tuple[gpd.GeoDataFrame, list[str]]],
) -> Callable[..., _Outcome]:
    def run(store: Store, catalog: LayerCatalog, path: Path, options: ImportOptions) -> _Outcome:
        result = reader(path)
        small, lines = apply(_read(store, catalog, "small_areas"), result)
        return _Outcome({"small_areas": typed_for_layer(small, catalog["small_areas"])},
                        result.report, lines, result.vintages, {})

    return run


def _import_ruc(store: Store, catalog: LayerCatalog, path: Path,
                options: ImportOptions) -> _Outcome:
    result = read_ruc(path)
    small, lines = apply_ruc(_read(store, catalog, "small_areas"), result,
                             _stored_vintages(store.metadata()), str(path))
    return _Outcome({"small_areas": typed_for_layer(small, catalog["small_areas"])},
                    result.report, lines, result.vintages, {})


def _import_places(store: Store, catalog: LayerCatalog, path: Path,
                   options: ImportOptions) -> _Outcome:
    result = read_places(path, _districts(store, catalog))
    if result.table.empty:
        raise DataError(f"{path}: no places lie in the store's districts; the store was not "
                        f"changed")
    layer = catalog["places"]
    places = merged_places(store.read(layer) if store.has_layer(layer) else None, result)
    lines = [f"{len(places):,} places in the store for the place search "
             f"({len(result.table):,} from {result.source})"]
    return _Outcome({"places": typed_for_layer(places, catalog["places"])}, result.report,
                    lines, {}, {})


IMPORT_KINDS: dict[str, Callable[..., _Outcome]] = {
    "districts": _import_districts,
    "county": _import_county,
    "parishes": _import_parishes,
    "oa": _import_small_area_boundaries("oa"),
    "lsoa": _import_small_area_boundaries("lsoa"),
    "population": _import_statistics(read_population, apply_population),
    "imd": _import_statistics(read_imd, apply_imd),
    "lookup": _import_statistics(read_lookup, apply_lookup),
    "ruc": _import_ruc,
    "places": _import_places,
}


# The geography whose codes each kind puts in the store (others it only refers to).
_RECORDS_VINTAGE = {"districts": ("LAD",), "county": ("CTY",), "parishes": ("PARNCP",),
                    "oa": ("OA",), "lsoa": ("LSOA",), "lookup": ("LSOA",)}


@dataclass(frozen=True)
class PreparedImport:
    """A file read and fitted to the store, ready to apply; nothing is written yet."""

    kind: str
    path: Path
    tables: dict[str, pd.DataFrame]  # reference tables and the metadata, each replaced whole
    summary: str
    details: tuple[str, ...]
    warnings: tuple[str, ...]

    def lines(self, details: list[str] | None = None, written: list[str] | None = None
              ) -> list[str]:
        """The lines to show once applied; ``details``/``written`` add what the apply did."""
        names = [name for name in self.tables if name != METADATA_TABLE] + (written or [])
        lines = [f"{self.path}: {self.summary}"]
        lines += [f"  {line}" for line in (*self.details, *(details or []))]
        lines += [f"warning: {warning}" for warning in self.warnings]
        lines.append(f"updated {', '.join(names) or 'metadata'} in the store")
        return lines


def prepare_import(store: Store, catalog: LayerCatalog, kind: str, path: Path,
                   options: ImportOptions | None = None) -> PreparedImport:
    """Read ``path`` as ``kind`` and fit it to ``store``; writes nothing."""
    options = options or ImportOptions()
    if kind not in IMPORT_KINDS:
        raise DataError(f"Unknown import kind {kind!r}; use one of {', '.join(IMPORT_KINDS)}")
    current = store.metadata()
    outcome = IMPORT_KINDS[kind](store, catalog, path, options)
    warnings = outcome.report.warnings + vintage_warnings(
        path.name, outcome.vintages, _stored_vintages(current)
    )
    updates = dict(outcome.metadata)
    for geography in _RECORDS_VINTAGE.get(kind, ()):
        if outcome.vintages.get(geography):
            updates[f"vintage:{geography}"] = str(outcome.vintages[geography])
    updates[f"source:{kind}"] = " | ".join(
        (path.name, outcome.report.vintage or "not stated", options.attribution or "not stated")
    )
    tables = dict(outcome.tables)
    tables[METADATA_TABLE] = merge_metadata(current, updates, options.attribution)
    return PreparedImport(kind, path, tables, outcome.report.summary(), tuple(outcome.lines),
                          tuple(warnings))
