"""ONS boundaries from GeoJSON, GeoPackage or shapefile, any vintage.

Kinds: ``districts`` (``LADyyCD``/``LADyyNM``), ``county`` (``CTYyyCD`` or
``CTYUAyyCD``), ``parishes`` (``PARNCPyyCD``/``PARyyCD``: E04 parishes and E43
non-civil-parished areas), ``wards`` (``WDyyCD``/``WDyyNM``, names for the
place search), ``unparished`` (a file of unparished areas only, e.g.
one derived as districts minus parishes), ``oa`` (``OAyyCD``) and ``lsoa``
(``LSOAyyCD``).

A parish or unparished-area file whose codes (and names) were lost upstream is
read, never refused: each shape is identified by its district and its place
among that district's shapes (``seq_in_lad`` when the file has it, else file
order), as ``<district>-P<n>`` / ``<district>-U<n>``, named by its own name where
the file has one (``PARNCPyyNM``, ``PARyyNM`` or a ``name_verified`` field) and
otherwise as "Harborough parish 12 (name not known)"
(:func:`assetmap.sources.unnamed_area_label`); with no codes there is no council
type either, so parishes get ``parish_type_unknown`` unless ``--governance``
lists them.
Field names are matched case-insensitively whatever the year in them; the
year is reported as the vintage. Everything comes out in EPSG:27700 with
MultiPolygon geometries, invalid ones repaired (or refused) and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

import geopandas as gpd
import shapely

from assetmap.crs import METRIC_CRS, to_metric
from assetmap.errors import DataError
from assetmap.locate import assign_to_areas
from assetmap.sources import GOVERNANCE_TYPES
from assetmap.sources.checks import (
    Field,
    ImportReport,
    examples,
    find_field,
    read_csv_table,
    read_vector,
    reject_duplicates,
    repair_geometries,
)
from assetmap.sources.community_areas import (
    DISTRICT_NAME,
    add_unknown_governance,
    assign_community_areas,
    combine_community_areas,
    identify_by_district,
    require_unparished,
)

__all__ = [
    "BOUNDARY_KINDS",
    "GOVERNANCE_TYPES",
    "BoundaryImport",
    "BoundaryKind",
    "assign_community_areas",
    "combine_community_areas",
    "districts_in",
    "locate_in",
    "read_boundaries",
    "read_governance",
]

_GSS = re.compile(r"[EWSNK]\d{8}")
_DISTRICT_CODE = (r"LAD(?P<yy>\d{2})CD", r"LTLA(?P<yy>\d{2})CD", r"LAD_CD")
_PARISH_CODE = (r"PARNCP(?P<yy>\d{2})CD", r"PAR(?P<yy>\d{2})CD")
_PARISH_NAME = (r"PARNCP(?P<yy>\d{2})NM", r"PAR(?P<yy>\d{2})NM", r"name_verified")
_LSOA_CODE = (r"LSOA(?P<yy>\d{2})CD",)
_LSOA_NAME = (r"LSOA(?P<yy>\d{2})NM",)


@dataclass(frozen=True)
class BoundaryKind:
    """How to find one kind of ONS boundary's fields, whatever their vintage."""

    name: str
    what: str  # plural noun for summaries
    geography: str  # for vintage checks: LAD, CTY, PARNCP, OA, LSOA
    code: tuple[str, ...]
    label: tuple[str, ...] = ()
    in_districts: bool = False  # features belong to the store's districts


BOUNDARY_KINDS: dict[str, BoundaryKind] = {
    "districts": BoundaryKind("districts", "districts", "LAD", _DISTRICT_CODE, DISTRICT_NAME),
    "county": BoundaryKind(
        "county", "counties", "CTY",
        (r"CTYUA(?P<yy>\d{2})CD", r"CTY(?P<yy>\d{2})CD", r"CTY_CD"),
        (r"CTYUA(?P<yy>\d{2})NM", r"CTY(?P<yy>\d{2})NM", r"CTY_NM"),
    ),
    "parishes": BoundaryKind("parishes", "parishes and unparished areas", "PARNCP",
                             _PARISH_CODE, _PARISH_NAME, in_districts=True),
    "unparished": BoundaryKind("unparished", "unparished areas", "PARNCP",
                               _PARISH_CODE, _PARISH_NAME, in_districts=True),
    "wards": BoundaryKind("wards", "wards", "WD", (r"WD(?P<yy>\d{2})CD",),
                          (r"WD(?P<yy>\d{2})NM",), in_districts=True),
    "oa": BoundaryKind("oa", "output areas", "OA", (r"OA(?P<yy>\d{2})CD",), in_districts=True),
    "lsoa": BoundaryKind("lsoa", "LSOAs", "LSOA", _LSOA_CODE, _LSOA_NAME, in_districts=True),
}


@dataclass
class BoundaryImport:
    """Boundaries as read (EPSG:27700): ``code``, ``name`` and per-kind columns.

    ``parishes`` add ``district_code`` and ``governance``; ``oa`` and ``lsoa`` add
    ``district_code`` and ``lsoa_code`` (plus ``lsoa_name`` for LSOAs) when known.
    ``vintages`` gives the year of each geography's codes found in the file.
    """

    kind: BoundaryKind
    table: gpd.GeoDataFrame
    report: ImportReport
    vintages: dict[str, int | None] = field(default_factory=dict)

    def summary(self) -> str:
        return self.report.summary()


def read_governance(path: Path) -> dict[str, str]:
    """Parish code → governance from a CSV of ``code`` and ``governance`` (or ``type``)."""
    table = read_csv_table(path)
    columns = {c.lower(): c for c in table.columns}
    code_column = next((columns[c] for c in ("code", "parish_code") if c in columns), None)
    if code_column is None:
        code_column = next(
            (c for c in table.columns if re.fullmatch(r"PAR(NCP)?\d{2}CD", c, re.I)), None
        )
    kind_column = next((columns[c] for c in ("governance", "type") if c in columns), None)
    if code_column is None or kind_column is None:
        raise DataError(
            f"{path}: a governance file needs a `code` column (or PARNCPyyCD) and a "
            f"`governance` (or `type`) column; found {', '.join(table.columns)}"
        )
    found: dict[str, str] = {}
    for row, (code, kind) in enumerate(zip(table[code_column], table[kind_column],
                                           strict=True), start=2):
        value = re.sub(r"[\s-]+", "_", kind.strip().lower())
        if value not in GOVERNANCE_TYPES:
            raise DataError(
                f"{path}, row {row}: governance {kind!r} for {code!r} is not one of "
                f"{', '.join(GOVERNANCE_TYPES)}"
            )
        found[code.strip()] = value
    return found


def _field(frame: gpd.GeoDataFrame, patterns: tuple[str, ...]) -> tuple[Field | None, list[str]]:
    chosen, others = find_field([c for c in frame.columns if c != frame.geometry.name], patterns)
    notes = []
    if chosen is not None and others:
        notes.append(
            f"the file has several {chosen.column.rstrip('0123456789')}-like fields "
            f"({', '.join(f.column for f in [chosen, *others])}); used {chosen.column}"
        )
    return chosen, notes


def _codes(frame: gpd.GeoDataFrame, column: str, path: Path, what: str) -> pd.Series:
    codes = frame[column].astype("string").str.strip()
    bad = ~codes.fillna("").str.fullmatch(_GSS.pattern).to_numpy(bool)
    if bad.any():
        rows = [f"row {i + 1} ({codes.iloc[i]!r})" for i in np.flatnonzero(bad)]
        raise DataError(
            f"{path}: {int(bad.sum()):,} {what} have a missing or malformed code in `{column}` "
            f"({examples(rows)}). ONS codes are a letter and eight digits, e.g. E07000129."
        )
    reject_duplicates(codes, path, what)
    return codes.astype(object)


def locate_in(shapes: gpd.GeoSeries, districts: gpd.GeoDataFrame) -> np.ndarray:
    """The ``code`` of the district each shape's interior point lies in (None outside).

    Both in EPSG:27700. :func:`assetmap.locate.assign_to_areas` with no
    tolerance (a boundary file's own shapes must lie inside): a point on a
    shared edge goes to the district whose code sorts first, so the answer never
    depends on row order.
    """
    points = gpd.GeoSeries(shapely.point_on_surface(shapes.to_numpy()), crs=METRIC_CRS)
    areas = gpd.GeoDataFrame({"code": districts["code"].to_numpy()},
                             geometry=districts.geometry.to_numpy(), crs=METRIC_CRS)
    return np.asarray(assign_to_areas(points, areas, "code", tolerance_m=0).to_numpy(dtype=object),
                      dtype=object)


def districts_in(districts: gpd.GeoDataFrame, county: gpd.GeoDataFrame) -> np.ndarray:
    """True for districts whose interior point lies inside the county boundary (EPSG:27700)."""
    outline = to_metric(county, "county").geometry.union_all()
    points = shapely.point_on_surface(to_metric(districts, "districts").geometry.to_numpy())
    return np.asarray(shapely.within(points, outline), dtype=bool)


def read_boundaries(
    path: Path,
    kind: str,
    *,
    crs: str | None = None,
    reject_invalid: bool = False,
    districts: gpd.GeoDataFrame | None = None,
    governance: dict[str, str] | None = None,
    default_governance: str | None = None,
) -> BoundaryImport:
    """Read one kind of ONS boundary file (see the module docstring for the fields).

    ``districts`` (``code`` and boundary) limit parishes, OAs and LSOAs to the
    store's districts: by the file's own district field when it has one,
    otherwise by where each area's interior point lies. ``governance`` maps E04
    parish codes to their council type; E43 areas are always unparished; a parish
    missing from it is an error unless ``default_governance`` is given.
    """
    spec = BOUNDARY_KINDS[kind]
    frame = read_vector(path, crs=crs)
    report = ImportReport(spec.what, rows_read=len(frame))
    code_field, notes = _field(frame, spec.code)
    community = spec.name in ("parishes", "unparished")
    if code_field is None and not community:
        expected = re.sub(r"\(\?P<yy>[^)]*\)", "yy", spec.code[0])
        found = ", ".join(c for c in frame.columns if c != frame.geometry.name)
        raise DataError(
            f"{path}: no {spec.geography} code field for {spec.what}; expected a field named "
            f"like {expected} (yy = the vintage, e.g. 21); found {found}"
        )
    name_field, name_notes = _field(frame, spec.label) if spec.label else (None, [])
    report.warnings += [f"{path}: {note}" for note in notes + name_notes]
    codes, vintages = _codes_and_vintage(frame, code_field, spec, path, report)
    table = gpd.GeoDataFrame(
        {"code": codes.to_numpy(dtype=object)},
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    )
    if name_field is not None:
        names = frame[name_field.column].astype(object)
        table["name"] = names.where(names.notna(), None).to_numpy()
    else:
        table["name"] = None
    table = to_metric(table, str(path))
    table, repaired = repair_geometries(table, table["code"], path, reject_invalid=reject_invalid)
    report.repaired = repaired

    if spec.name in ("oa", "lsoa"):
        _add_lsoa(table, frame, spec, vintages)
    keep = np.ones(len(table), dtype=bool)
    if spec.in_districts:
        keep &= _add_districts(table, frame, path, districts, report, vintages)
    if community:
        keep &= _community_identity(table, frame, spec, code_field is not None, districts,
                                    report, path, governance, default_governance, keep)
    table = table[keep].sort_values("code", ignore_index=True)
    report.kept = len(table)
    return BoundaryImport(spec, table, report, vintages)


def _codes_and_vintage(
    frame: gpd.GeoDataFrame, code_field: Field | None, spec: BoundaryKind, path: Path,
    report: ImportReport,
) -> tuple[pd.Series, dict[str, int | None]]:
    if code_field is None:
        # Identity lost upstream: rows stand in for codes until districts give them theirs.
        report.vintage = f"{spec.geography} codes not in the file"
        codes = pd.Series([f"row {i + 1}" for i in range(len(frame))], dtype=object)
        return codes, {spec.geography: None}
    report.vintage = f"{spec.geography} {code_field.vintage or 'vintage not stated'}"
    return _codes(frame, code_field.column, path, spec.what), {spec.geography: code_field.year}


def _community_identity(
    table: gpd.GeoDataFrame, frame: gpd.GeoDataFrame, spec: BoundaryKind, coded: bool,
    districts: gpd.GeoDataFrame | None, report: ImportReport, path: Path,
    governance: dict[str, str] | None, default: str | None, keep: np.ndarray,
) -> np.ndarray:
    """Parishes and unparished areas: identity (when the file lost it) and governance."""
    if not coded:
        identify_by_district(table, frame, spec.name, spec.geography, districts, report, path,
                             keep)
        add_unknown_governance(table, spec.name, report, governance, default, keep)
        return np.ones(len(table), dtype=bool)
    kept = _add_governance(table, path, report, governance, default, keep)
    if spec.name == "unparished":
        require_unparished(table, path, keep & kept)
    return kept


def _add_lsoa(
    table: gpd.GeoDataFrame,
    frame: gpd.GeoDataFrame,
    spec: BoundaryKind,
    vintages: dict[str, int | None],
) -> None:
    if spec.name == "lsoa":
        table["lsoa_code"] = table["code"]
        table["lsoa_name"] = table["name"]
        return
    lsoa, _ = find_field(frame.columns, _LSOA_CODE)
    if lsoa is not None:
        table["lsoa_code"] = frame[lsoa.column].astype(object).to_numpy()
        vintages["LSOA"] = lsoa.year


def _add_districts(
    table: gpd.GeoDataFrame,
    frame: gpd.GeoDataFrame,
    path: Path,
    districts: gpd.GeoDataFrame | None,
    report: ImportReport,
    vintages: dict[str, int | None],
) -> np.ndarray:
    """Set ``district_code``; returns which rows lie in the store's districts."""
    has_districts = districts is not None and len(districts) > 0
    given, _ = find_field([c for c in frame.columns if c != frame.geometry.name], _DISTRICT_CODE)
    if given is not None:
        vintages["LAD"] = given.year
        table["district_code"] = frame[given.column].astype("string").str.strip().astype(
            object).to_numpy()
        if not has_districts:
            return np.ones(len(table), dtype=bool)
        assert districts is not None
        keep = table["district_code"].isin(set(districts["code"].astype(str))).to_numpy()
        report.skip("in a district not in the store", int((~keep).sum()))
        return np.asarray(keep, dtype=bool)
    if not has_districts:
        raise DataError(
            f"{path}: the file has no district field (LADyyCD), and the store has no districts "
            f"to place its {report.what} in. Import districts first: "
            f"`assetmap import districts FILE`."
        )
    assert districts is not None
    table["district_code"] = locate_in(table.geometry, to_metric(districts, "districts"))
    keep = table["district_code"].notna().to_numpy()
    report.skip("outside the store's districts", int((~keep).sum()))
    return np.asarray(keep, dtype=bool)


def _add_governance(
    table: gpd.GeoDataFrame,
    path: Path,
    report: ImportReport,
    governance: dict[str, str] | None,
    default: str | None,
    keep: np.ndarray,
) -> np.ndarray:
    """Set ``governance``: E43 unparished, E04 from the lookup; returns rows to keep."""
    codes = table["code"].astype(str)
    parish = codes.str.startswith("E04").to_numpy()
    unparished = codes.str.startswith("E43").to_numpy()
    other = ~(parish | unparished)
    report.skip("not an English parish (E04) or unparished area (E43)", int((other & keep).sum()))
    lookup = governance or {}
    values = np.full(len(table), None, dtype=object)
    values[unparished] = "unparished"
    values[parish] = [lookup.get(code) for code in codes[parish]]
    missing = parish & keep & pd.isna(values)
    if missing.any():
        if default is None:
            raise DataError(
                f"{path}: {int(missing.sum()):,} parishes have no governance type "
                f"({examples(f'{c} {n}' for c, n in zip(codes[missing], table['name'][missing], strict=True))}). "  # noqa: E501
                f"List each in a CSV of code,governance ({', '.join(GOVERNANCE_TYPES)}) given "
                f"with --governance FILE, or pass --default-governance TYPE to use one type for "
                f"every parish not listed."
            )
        values[missing] = default
        report.warnings.append(
            f"{int(missing.sum()):,} parishes not in the governance list were given the default "
            f"'{default}' ({examples(codes[missing])})."
        )
    listed_unparished = [c for c in codes[unparished] if c in lookup]
    if listed_unparished:
        report.warnings.append(
            f"the governance list names {len(listed_unparished):,} E43 areas "
            f"({examples(listed_unparished)}); E43 areas are non-civil-parished, so they stay "
            f"'unparished'."
        )
    table["governance"] = values
    return np.asarray(~other, dtype=bool)
