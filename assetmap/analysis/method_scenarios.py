"""The method's statements on scenarios, equality, stale records and rank stability.

Part of :mod:`assetmap.analysis.method` (its ``SECTIONS`` list these), kept here so
each module stays one concern; ``DETAILS`` is what docs/METHOD.md adds to each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from assetmap.analysis.equality import decile_bands
from assetmap.analysis.stability import StabilityRanges
from assetmap.analysis.thresholds import GapThresholds

if TYPE_CHECKING:
    from assetmap.analysis.method import MethodFacts

__all__ = ["DETAILS", "SECTIONS"]


def _and(items: list[str]) -> str:
    return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else "".join(items)


def _scenarios(f: MethodFacts) -> tuple[str, ...]:
    deprived = f.thresholds.deprived_label
    return (
        "A scenario closes hubs (by asset id) and opens hubs at points, and is answered "
        "against today with the same catchments, flags and thresholds: the residents newly "
        "outside every catchment and those newly inside, each by IMD decile band, share aged "
        "65+ and residents of unparished areas; the district's residents outside every "
        "catchment before and after; and every community area whose flags change.",
        "A closed hub stops counting everywhere; an opened hub counts from its point, in the "
        "community area that point lies in, for every small area whose catchment reaches it. "
        "Hubs across district lines still count, so a closure can leave residents of a "
        "neighbouring district without a hub.",
        "When an officer closes an asset or marks it at risk, or accepts a resident's report "
        "that a place has closed, the confirmation step shows the residents who would lose "
        "their only hub within reach (those of small areas whose catchment holds that hub "
        f"and no other, across the county) and how many of them live in {deprived} or in "
        "unparished areas; the change's audit entry keeps these figures.",
    )


def _equality(f: MethodFacts) -> tuple[str, ...]:
    bands = _and([band.label.removeprefix("IMD ") for band in
                  decile_bands(f.thresholds.deprived_deciles)])
    return (
        "The equality view gives, for the residents outside every catchment and for all the "
        f"district's residents, how many live in each IMD decile band ({bands}), how many "
        "are aged 65 or over, and how many live in unparished areas.",
        "Residents aged 65+ are estimated as each small area's residents times its share aged "
        "65+. Small areas with no decile or no share are counted as \"not known\", never "
        "guessed.",
    )


def _freshness(f: MethodFacts) -> tuple[str, ...]:
    days = f"{f.stale_after_days:,}"
    return (
        f"Coverage is also computed counting only hubs whose record was checked "
        f"(last_verified) fewer than {days} days before the report; a hub never checked "
        f"counts as stale, as on the officers' list of stale records. The difference, as a "
        f"share of the residents within a catchment, is the district's coverage that rests "
        f"on records not checked for {days} days or more.",
    )


def _stability(f: MethodFacts) -> tuple[str, ...]:
    r = StabilityRanges()
    return (
        f"Each ranked area's rank is worked out again under {r.settings} settings drawn at "
        f"random (seed {r.seed}, so every run agrees) within stated ranges: each catchment "
        f"radius and the over-capacity threshold ±{r.catchment:.0%}; the poor-access and "
        f"high-need shares ±{r.poor_access_share * 100:g} percentage points; each score "
        f"weight ±{r.weight:g}, the weights then rescaled to add up to 1. Hubs, residents, "
        f"locations, urban flags and deciles stay as they are.",
        f"Each area then says how often it stays in the top {r.top} (or, ranked below, "
        f"enters it) and the ranks it keeps to in 90% of the settings (the 5th to the 95th "
        f"percentile): an area that \"stays in the top {r.top} under 90% of settings\" stays "
        f"a priority nine times in ten, whatever settings within these ranges are chosen.",
    )


SECTIONS: tuple[tuple[str, Callable[[MethodFacts], tuple[str, ...]]], ...] = (
    ("Scenarios: the impact of a change", _scenarios),
    ("Equality view", _equality),
    ("Coverage resting on stale records", _freshness),
    ("How stable each rank is", _stability),
)


def _scenarios_detail(t: GapThresholds, hubs: tuple[str, ...]) -> str:
    return """Ask for a scenario with `GET /api/gaps?district=…&close=ID,ID&open=LON,LAT;LON,LAT`
(the answer's `scenario`), `assetmap gaps --district … --close ID,ID --open='LON,LAT;LON,LAT'`, or
`/reports/{district}?close=…&open=…`. Officers save named scenarios with
`POST /api/scenarios` and share them: each is stored as asked and run again against the
register whenever it is read (`GET /api/scenarios/{id}`, or the report's "Today and the
scenario" with `/reports/{district}?scenario=ID`); closed ids that are no longer in the
register are listed as `missing`, and ids no longer hubs as `not_hubs`. Unknown ids,
assets that are not hubs and points outside every community area are refused, each named.

The after-state is measured by the gap analysis' own code on a county-wide index of which
hubs lie within each small area's catchment, so its figures are those a full re-run with
the changed register would give (a property test checks this on random counties). Its
limits are the analysis' own: straight-line catchments, and a new hub counts from the
day it opens whatever its size or hours."""


def _equality_detail(t: GapThresholds, hubs: tuple[str, ...]) -> str:
    return ("The figures are in the report's \"Equality view\" table and in `/api/gaps` "
            "(`equality`: `outside_every_catchment` and `all_residents`, each with "
            "`residents`, `by_imd_band`, `aged_65_plus`, `share_65_plus` and `unparished`), "
            "so an equality assessment can cite them beside the district as a whole.")


def _freshness_detail(t: GapThresholds, hubs: tuple[str, ...]) -> str:
    return ("The stale period is the setting `ASSETMAP_STALE_AFTER_DAYS` (365 by default). "
            "The report's summary states the share; `/api/gaps` gives `stale_coverage` with "
            "the residents covered counting every hub and counting fresh hubs only, and the "
            "district's hubs and stale hubs.")


def _stability_detail(t: GapThresholds, hubs: tuple[str, ...]) -> str:
    return ("The report's ranked table has a \"Rank stability\" column; each area in "
            "`/api/gaps` has `stability`, `top_share`, `rank_low` and `rank_high`, and "
            "`rank_stability` echoes the ranges. At the report's own settings the re-ranking "
            "gives exactly the report's ranks (a test checks it).")


DETAILS: dict[str, Callable[[GapThresholds, tuple[str, ...]], str]] = {
    "Scenarios: the impact of a change": _scenarios_detail,
    "Equality view": _equality_detail,
    "Coverage resting on stale records": _freshness_detail,
    "How stable each rank is": _stability_detail,
}
