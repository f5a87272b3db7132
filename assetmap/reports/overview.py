"""The county overview: every district ranked by its gaps, for the ``/reports`` page.

Districts are ranked by the share of their residents outside every hub's catchment
(the report's headline figure), then by how many of their ranked areas are flagged
under-served; the page says so, so a councillor can read the order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assetmap.analysis import DistrictReport

__all__ = ["DistrictGap", "county_overview"]


@dataclass(frozen=True)
class DistrictGap:
    rank: int
    code: str
    name: str
    population: int
    uncovered: int
    uncovered_share: float  # 0–1
    flagged: int  # ranked areas flagged under-served
    ranked: int  # areas ranked (the report's focus)
    hubs: int


def _gap(report: DistrictReport) -> tuple[str, str, int, int, float, int, int, int]:
    summary = report.summary
    population = round(float(summary.get("population", 0.0)))
    uncovered = round(float(summary.get("uncovered_population", 0.0)))
    flagged = int(report.areas["under_served"].sum()) if len(report.areas) else 0
    return (report.district_code, report.district_name, population, uncovered,
            uncovered / population if population else 0.0, flagged, len(report.areas),
            int(summary.get("hubs", 0)))


def county_overview(reports: Iterable[DistrictReport]) -> list[DistrictGap]:
    """The districts, largest share outside every catchment first (then most flagged areas)."""
    gaps = sorted((_gap(report) for report in reports), key=lambda g: (-g[4], -g[5], g[1]))
    return [DistrictGap(rank, *gap) for rank, gap in enumerate(gaps, start=1)]
