"""What the report says about how its sites were chosen, and the form to choose again.

The sentences state the objective, the value found, whether it is proven optimal (or
the gap HiGHS proved), the solve time and the greedy answer beside it, and the equity
weights used; the form lets a planner pick another objective on the web page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assetmap.analysis import OBJECTIVES, STATUS_TOO_LARGE, DistrictReport, SitingResult

__all__ = ["SitingForm", "siting_form", "siting_lines"]

_LABELS = {
    "coverage": "Most residents newly within a catchment (maximal covering)",
    "set_cover": "Fewest new hubs to reach a target share (set covering)",
    "p_median": "Shortest mean distance to a hub (p-median)",
}
# Parameters the form sets itself; every other one in the query is kept as it was.
_FORM_FIELDS = ("objective", "sites", "target_pct", "equity_weights")


def _value(result: SitingResult, value: float) -> str:
    if result.objective == "coverage":
        weighted = " weighted" if result.equity["enabled"] else ""
        return f"{value:,.0f}{weighted} residents"
    if result.objective == "set_cover":
        return f"{value:,.0f} new site{'s' if value != 1 else ''}"
    return f"{value:,.0f} m" + (" (weighted mean)" if result.equity["enabled"] else "")


def _proof(result: SitingResult) -> str:
    exact = result.exact
    if exact.status.startswith("optimal"):
        return "proven optimal"
    if exact.status == STATUS_TOO_LARGE:
        return ("but the model is too large to solve exactly within the time limit, so the "
                "greedy answer is shown, with no proven bound.")
    if math.isfinite(exact.bound):
        proved = (f"a proven gap of {exact.gap:.2%} (no answer could be better than "
                  f"{_value(result, exact.bound)})")
    else:
        proved = "no bound proven yet"
    source = (" The greedy answer is shown: the solver found nothing better in time."
              if exact.source == "greedy" else "")
    return f"the solver stopped at its {result.time_limit_s:g} s limit with {proved}." + source


def _comparison(result: SitingResult) -> str:
    greedy, gain = result.greedy, result.improvement
    if gain is None:
        return ""
    said = f"Greedy picking gives {_value(result, greedy.value)} ({greedy.seconds:.2f} s)"
    if gain <= 1e-9:
        return f"{said}: here it is as good as the optimum, so its picks are shown."
    share = result.improvement_share
    better = {"coverage": "more", "set_cover": "fewer", "p_median": "shorter"}[result.objective]
    amount = _value(result, gain)
    return f"{said}; this answer is {amount} {better}" + (f" ({share:.1%})." if share else ".")


def _equity(result: SitingResult) -> str:
    weights = result.equity
    if not weights["enabled"]:
        return "Every resident counts the same."
    return (f"Equity weights: a resident of an unparished area counts {weights['unparished']:g} "
            f"times, one in IMD deciles 1–{weights['deprived_deciles']} {weights['deprived']:g} "
            f"times (both multiply) in the objective; the table's residents are real people.")


def siting_lines(report: DistrictReport) -> list[str]:
    """Sentences saying how the sites were chosen and how good the answer is."""
    result = report.siting
    if result is None:
        return []
    ask = OBJECTIVES[result.objective]
    if result.objective == "set_cover":
        ask = ask.replace("a target share", f"{result.target_share or 0:.0%}")
    else:
        ask = ask.replace("N new hubs", f"{result.requested_sites} new hubs")
    if result.exact.status == "target not reachable":
        return [f"Objective: {ask}.", "Even every candidate together cannot bring that share of "
                "the district's residents within a catchment; lower the target.", _equity(result)]
    found = (f"Objective: {ask}. Solved exactly with HiGHS: "
             f"{_value(result, result.exact.value)}, {_proof(result)}")
    found += "" if found.endswith(".") else f", in {result.exact.seconds:.2f} s."
    return [found, _comparison(result), _equity(result)]


@dataclass(frozen=True)
class SitingForm:
    """The objective form: choices, current values, and the query to keep."""

    objectives: tuple[tuple[str, str, bool], ...]  # value, label, checked
    sites: int
    target_pct: float
    equity: bool
    hidden: tuple[tuple[str, str], ...]


def siting_form(report: DistrictReport, query: Mapping[str, Any]) -> SitingForm:
    """The form's state for ``report``, keeping ``query``'s other parameters."""
    result = report.siting
    objective = result.objective if result else "coverage"
    target = (result.target_share if result and result.target_share is not None else 0.95)
    return SitingForm(
        objectives=tuple((name, _LABELS[name], name == objective) for name in OBJECTIVES),
        sites=report.n_sites,
        target_pct=round(target * 100, 1),
        equity=bool(result and result.equity["enabled"]),
        hidden=tuple((str(k), str(v)) for k, v in query.items() if k not in _FORM_FIELDS),
    )
