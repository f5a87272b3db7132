"""Machine-readable downloads of a district report: GeoJSON and GeoPackage.

Both carry the thresholds, the sources and whether the data is synthetic,
so a file passed on without the report still says how it was made.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd

import geopandas as gpd
import shapely

from assetmap.analysis import METHOD_DOCUMENT, DistrictReport, method_text
from assetmap.crs import METRIC_CRS, to_metric, to_web
from assetmap.formats.csv import table_csv_bytes
from assetmap.formats.gpkg import GpkgLayer, geopackage_bytes
from assetmap.provenance import attribution_lines

__all__ = ["AREA_FIELDS", "metadata_csv", "metadata_rows", "report_geojson", "report_gpkg"]

# Columns of the ranked community areas carried into GeoJSON and GeoPackage.
AREA_FIELDS = (
    "rank",
    "rank_band",
    "code",
    "name",
    "district_code",
    "governance",
    "unparished",
    "population",
    "small_areas",
    "hub_count",
    "residents_per_hub",
    "uncovered_population",
    "share_outside_catchment",
    "pop_weighted_mean_distance_m",
    "hub_places_per_1000",
    "imd_known_share",
    "deprived_share",
    "no_hub",
    "poor_access",
    "over_capacity",
    "high_need",
    "under_served",
    "reasons",
    "component_uncovered",
    "component_distance",
    "component_capacity",
    "component_need",
    "score",
)
_SMALL_AREA_FIELDS = (
    "code",
    "locality",
    "community_area_code",
    "district_code",
    "population",
    "imd_decile",
    "location_easting",
    "location_northing",
    "location_source",
    "urban",
    "urban_source",
    "catchment_m",
    "distance_to_nearest_hub_m",
    "hub_places_per_1000",
    "nearest_hub_id",
    "within_catchment",
    "hubs_in_catchment",
)
_HUB_FIELDS = ("id", "name", "category", "status", "district_code", "in_district", "catchment_m")
_COORDINATE_DECIMALS = 6  # about 0.1 m in longitude/latitude


def _columns(frame: gpd.GeoDataFrame, names: tuple[str, ...]) -> gpd.GeoDataFrame:
    keep = [name for name in names if name in frame.columns]
    return frame[[*keep, frame.geometry.name]]


def _json_value(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _site_records(report: DistrictReport) -> list[dict[str, Any]]:
    sites = to_web(report.sites, "candidate sites")
    records = []
    for row, point in zip(
        sites.drop(columns=sites.geometry.name).to_dict("records"), sites.geometry, strict=True
    ):
        record = {key: _json_value(value) for key, value in row.items()}
        record["lon"] = round(float(point.x), _COORDINATE_DECIMALS)
        record["lat"] = round(float(point.y), _COORDINATE_DECIMALS)
        records.append(record)
    return records


def report_geojson(report: DistrictReport) -> bytes:
    """Ranked community areas as a GeoJSON FeatureCollection in EPSG:4326 (lon, lat).

    Top-level members echo the run: ``district``, ``generated``, ``synthetic``,
    ``attribution`` (lines), ``fallback_units``, ``focus``, ``thresholds``, ``sources``,
    ``method``, ``summary``, ``candidate_sites``, ``siting`` (objective, value, proven
    gap, greedy's answer) and ``warnings``.
    """
    areas = to_web(_columns(report.areas, AREA_FIELDS), "community areas")
    areas = areas.set_geometry(
        shapely.transform(
            areas.geometry.to_numpy(), lambda xy: np.round(xy, _COORDINATE_DECIMALS)
        ),
        crs=areas.crs,
    )
    collection = json.loads(areas.to_json(na="null", drop_id=True))
    document = {
        "type": "FeatureCollection",
        "name": report.title,
        "district": {"code": report.district_code, "name": report.district_name},
        "generated": report.generated.isoformat(),
        "synthetic": report.synthetic,
        "notice": report.notice,
        "attribution": attribution_lines(report.attribution),
        "fallback_units": report.fallback_units or None,
        "focus": report.focus_label,
        "thresholds": report.thresholds.as_flat_dict(),
        "sources": [asdict(source) for source in report.sources],
        "method": {"document": METHOD_DOCUMENT, "statements": method_text(report)},
        "summary": {key: _json_value(value) for key, value in report.summary.items()},
        "candidate_sites": _site_records(report),
        "siting": report.siting.as_dict() if report.siting else None,
        "warnings": list(report.warnings),
        "features": collection["features"],
    }
    return json.dumps(document, ensure_ascii=False, allow_nan=False).encode("utf-8")


def _siting_rows(report: DistrictReport) -> list[tuple[str, str, str]]:
    """How the sites were chosen, as key/value rows (none when the report has no siting)."""
    if report.siting is None:
        return []
    said = report.siting.as_dict()
    described = {
        "objective": "coverage, set_cover or p_median", "status": "how the solve ended",
        "solution_from": "solver or greedy", "value": said["unit"],
        "best_possible": "the best value the solver proved possible",
        "optimality_gap": "relative; 0 when proven optimal",
        "solve_seconds": "", "improvement_over_greedy": said["unit"],
    }
    rows = [(f"siting:{key}", "" if said[key] is None else f"{said[key]}", meaning)
            for key, meaning in described.items()]
    rows.append(("siting:greedy_value", f"{said['greedy']['value']}", said["unit"]))
    rows.append(("siting:equity_weights", json.dumps(said["equity_weights"]), ""))
    return rows


def metadata_rows(report: DistrictReport) -> pd.DataFrame:
    """Key/value rows describing the run: the GeoPackage's ``report_metadata`` table."""
    from assetmap.analysis import GapThresholds

    descriptions = GapThresholds.descriptions()
    rows: list[tuple[str, str, str]] = [
        ("title", report.title, ""),
        ("district_code", report.district_code, ""),
        ("district_name", report.district_name, ""),
        ("generated", report.generated.isoformat(), "when the report was made (UTC)"),
        ("synthetic", "true" if report.synthetic else "false", "true: invented sample data"),
        ("notice", report.notice, ""),
        ("attribution", report.attribution, "licence lines the data requires, one per line"),
        ("fallback_units", report.fallback_units,
         "units ranked because parish boundaries are not loaded (empty: community areas)"),
        ("focus", report.focus_label, "community areas ranked"),
        ("n_sites", str(report.n_sites), "most candidate sites proposed"),
        *_siting_rows(report),
        ("crs", METRIC_CRS, "British National Grid metres"),
        ("method", METHOD_DOCUMENT, "the full method"),
    ]
    for name, value in report.thresholds.as_flat_dict().items():
        rows.append((f"threshold:{name}", f"{value:g}", descriptions.get(name, "")))
    for i, source in enumerate(report.sources, start=1):
        rows.append(
            (
                f"source:{i}",
                f"{source.name} | {source.detail} | {source.vintage} | {source.attribution}",
                "name | detail | vintage | attribution",
            )
        )
    for i, statement in enumerate(method_text(report), start=1):
        rows.append((f"method:{i}", statement, ""))
    for i, warning in enumerate(report.warnings, start=1):
        rows.append((f"warning:{i}", warning, ""))
    return pd.DataFrame(rows, columns=["key", "value", "description"])


def metadata_csv(report: DistrictReport) -> bytes:
    """The run described (thresholds, sources, full attribution, method) as a CSV sheet.

    The metadata file beside the ranked and candidate-site CSVs, so their rows carry one
    short Attribution column instead of every licence line in every row.
    """
    return table_csv_bytes(metadata_rows(report))


def _plain(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Columns GDAL can store: nullable ints and booleans as they are, the rest as text."""
    out = frame.copy()
    for column in out.columns:
        if column == out.geometry.name:
            continue
        values = out[column]
        if not (
            pd.api.types.is_numeric_dtype(values)
            or pd.api.types.is_bool_dtype(values)
            or pd.api.types.is_string_dtype(values)
        ):
            out[column] = values.map(lambda v: None if v is None or v != v else str(v))
    return out


def report_gpkg(report: DistrictReport) -> bytes:
    """A GeoPackage (EPSG:27700) with the report's layers and a ``report_metadata`` table.

    Layers: ``community_areas`` (ranked), ``small_areas`` (access of every small
    area of the district), ``hubs``, ``candidate_sites``; ``report_metadata``
    holds the thresholds, sources, method and warnings as key/value rows.
    """
    layers = {
        "community_areas": _columns(report.areas, AREA_FIELDS),
        "small_areas": _columns(report.result.small_areas, _SMALL_AREA_FIELDS),
        "hubs": _columns(report.hubs, _HUB_FIELDS),
        "candidate_sites": report.sites,
    }
    written: dict[str, GpkgLayer | pd.DataFrame] = {}
    for name, frame in layers.items():
        frame = _plain(to_metric(frame, name))
        polygons = bool(frame.geom_type.isin(["Polygon", "MultiPolygon"]).any())
        written[name] = GpkgLayer(
            frame,
            geometry_type="MultiPolygon" if polygons else "Point",
            promote_to_multi=polygons,
        )
    written["report_metadata"] = metadata_rows(report)
    return geopackage_bytes(written)
