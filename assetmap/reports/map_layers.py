"""The district's data as map layers: areas by score, unranked parishes, outline, hubs, sites.

Text from the data reaches the browser only as JSON (escaped for <script>) and,
for tooltips that folium inserts as HTML, pre-escaped with :func:`html.escape`.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd

import folium
import geopandas as gpd
import shapely
import shapely.geometry

from assetmap.analysis import DistrictReport
from assetmap.crs import to_metric, to_web
from assetmap.reports.palette import (
    BOUNDARY_COLOUR,
    CATCHMENT_COLOUR,
    HUB_COLOUR,
    OUTLINE_COLOUR,
    UNRANKED_FILL,
    score_colour,
)
from assetmap.reports.tables import GOVERNANCE_LABELS

__all__ = [
    "area_layer",
    "boundary_layer",
    "catchment_layer",
    "hub_layer",
    "site_layer",
    "unranked_layer",
]

_DRAW_TOLERANCE_M = 5.0  # invisible at district scale; keeps the embedded GeoJSON small


def _e(value: Any) -> str:
    """Text for HTML that folium inserts unescaped (tooltips): escaped, empty for missing."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return html.escape(str(value))


def _features(
    frame: gpd.GeoDataFrame, properties: list[dict[str, Any]], ids: list[str]
) -> dict[str, Any]:
    """A FeatureCollection in lon/lat; boundaries simplified to 5 m for drawing."""
    metric = to_metric(frame, "report layer")
    metric = metric.set_geometry(metric.geometry.simplify(_DRAW_TOLERANCE_M), crs=metric.crs)
    web = to_web(metric, "report layer")
    web = web.set_geometry(
        shapely.transform(web.geometry.to_numpy(), lambda xy: np.round(xy, 6)), crs=web.crs
    )
    features = [
        {
            "type": "Feature",
            "id": feature_id,
            "properties": props,
            "geometry": shapely.geometry.mapping(geom),
        }
        for feature_id, props, geom in zip(ids, properties, web.geometry, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def area_layer(report: DistrictReport) -> folium.GeoJson | None:
    areas = report.areas
    if not len(areas):
        return None
    names = areas["name"] if "name" in areas.columns else areas["code"]
    properties = [
        {
            "colour": score_colour(float(score)),
            "label_name": _e(name),
            "label_rank": _e(rank),  # the band: ranks whose shown scores tie share one
            "label_score": _e(f"{score:.1f}"),
            "label_reasons": _e(reasons or "no flag"),
        }
        for name, rank, score, reasons in zip(
            names, areas["rank_band"], areas["score"], areas["reasons"], strict=True
        )
    ]
    data = _features(areas, properties, [str(c) for c in areas["code"]])
    return folium.GeoJson(
        data,
        name="Community areas by score",
        style_function=lambda feature: {
            "fillColor": feature["properties"]["colour"],
            "fillOpacity": 0.75,
            "color": OUTLINE_COLOUR,
            "weight": 1,
        },
        highlight_function=lambda feature: {"weight": 3, "color": BOUNDARY_COLOUR},
        tooltip=folium.GeoJsonTooltip(
            fields=["label_name", "label_rank", "label_score", "label_reasons"],
            aliases=["Community area", "Rank", "Score (0–100)", "Reasons"],
            sticky=True,
        ),
    )


def unranked_layer(report: DistrictReport) -> folium.GeoJson | None:
    ranked = set(report.areas["code"].astype(str))
    others = report.district_areas[~report.district_areas["code"].astype(str).isin(ranked)]
    if not len(others):
        return None
    names = others["name"] if "name" in others.columns else others["code"]
    governance = others.get("governance", pd.Series("", index=others.index))
    properties = [
        {
            "label_name": _e(name),
            "label_governance": _e(GOVERNANCE_LABELS.get(str(g), str(g))),
            "label_note": "Not ranked: this report ranks unparished areas only",
        }
        for name, g in zip(names, governance, strict=True)
    ]
    data = _features(others, properties, [str(c) for c in others["code"]])
    return folium.GeoJson(
        data,
        name="Parished areas (not ranked)",
        style={
            "fillColor": UNRANKED_FILL,
            "fillOpacity": 0.6,
            "color": OUTLINE_COLOUR,
            "weight": 1,
            "dashArray": "4 4",
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["label_name", "label_governance", "label_note"],
            aliases=["Community area", "Governance", "Note"],
        ),
    )


def boundary_layer(report: DistrictReport) -> folium.GeoJson | None:
    if not len(report.boundary):
        return None
    data = _features(report.boundary, [{}] * len(report.boundary), ["district"])
    return folium.GeoJson(
        data,
        name="District boundary",
        style={"fill": False, "color": BOUNDARY_COLOUR, "weight": 3},
        interactive=False,
    )


def catchment_layer(report: DistrictReport) -> folium.GeoJson | None:
    hubs = report.hubs
    hubs = hubs[np.isfinite(hubs["catchment_m"].to_numpy(float))]
    if not len(hubs):
        return None
    circles = to_metric(hubs, "hubs").geometry.buffer(hubs["catchment_m"].to_numpy(float), 16)
    frame = gpd.GeoDataFrame(geometry=circles, crs=hubs.crs)
    data = _features(frame, [{}] * len(frame), [str(i) for i in range(len(frame))])
    return folium.GeoJson(
        data,
        name="Hub catchments",
        style={
            "color": CATCHMENT_COLOUR,
            "weight": 1,
            "opacity": 0.8,
            "fillColor": CATCHMENT_COLOUR,
            "fillOpacity": 0.05,
        },
        interactive=False,
    )


def hub_layer(report: DistrictReport) -> folium.GeoJson | None:
    hubs = report.hubs
    if not len(hubs):
        return None
    names = hubs["name"] if "name" in hubs.columns else hubs.index.astype(str)
    properties = [
        {
            "inside": bool(inside),
            "label_name": _e(name),
            "label_category": _e(str(category).replace("_", " ").capitalize()),
            "label_status": _e(str(status).replace("_", " ")),
            "label_where": "in the district" if inside else "outside the district",
        }
        for name, category, status, inside in zip(
            names, hubs["category"], hubs["status"], hubs["in_district"], strict=True
        )
    ]
    ids = [f"hub-{i}" for i in range(len(hubs))]
    return folium.GeoJson(
        _features(hubs, properties, ids),
        name="Hubs",
        marker=folium.CircleMarker(radius=6, weight=2, fill=True, fill_opacity=1),
        style_function=lambda feature: {
            "color": "#ffffff" if feature["properties"]["inside"] else HUB_COLOUR,
            "fillColor": HUB_COLOUR if feature["properties"]["inside"] else "#ffffff",
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["label_name", "label_category", "label_status", "label_where"],
            aliases=["Hub", "Category", "Status", "Where"],
        ),
    )


def site_layer(report: DistrictReport) -> folium.FeatureGroup | None:
    sites = report.sites
    if not len(sites):
        return None
    group = folium.FeatureGroup(name="Candidate sites (numbered by rank)")
    web = to_web(sites, "candidate sites")
    # The numbers are marks, not controls: sites are often closer together than a
    # 24-pixel target allows (WCAG 2.5.8), and the "Candidate sites" table, numbered
    # the same way, holds everything about each one.
    for row, point in zip(web.to_dict("records"), web.geometry, strict=True):
        rank = int(row["rank"])
        folium.Marker(
            location=(float(point.y), float(point.x)),
            icon=folium.DivIcon(
                html=f'<span class="rm-site-badge" aria-hidden="true">{rank}</span>',
                icon_size=(26, 26),
                icon_anchor=(13, 13),
                class_name="rm-site",
            ),
            interactive=False,
            keyboard=False,
        ).add_to(group)
    return group

