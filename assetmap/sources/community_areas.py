"""Community areas: parish files that lost their identity, and several files combined.

* :func:`identify_by_district` gives shapes without codes (and names) an identity from
  their district and place in it; :func:`add_unknown_governance` their governance
  (``parish_type_unknown`` unless a table lists them).
* :func:`combine_community_areas` puts parish and unparished-area files together,
  refusing two files that give different governance to the same area.
* :func:`assign_community_areas`: the community area of each asset or small area,
  by :func:`assetmap.locate.assign_to_areas`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import geopandas as gpd
import shapely

from assetmap.crs import METRIC_CRS, to_metric
from assetmap.errors import DataError
from assetmap.locate import assign_to_areas
from assetmap.sources import PARISH_TYPE_UNKNOWN, unnamed_area_label
from assetmap.sources.checks import ImportReport, examples, find_field

__all__ = [
    "DISTRICT_NAME",
    "add_unknown_governance",
    "assign_community_areas",
    "combine_community_areas",
    "identify_by_district",
    "require_unparished",
]

DISTRICT_NAME = (r"LAD(?P<yy>\d{2})NM", r"LTLA(?P<yy>\d{2})NM", r"LAD_NM")
# An area whose overlap with an area of another file exceeds this share of the smaller one is
# "the same area" (generalised boundaries leave slivers well under it).
_SAME_AREA_SHARE = 0.05


def identify_by_district(
    table: gpd.GeoDataFrame,
    frame: gpd.GeoDataFrame,
    kind_name: str,
    geography: str,
    districts: gpd.GeoDataFrame | None,
    report: ImportReport,
    path: Path,
    keep: np.ndarray,
) -> None:
    """Codes and names for shapes whose file has neither: district and place in it.

    The place is the file's ``seq_in_lad`` when it numbers each district's shapes
    1…n uniquely, else the order of the shapes in the file.
    """
    district = table["district_code"].astype(object).fillna("outside")  # rows not kept
    columns = {c.lower(): c for c in frame.columns if c != frame.geometry.name}
    numbers = pd.Series(np.nan, index=table.index)
    if "seq_in_lad" in columns:
        numbers = pd.to_numeric(frame[columns["seq_in_lad"]], errors="coerce").set_axis(
            table.index)
    given = numbers.notna().all() and not pd.DataFrame(
        {"d": district, "n": numbers}).duplicated().any()
    if not given:
        numbers = district.groupby(district, sort=False).cumcount() + 1
    numbers = numbers.astype(int)
    names_by_code = district_names(frame, table, districts)
    kind = "unparished" if kind_name == "unparished" else "parish"
    per_district = district.map(district.value_counts())
    prefix = "U" if kind == "unparished" else "P"
    table["code"] = [f"{d}-{prefix}{n}" for d, n in zip(district, numbers, strict=True)]
    own = table["name"].astype(object)
    labels = [
        unnamed_area_label(kind, names_by_code.get(d, d), n, several=bool(k > 1))
        for d, n, k in zip(district, numbers, per_district, strict=True)
    ]
    named = own.notna() & own.astype(str).str.strip().ne("")
    table["name"] = np.where(named, own.astype(str).str.strip(), labels)
    found = ", ".join(c for c in frame.columns if c != frame.geometry.name)
    unnamed = np.flatnonzero(~named.to_numpy(bool) & keep)
    example = f", e.g. {labels[unnamed[0]]!r}" if len(unnamed) else ""
    report.warnings.append(
        f"{path}: no {geography} codes in the file (fields: {found}); each shape is "
        f"identified by its district and place in it ({'seq_in_lad' if given else 'file order'}"
        f"): codes <district>-{prefix}<n>; {int((named.to_numpy(bool) & keep).sum()):,} carry "
        f"their own name, {len(unnamed):,} are named by district and number{example}."
    )


def district_names(frame: gpd.GeoDataFrame, table: gpd.GeoDataFrame,
                    districts: gpd.GeoDataFrame | None) -> dict[str, str]:
    names: dict[str, str] = {}
    if districts is not None and len(districts) and "name" in districts.columns:
        names.update(zip(districts["code"].astype(str), districts["name"].astype(str),
                         strict=True))
    given, _ = find_field([c for c in frame.columns if c != frame.geometry.name], DISTRICT_NAME)
    if given is not None:
        for code, name in zip(table["district_code"], frame[given.column], strict=True):
            if isinstance(name, str) and name.strip():
                names.setdefault(str(code), name.strip())
    return names


def add_unknown_governance(
    table: gpd.GeoDataFrame,
    kind_name: str,
    report: ImportReport,
    governance: dict[str, str] | None,
    default: str | None,
    keep: np.ndarray,
) -> None:
    """Governance for shapes without codes: unparished, or the list, default, else unknown."""
    if kind_name == "unparished":
        table["governance"] = "unparished"
        return
    lookup = governance or {}
    listed = table["code"].map(lookup)
    fallback = default or PARISH_TYPE_UNKNOWN
    table["governance"] = listed.where(listed.notna(), fallback).astype(object)
    missing = int((listed.isna().to_numpy() & keep).sum())
    if missing and default is None:
        report.warnings.append(
            f"{missing:,} parishes have no council type in the data: governance "
            f"'{PARISH_TYPE_UNKNOWN}' (parished, council type not known); give a CSV of "
            f"code,governance with --governance to set it."
        )


def require_unparished(table: gpd.GeoDataFrame, path: Path, keep: np.ndarray) -> None:
    parishes = table.loc[keep & (table["governance"] != "unparished").to_numpy(), "code"]
    if len(parishes):
        raise DataError(
            f"{path}: a file of unparished areas holds {len(parishes):,} parishes "
            f"({examples(parishes)}); give it as the parishes file instead"
        )


def combine_community_areas(
    parts: list[tuple[Path, gpd.GeoDataFrame]],
) -> gpd.GeoDataFrame:
    """Community areas from several files (EPSG:27700), refusing contradictions.

    The same area (the same code, or shapes overlapping by more than 5 % of the
    smaller) given a different governance by two files is an error naming both
    files and both areas; nothing else is changed.
    """
    frames = [frame.assign(_file=str(path)) for path, frame in parts if len(frame)]
    if not frames:
        return gpd.GeoDataFrame(columns=["code", "name", "district_code", "governance",
                                         "geometry"], geometry="geometry", crs=METRIC_CRS)
    combined = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=METRIC_CRS)
    clashes = []
    for _, group in combined.groupby("code", sort=True):
        if group["_file"].nunique() > 1:
            first, second = group.iloc[0], group.iloc[1]
            if first["governance"] != second["governance"]:
                clashes.append((first, second))
            else:
                raise DataError(f"{second['_file']}: area {second['code']} is also in "
                                f"{first['_file']}; give each area in one file only")
    tree = shapely.STRtree(combined.geometry.to_numpy())
    left, right = tree.query(combined.geometry.to_numpy(), predicate="intersects")
    pairs = (left < right) & (combined["_file"].to_numpy()[left]
                              != combined["_file"].to_numpy()[right])
    left, right = left[pairs], right[pairs]
    geometries = combined.geometry.to_numpy()
    shared = shapely.area(shapely.intersection(geometries[left], geometries[right]))
    smaller = np.minimum(shapely.area(geometries[left]), shapely.area(geometries[right]))
    governance = combined["governance"].to_numpy()
    same = (shared > _SAME_AREA_SHARE * smaller) & (governance[left] != governance[right])
    clashes += [(combined.iloc[a], combined.iloc[b]) for a, b in
                zip(left[same], right[same], strict=True)]
    if clashes:
        first, second = clashes[0]
        raise DataError(
            f"{first['_file']} and {second['_file']} give different governance to the same "
            f"area: {first['code']} {first['name']} is {first['governance']!r} in "
            f"{first['_file']}, {second['code']} {second['name']} is "
            f"{second['governance']!r} in {second['_file']}"
            + (f" (and {len(clashes) - 1:,} more)" if len(clashes) > 1 else "")
            + "; correct one of them"
        )
    return combined.drop(columns="_file").sort_values("code", ignore_index=True)


def assign_community_areas(frame: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> np.ndarray:
    """The community area code of each asset or small area (None where none is near).

    :func:`assetmap.locate.assign_to_areas` with its default tolerance, at the point the
    gap analysis puts each one: a point as it is; a small area at its
    population-weighted centroid when it has one, else a point inside it.
    """
    if not len(frame):
        return np.array([], dtype=object)
    metric = to_metric(frame, "features")
    geometry = metric.geometry
    points = gpd.GeoSeries(shapely.point_on_surface(geometry.to_numpy()), index=frame.index,
                           crs=METRIC_CRS)
    if {"pwc_easting", "pwc_northing"} <= set(frame.columns):
        x = pd.to_numeric(frame["pwc_easting"], errors="coerce").to_numpy(float)
        y = pd.to_numeric(frame["pwc_northing"], errors="coerce").to_numpy(float)
        given = np.isfinite(x) & np.isfinite(y)
        if given.any():
            values = points.to_numpy()
            values[given] = shapely.points(x[given], y[given])
            points = gpd.GeoSeries(values, index=frame.index, crs=METRIC_CRS)
    codes: np.ndarray = assign_to_areas(points, areas, "code").to_numpy(dtype=object)
    return codes
