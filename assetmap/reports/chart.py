"""Bar chart of residents outside every catchment, by community area.

Drawn with matplotlib's object API on an Agg canvas (no pyplot, no global
backend switch, safe in a server). The SVG carries a <title> and <desc> for screen readers and is
byte-for-byte repeatable; the PNG is for the PDF.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import pandas as pd
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from assetmap.analysis import DistrictReport
from assetmap.reports.tables import ranked_table, uncovered_table

__all__ = ["MAX_BARS", "ChartText", "chart_text", "uncovered_chart_png", "uncovered_chart_svg"]

MAX_BARS = 25
# Okabe–Ito palette: distinguishable with every common colour-vision deficiency.
UNDER_SERVED_COLOUR = "#D55E00"  # vermilion
OTHER_COLOUR = "#0072B2"  # blue
TEXT_COLOUR = "#1b1b1b"
_RC: dict[Any, Any] = {  # matplotlib types its keys as literals
    "svg.hashsalt": "assetmap-report",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.edgecolor": "#4a4a4a",
    "axes.labelcolor": TEXT_COLOUR,
    "xtick.color": TEXT_COLOUR,
    "ytick.color": TEXT_COLOUR,
}
_SVG_ID = "uncovered-chart"


@dataclass(frozen=True)
class ChartText:
    title: str
    description: str


def _bars(report: DistrictReport) -> tuple[pd.DataFrame, int, int]:
    """Areas with anyone outside every catchment (most first, at most MAX_BARS), and counts.

    Returns the rows to draw, how many areas have someone outside, and how many are ranked.
    """
    table = uncovered_table(report)
    outside = table[table["Residents outside every catchment"].fillna(0) > 0]
    return outside.head(MAX_BARS), len(outside), len(table)


def chart_text(report: DistrictReport) -> ChartText:
    """The chart's title and a text description of what it shows."""
    bars, with_outside, ranked = _bars(report)
    title = f"Residents outside every catchment, by community area: {report.district_name}"
    if report.view:
        title += f" ({report.view})"
    if not ranked:
        return ChartText(title, "No community areas were ranked, so there is nothing to chart.")
    if not with_outside:
        return ChartText(
            title,
            f"Every resident of the {ranked} ranked community areas lives within a hub's "
            f"catchment, so there are no bars to draw.",
        )
    total = int(bars["Residents outside every catchment"].sum())
    top = bars.iloc[0]
    shown = (
        f"the {len(bars)} with the most, of {with_outside} community areas"
        if with_outside > len(bars)
        else f"the {with_outside} community areas"
    )
    none = ranked - with_outside
    description = (
        f"Horizontal bar chart of {shown} where someone lives outside every catchment, "
        f"most first; {total:,} residents in the bars. The most is {top['Community area']} "
        f"with {int(top['Residents outside every catchment']):,}. "
        + (
            f"The other {none} ranked area{' has' if none == 1 else 's have'} no one outside. "
            if none
            else ""
        )
        + "Under-served areas are drawn in vermilion, others in blue. "
        + _order_note(report, bars)
        + "The ranked table gives every figure."
    )
    return ChartText(title, description)


def _order_note(report: DistrictReport, bars: pd.DataFrame) -> str:
    """Why the bars' order is not the rank order, when it is not (said, never left to guess)."""
    drawn = bars["Community area"].tolist()
    ranked = [name for name in ranked_table(report)["Community area"] if name in set(drawn)]
    if ranked == drawn:
        return "The bars are also in rank order. "
    return ("The bars are in order of residents outside every catchment, not in rank order: "
            "the rank's score also weighs distance to a hub, residents per hub and "
            "deprivation, and counts shares rather than numbers of people. ")


def _figure(report: DistrictReport) -> Figure:
    table, _, ranked = _bars(report)
    text = chart_text(report)
    height = 1.0 + 0.28 * max(len(table), 3)
    figure = Figure(figsize=(7.5, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    figure.set_label(text.title)
    axes = figure.add_subplot()
    if not len(table):
        message = (
            "No community areas were ranked."
            if not ranked
            else "Every resident of the ranked areas is within a hub's catchment."
        )
        figure.set_size_inches(7.5, 1.0)
        axes.text(0.5, 0.5, message, ha="center", va="center", fontsize=10)
        axes.set_axis_off()
        return figure
    values = table["Residents outside every catchment"].astype(float).to_numpy()
    labels = table["Community area"].astype(str).to_numpy()
    colours = [UNDER_SERVED_COLOUR if u else OTHER_COLOUR for u in table["Under-served"]]
    positions = range(len(table))
    axes.barh(positions, values, color=colours, height=0.7)
    axes.set_yticks(list(positions), labels=labels)
    axes.invert_yaxis()
    axes.set_xlabel("Residents outside every catchment")
    axes.spines[["top", "right"]].set_visible(False)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    limit = float(values.max())
    axes.set_xlim(0, limit * 1.15)
    for position, value in zip(positions, values, strict=True):
        axes.text(value + limit * 0.01, position, f"{value:,.0f}", va="center", fontsize=8)
    flags = set(table["Under-served"].astype(bool))
    handles = [
        Patch(color=colour, label=label)
        for flag, colour, label in (
            (True, UNDER_SERVED_COLOUR, "Under-served"),
            (False, OTHER_COLOUR, "Not under-served"),
        )
        if flag in flags
    ]
    figure.legend(handles=handles, loc="outside upper right", ncols=2, frameon=False)
    return figure


def uncovered_chart_svg(report: DistrictReport) -> str:
    """The chart as SVG text with <title> and <desc>, role="img", no date or random ids."""
    text = chart_text(report)
    buffer = io.StringIO()
    with rc_context(_RC):
        _figure(report).savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    start = svg.index("<svg")
    end = svg.index(">", start)
    opening = (
        svg[start:end]
        + f' role="img" aria-labelledby="{_SVG_ID}-title"'
        + ">"
        + f'<title id="{_SVG_ID}-title">{escape(text.title)}</title>'
        + f'<desc id="{_SVG_ID}-desc">{escape(text.description)}</desc>'
    )
    # Drop the XML declaration and DOCTYPE: the SVG is placed inline in HTML.
    return opening + svg[end + 1 :]


def uncovered_chart_png(report: DistrictReport, dpi: int = 150) -> bytes:
    """The chart as PNG (for the PDF)."""
    buffer = io.BytesIO()
    with rc_context({**_RC, "svg.fonttype": "path"}):
        _figure(report).savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()
