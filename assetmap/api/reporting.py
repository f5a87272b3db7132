"""What the gap-report endpoints share: their options from the query, and download links.

``/api/gaps`` (``routes/gaps.py``) and ``/reports/{district}`` (``pages/reports.py``)
take the same options: ``all_areas``, ``sites``, the siting's (``SITING``: objective,
target share, equity weights, time limit, planner points), the E2SFCA ``decay`` and
any threshold by name.
"""

from __future__ import annotations

from fastapi import Request

from assetmap.analysis import (
    DECAYS,
    DistrictReport,
    ReportOptions,
    ReportService,
    parse_planner_points,
    parse_siting_options,
)
from assetmap.config import Settings
from assetmap.errors import ValidationFailed
from assetmap.reports.downloads import DOWNLOADS

__all__ = ["RESERVED", "SITING", "report_links", "report_options"]

# The siting's and the E2SFCA's parameters (see README, "Gap analysis").
SITING = {"objective", "target_pct", "equity_weights", "equity_unparished", "equity_deprived",
          "time_limit", "points", "decay"}
# Parameters that are not threshold overrides.
RESERVED = {"district", "all_areas", "sites", "close", "open", "scenario"} | SITING


def report_options(
    request: Request, reports: ReportService, settings: Settings, *, all_areas: bool,
    sites: int | None,
) -> ReportOptions:
    """The request's options; any other parameter overrides the threshold it names."""
    query = request.query_params
    count = settings.report_sites if sites is None else sites
    points = parse_planner_points(query.get("points"))
    decay = query.get("decay") or "gaussian"
    if decay not in DECAYS:
        raise ValidationFailed(
            f"decay={decay!r}: use one of {', '.join(DECAYS)}.",
            details=[{"field": "decay", "problem": f"must be one of {', '.join(DECAYS)}"}],
        )
    return reports.options(
        [(k, v) for k, v in query.items() if k not in RESERVED],
        all_areas=all_areas,
        sites=count,
        siting=parse_siting_options(dict(query), count, points),
        decay=decay,
    )


def report_links(report: DistrictReport, query: str) -> dict[str, str]:
    """Download links for a report by title ("Ranked areas (CSV)"), keeping its options."""
    suffix = f"?{query}" if query else ""
    base = f"/reports/{report.district_code}"
    return {f"{d.title} ({d.kind})": f"{base}.{d.extension}{suffix}" for d in DOWNLOADS}
