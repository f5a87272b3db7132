"""The report's map as a PNG, drawn with matplotlib (for the PDF: no browser needed)."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from assetmap.analysis import DistrictReport
from assetmap.reports.palette import (
    BOUNDARY_COLOUR,
    CATCHMENT_COLOUR,
    HUB_COLOUR,
    OUTLINE_COLOUR,
    SCORE_BANDS,
    SITE_COLOUR,
    UNRANKED_FILL,
    band_label,
    score_colour,
)

__all__ = ["needs_detail_map", "report_map_png"]

def _scale_bar(axes: Any, west: float, east: float, y: float, height: float) -> None:
    """A scale bar of a round length at the lower right, in the padding below the map."""
    target = (east - west) / 5
    steps = (100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000)
    length = max((n for n in steps if n <= target), default=100)
    x = east - length
    axes.plot([x, x + length], [y, y], color=BOUNDARY_COLOUR, linewidth=3, solid_capstyle="butt")
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length} m"
    axes.text(x + length / 2, y + height * 0.012, label, ha="center", va="bottom", fontsize=8)


def _extent(report: DistrictReport, detail: bool) -> tuple[float, float, float, float]:
    if detail and len(report.areas):
        west, south, east, north = report.areas.total_bounds
        margin = max(east - west, north - south) * 0.08
        return west - margin, south - margin, east + margin, north + margin
    frame = report.boundary if len(report.boundary) else report.district_areas
    if not len(frame):
        return 0.0, 0.0, 1.0, 1.0
    west, south, east, north = frame.total_bounds
    return float(west), float(south), float(east), float(north)


def needs_detail_map(report: DistrictReport, share: float = 0.25) -> bool:
    """True when the ranked areas fill less than ``share`` of the district map's extent."""
    if not len(report.areas):
        return False
    west, south, east, north = _extent(report, detail=False)
    d_west, d_south, d_east, d_north = _extent(report, detail=True)
    whole = (east - west) * (north - south)
    return bool(whole > 0 and (d_east - d_west) * (d_north - d_south) < share * whole)


def _draw_areas(axes: Any, report: DistrictReport, handles: list[Any]) -> None:
    """Unranked parished areas (dashed), ranked areas by score, the district outline."""
    ranked = set(report.areas["code"].astype(str))
    others = report.district_areas[~report.district_areas["code"].astype(str).isin(ranked)]
    if len(others):
        others.plot(
            ax=axes, color=UNRANKED_FILL, edgecolor=OUTLINE_COLOUR, linewidth=0.6, linestyle="--"
        )
        handles.append(
            Patch(facecolor=UNRANKED_FILL, edgecolor=OUTLINE_COLOUR, linestyle="--",
                  label="Parished area (not ranked)")
        )
    if len(report.areas):
        colours = [score_colour(float(s)) for s in report.areas["score"]]
        report.areas.plot(ax=axes, color=colours, edgecolor=OUTLINE_COLOUR, linewidth=0.6)
    for low, high, colour in SCORE_BANDS:
        handles.append(
            Patch(
                facecolor=colour, edgecolor=OUTLINE_COLOUR, label=f"Score {band_label(low, high)}"
            )
        )
    if len(report.boundary):
        report.boundary.boundary.plot(ax=axes, color=BOUNDARY_COLOUR, linewidth=1.8)


def _draw_hubs(axes: Any, report: DistrictReport, handles: list[Any]) -> None:
    """Hubs (filled in the district, hollow outside) and their catchment circles."""
    hubs = report.hubs
    if len(hubs):
        drawable = hubs[np.isfinite(hubs["catchment_m"].to_numpy(float))]
        if len(drawable):
            drawable.geometry.buffer(drawable["catchment_m"].to_numpy(float), 32).boundary.plot(
                ax=axes, color=CATCHMENT_COLOUR, linewidth=0.5, alpha=0.55
            )
        inside = hubs["in_district"].to_numpy(bool)
        if inside.any():
            hubs[inside].plot(ax=axes, color=HUB_COLOUR, edgecolor="white", markersize=36,
                              linewidth=0.8, zorder=4)
        if (~inside).any():
            hubs[~inside].plot(ax=axes, color="white", edgecolor=HUB_COLOUR, markersize=36,
                               linewidth=1.2, zorder=4)
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=7,
                              markerfacecolor=HUB_COLOUR, markeredgecolor="white", label="Hub"))
        if (~inside).any():
            handles.append(Line2D([], [], marker="o", linestyle="", markersize=7,
                                  markerfacecolor="white", markeredgecolor=HUB_COLOUR,
                                  label="Hub outside the district"))
        handles.append(Line2D([], [], color=CATCHMENT_COLOUR, linewidth=1,
                              label="Hub catchment"))


def _draw_sites(axes: Any, report: DistrictReport, handles: list[Any]) -> None:
    """Candidate sites, numbered by rank."""
    sites = report.sites
    for rank, point in zip(sites["rank"], sites.geometry, strict=True):
        axes.annotate(
            str(int(rank)), (point.x, point.y), ha="center", va="center", fontsize=8,
            fontweight="bold", color="white", zorder=6,
            bbox={"boxstyle": "square,pad=0.3", "facecolor": SITE_COLOUR, "edgecolor": "white"},
        )
    if len(sites):
        handles.append(Line2D([], [], marker="s", linestyle="", markersize=8,
                              markerfacecolor=SITE_COLOUR, markeredgecolor="white",
                              label="Candidate site (number = rank)"))


def report_map_png(report: DistrictReport, dpi: int = 150, *, detail: bool = False) -> bytes:
    """The report map drawn with matplotlib (EPSG:27700), as PNG bytes for the PDF.

    ``detail`` zooms to the ranked community areas (see :func:`needs_detail_map`).
    """
    west, south, east, north = _extent(report, detail)
    span = max(east - west, north - south, 1.0)
    pad, pad_below = span * 0.02, span * 0.08
    aspect = (north - south + pad + pad_below) / (east - west + 2 * pad)
    map_width = 6.0
    map_height = min(max(map_width * aspect, 3.0), 8.5)
    figure = Figure(figsize=(map_width + 2.7, map_height + 0.7), dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_aspect("equal")
    axes.set_axis_off()
    handles: list[Any] = []
    _draw_areas(axes, report, handles)
    _draw_hubs(axes, report, handles)
    _draw_sites(axes, report, handles)
    axes.set_xlim(west - pad, east + pad)
    axes.set_ylim(south - pad_below, north + pad)
    _scale_bar(axes, west, east, south - pad_below * 0.6, north - south)
    figure.legend(handles=handles, loc="outside right upper", fontsize=8, frameon=False)
    axes.set_title(
        f"{report.district_name}: "
        + ("detail of the ranked areas" if detail else "community areas by score"),
        loc="left",
        fontsize=11,
    )
    figure.text(0.01, 0.005, "British National Grid; north is up. No basemap.", fontsize=7)
    buffer = io.BytesIO()
    with rc_context({"font.family": "DejaVu Sans"}):
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()
