"""The district report as one HTML page (web, standalone file, or print variant for the PDF).

The page is rendered from web/templates/report.html with autoescaping on; the
only markup passed through unescaped is made here (the folium map, whose data
travels as escaped JSON, and the chart SVG, whose text is XML-escaped).
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
from markupsafe import Markup

from assetmap import __version__
from assetmap.analysis import (
    METHOD_DOCUMENT,
    SUPPLY_COLUMN,
    DistrictReport,
    MethodSection,
    method_sections,
)
from assetmap.config import PROJECT_ROOT
from assetmap.maps.page import render_fragment
from assetmap.reports.chart import chart_text, uncovered_chart_svg
from assetmap.reports.html_tables import Cell, Table, frame_table, linked
from assetmap.reports.map import MapParts, build_report_map, map_parts
from assetmap.reports.siting import siting_form, siting_lines
from assetmap.reports.tables import (
    HEADLINE_COLUMNS,
    rank_band_column,
    ranked_table,
    sites_table,
    thresholds_table,
    uncovered_table,
)
from assetmap.reports.thresholds_form import ThresholdsForm, thresholds_form
from assetmap.reports.views import ScenarioView, equality_rows, stability_column, stale_figure
from assetmap.reports.wording import plain_words, threshold_label

__all__ = ["STATIC_DIR", "data_uri", "inline_static", "report_context", "report_html"]

STATIC_DIR = PROJECT_ROOT / "web" / "static"
REPORT_CSS = "/static/css/report.css"
SYNTHETIC_LABEL = "Synthetic sample data."
_SCRIPT_SRC = re.compile(r'<script src="/static/([^"]+)"></script>')
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="/static/([^"]+)"\s*/?>')
_CSS_URL = re.compile(r"url\((['\"]?)(?!data:|#|https?:)([^)'\"]+)\1\)")


def _thresholds(report: DistrictReport) -> Table:
    frame = thresholds_table(report)
    frame["Setting"] = [threshold_label(name) for name in frame["Setting"]]
    frame["Value"] = [f"{v:g}" for v in frame["Value"]]
    frame["Default"] = [f"{v:g}" if v is not None else "" for v in frame["Default"]]
    frame["Meaning"] = [plain_words(text) for text in frame["Meaning"]]
    table = frame_table(frame, "thresholds-table",
                        "Every threshold and weight this report used")
    columns = [Cell(c.text, c.text in ("Value", "Default"), c.css) for c in table.columns]
    rows = [
        [Cell(cell.text, column.numeric) for cell, column in zip(row, columns, strict=True)]
        for row in table.rows
    ]
    return Table(table.id, table.caption, columns, rows)


def _plain_method(report: DistrictReport) -> list[MethodSection]:
    """The method's sections with every code in plain words."""
    return [MethodSection(section.title, tuple(plain_words(p) for p in section.paragraphs))
            for section in method_sections(report)]


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.1%}" if whole else "n/a"


@dataclass(frozen=True)
class SummaryFigure:
    """One summary figure: what it is, the number, and a line of context."""

    label: str
    value: str
    detail: str = ""


def _figures(report: DistrictReport) -> list[SummaryFigure]:
    s = report.summary
    areas = report.areas
    population = float(s.get("population", 0.0))
    uncovered = float(s.get("uncovered_population", 0.0))
    unparished = float(s.get("unparished_population", 0.0))
    unparished_uncovered = float(s.get("unparished_uncovered_population", 0.0))
    flagged = int(areas["under_served"].sum()) if len(areas) else 0
    figures = [
        SummaryFigure("Residents in the district", f"{population:,.0f}"),
        SummaryFigure(
            "Residents outside every hub's catchment",
            f"{uncovered:,.0f}",
            f"{_share(uncovered, population)} of the district's residents",
        ),
        SummaryFigure("Hubs in the district", f"{int(s.get('hubs', 0)):,}"),
        SummaryFigure(
            f"{report.fallback_units or 'Community areas'} flagged under-served",
            f"{flagged:,} of {len(areas):,}",
            f"ranked areas ({report.focus_label})",
        ),
        SummaryFigure(
            "Residents of unparished areas",
            f"{unparished:,.0f}",
            f"{_share(unparished, population)} of the district; {unparished_uncovered:,.0f} "
            f"of them ({_share(unparished_uncovered, unparished)}) outside every catchment",
        )
        if not report.fallback_units
        else SummaryFigure(
            "Residents of unparished areas",
            "not known",
            "parish and unparished-area boundaries are not loaded",
        ),
    ]
    stale = stale_figure(report)
    if stale is not None:
        figures.append(SummaryFigure(*stale))
    supply = report.summary.get(SUPPLY_COLUMN)
    if report.supply is not None and supply is not None and supply == supply:
        figures.append(SummaryFigure(
            "Hub places per 1,000 residents",
            f"{supply:,.1f}",
            f"capacity shared among the residents in reach of each hub (E2SFCA, "
            f"{report.supply.decay} decay); {report.supply.hubs_known_capacity:,} of "
            f"{report.supply.hubs_used:,} hubs in reach give their capacity, the others "
            f"count as {report.supply.default_capacity:,}",
        ))
    if len(report.sites):
        before = float(report.sites.iloc[0]["uncovered_share_before"])
        after = float(report.sites.iloc[-1]["uncovered_share_after"])
        newly = float(report.sites["newly_covered_population"].sum())
        figures.append(
            SummaryFigure(
                f"If the {len(report.sites)} proposed sites became hubs",
                f"+{newly:,.0f} residents within a catchment",
                f"the district's share outside every catchment would fall from {before:.1%} "
                f"to {after:.1%}",
            )
        )
    return figures


def _safe_downloads(downloads: Mapping[str, str] | None) -> dict[str, str]:
    """Download links with a relative, http or https URL (never javascript: and the like)."""
    return {
        str(label): str(url)
        for label, url in (downloads or {}).items()
        if urlsplit(str(url)).scheme in ("", "http", "https")
    }


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _ranked(report: DistrictReport) -> Table:
    """The headline table: Rank, Area, Score, Under-served, Reasons (then stability, map)."""
    ranked = ranked_table(report)
    ranked["Rank"] = rank_band_column(report)  # tied shown scores read as a band, not an order
    ranked["Rank stability"] = stability_column(report)
    shown = ranked[[*HEADLINE_COLUMNS, "Rank stability"]].copy()
    shown["Reasons"] = [plain_words(text) for text in shown["Reasons"]]
    caption = (f"Community areas of {report.district_name} ranked from most to least "
               f"under-served ({report.focus_label})")
    table = frame_table(shown, "ranked-table", caption, row_header=1)
    return linked(table, "area", report.areas["code"].astype(str))


def _ranked_details(report: DistrictReport) -> Table:
    """The ranked areas' measures, in rank order: the details behind each score."""
    ranked = ranked_table(report)
    headline = [c for c in (*HEADLINE_COLUMNS, "Flags") if c != "Community area"]
    details = ranked.drop(columns=headline)
    caption = f"What each ranked area of {report.district_name} measures, in rank order"
    return frame_table(details, "ranked-details-table", caption, row_header=0)


def _sites(report: DistrictReport) -> Table:
    sites = sites_table(report).drop(columns=["Candidate id"])
    caption = f"Up to {report.n_sites} candidate sites, in the order picked"
    table = frame_table(sites, "sites-table", caption, row_header=2)
    return linked(table, "site", report.sites["rank"].astype(int))


def _groups(report: DistrictReport) -> dict[str, Any] | None:
    """The groups section: none when the store has no organisations at all."""
    if not report.known_groups.local and not report.known_groups.district_wide:
        return None
    frame = report.groups_by_area
    shown = pd.DataFrame({
        "Code": frame["code"], "Community area": frame["name"], "Hubs": frame["hub_count"],
        "Groups known to work there": [g or "none known" for g in frame["groups"]],
        "No hub and no known group": frame["no_hub_no_group"],
    })
    caption = f"Groups known to work in each ranked area of {report.district_name}"
    return {
        "table": frame_table(shown, "groups-table", caption, row_header=1),
        "sharpest": frame.loc[frame["no_hub_no_group"], "name"].astype(str).tolist(),
        "district_wide": str(frame["district_wide"].iloc[0]) if len(frame) else "",
    }


def report_context(
    report: DistrictReport,
    *,
    downloads: Mapping[str, str] | None = None,
    map_html: MapParts | None = None,
    map_image: str | None = None,
    detail_image: str | None = None,
    chart_image: str | None = None,
    print_variant: bool = False,
    scenario: ScenarioView | None = None,
    siting_query: Mapping[str, Any] | None = None,
    change_form: ThresholdsForm | None = None,
) -> dict[str, Any]:
    """Everything the template shows, formatted; shared by the web page and the PDF.

    ``scenario`` adds "today vs scenario" (``/reports/{district}?scenario=ID``).
    """
    chart = chart_text(report)
    return {
        "report": report,
        "title": report.title,
        "page_title": report.title + (" (synthetic sample data)" if report.synthetic else ""),
        "synthetic": report.synthetic,
        "notice": report.notice or "Invented places, people and assets: not real data.",
        "synthetic_label": SYNTHETIC_LABEL,
        "generated": f"{report.generated.day} {report.generated:%B %Y, %H:%M} UTC",
        "generated_iso": report.generated.isoformat(),
        "figures": _figures(report),
        "warnings": [plain_words(warning) for warning in report.warnings],
        "map": map_html,
        "map_image": map_image,
        "detail_image": detail_image,
        "chart": chart,
        "chart_svg": None if chart_image else Markup(uncovered_chart_svg(report)),
        "chart_image": chart_image,
        "chart_table": frame_table(
            uncovered_table(report).drop(columns=["Under-served"]),
            "chart-table",
            "Residents outside every catchment, by community area (the chart's data)",
        ),
        "ranked": _ranked(report),
        "ranked_details": _ranked_details(report),
        "sites": _sites(report),
        "groups": _groups(report),
        "siting_lines": [plain_words(line) for line in siting_lines(report)],
        "siting_form": siting_form(report, siting_query) if siting_query is not None else None,
        "method": _plain_method(report),
        "method_document": METHOD_DOCUMENT,
        "thresholds": _thresholds(report),
        "thresholds_form": change_form,
        "sources": report.sources,
        "attribution": report.attribution,
        "downloads": _safe_downloads(downloads),
        "print": print_variant,
        "scenario": scenario,
        "equality": equality_rows(report),
        "version": __version__,
        "report_css": REPORT_CSS,
    }


def _static_file(relative: str) -> bytes:
    path = (STATIC_DIR / relative).resolve()
    if not path.is_relative_to(STATIC_DIR.resolve()) or not path.is_file():
        raise FileNotFoundError(f"web/static/{relative} is missing; cannot inline it")
    return path.read_bytes()


def _inline_css(relative: str) -> str:
    """A stylesheet's text with its relative url(...) files inlined as data: URIs."""
    folder = (STATIC_DIR / relative).parent
    text = _static_file(relative).decode("utf-8")

    def embed(match: re.Match[str]) -> str:
        target = (folder / match.group(2)).resolve()
        if not target.is_relative_to(STATIC_DIR.resolve()) or not target.is_file():
            return match.group(0)
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return f'url("{data_uri(target.read_bytes(), mime)}")'

    return _CSS_URL.sub(embed, text).replace("</style", "<\\/style")


def inline_static(page: str) -> str:
    """Replace every /static/ script and stylesheet link with the file's contents."""

    def script(match: re.Match[str]) -> str:
        code = _static_file(match.group(1)).decode("utf-8").replace("</script", "<\\/script")
        return f"<script>\n{code}\n</script>"

    def stylesheet(match: re.Match[str]) -> str:
        return f"<style>\n{_inline_css(match.group(1))}\n</style>"

    return _STYLESHEET.sub(stylesheet, _SCRIPT_SRC.sub(script, page))


def report_html(
    report: DistrictReport,
    *,
    downloads: Mapping[str, str] | None = None,
    standalone: bool = False,
    basemap_url: str | None = None,
    basemap_attribution: str = "",
    scenario: ScenarioView | None = None,
    siting_query: Mapping[str, Any] | None = None,
    shell: Any = None,
    service_name: str = "",
) -> str:
    """The report page. ``downloads`` maps a label to a URL ({"CSV": "/reports/….csv"}).

    Given the council's ``shell`` (``api.shell.ServiceShell``: name, logo, footer links),
    the served page has its header and footer; a saved or printed report goes without.

    With ``standalone`` every local script and stylesheet is inlined, so the saved
    file works opened from disk with no server and no internet. Given
    ``siting_query`` (the request's parameters), the page has a form to choose the
    siting objective again, keeping the other parameters.
    """
    fmap = build_report_map(
        report, basemap_url=basemap_url, basemap_attribution=basemap_attribution
    )
    page = render_fragment(
        "report.html",
        **report_context(report, downloads=downloads, map_html=map_parts(fmap), scenario=scenario,
                         siting_query=siting_query,
                         change_form=None if standalone else thresholds_form(
                             report.thresholds.as_flat_dict(), dict(siting_query or {}))),
        shell=None if standalone else shell, service_name=service_name,
    )
    return inline_static(page) if standalone else page
