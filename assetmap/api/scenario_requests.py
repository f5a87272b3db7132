"""What the scenario endpoints share: a change from the query, run against the live register.

``/api/gaps?close=…&open=…`` (``routes/gaps.py``), saved scenarios
(``routes/scenarios.py``) and ``/reports/{district}?scenario=ID``
(``pages/reports.py``) all run a change through here, on the county's coverage
index that :class:`~assetmap.analysis.ReportService` keeps per store version.
"""

from __future__ import annotations

from assetmap.analysis import (
    Change,
    GapThresholds,
    ReportService,
    ScenarioOutcome,
    check_change,
    evaluate_scenario,
    parse_close,
    parse_open,
)
from assetmap.register.scenarios import SavedScenario, saved_scenario
from assetmap.store import Store

__all__ = ["change_from_query", "run_change", "run_saved"]


def change_from_query(close: str | None, open_points: str | None) -> Change:
    """``close=ID,ID`` and ``open=LON,LAT;LON,LAT``, checked for form (422 naming the bad part)."""
    return Change(close=parse_close(close), open=parse_open(open_points))


def run_change(
    reports: ReportService, thresholds: GapThresholds, district_code: str, change: Change,
    *, strict: bool = True,
) -> ScenarioOutcome:
    """The change's outcome for a district; ``strict`` refuses ids that are not hubs."""
    index = reports.coverage(thresholds)
    return evaluate_scenario(index, check_change(index, change, strict=strict), district_code)


def run_saved(
    reports: ReportService, store: Store, scenario_id: int, thresholds: GapThresholds
) -> tuple[SavedScenario, ScenarioOutcome]:
    """A saved scenario re-run against the register now (ids gone since reported, not refused)."""
    saved = saved_scenario(store, scenario_id)
    change = Change(close=saved.close, open=parse_open(saved.open))
    return saved, run_change(reports, thresholds, saved.district, change, strict=False)
