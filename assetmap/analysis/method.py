"""The method, said once: what the code does, with the values a run used.

Every report's method section (:func:`method_sections`) and docs/METHOD.md
(:func:`assetmap.analysis.method_doc.method_document`, which adds the detail a
report has no room for) are built from the statements here, so they cannot
disagree. A report fills in its own thresholds and district figures; the
document fills in the defaults and the current layer's hub categories, and
leaves out what only a district can say. Change the wording here, then run
``python -m assetmap.analysis.method_doc`` to regenerate docs/METHOD.md
(tests/analysis/test_method.py fails until you do).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assetmap.analysis import method_scenarios
from assetmap.analysis.access import LOCATION_PWC, URBAN_FROM_COLUMN
from assetmap.analysis.activity import ACTIVITY_FLOOR
from assetmap.analysis.district import DistrictReport, category_labels
from assetmap.analysis.naming import PLACE_RADIUS_M
from assetmap.analysis.thresholds import GapThresholds

__all__ = [
    "METHOD_DOCUMENT",
    "SECTIONS",
    "DistrictFacts",
    "MethodFacts",
    "MethodSection",
    "category_labels",
    "district_facts",
    "method_sections",
    "method_text",
    "metres",
    "percent",
    "sections_for",
]

METHOD_DOCUMENT = "docs/METHOD.md"


@dataclass(frozen=True)
class MethodSection:
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class DistrictFacts:
    """What only one district's run can say: its own data and choices."""

    where: str  # how many small areas had a population-weighted centroid
    kind: str  # how many had an urban flag, and how many counted as urban
    candidates: int  # existing assets considered as sites
    fallback_units: str  # e.g. "LSOAs"; "" with parish boundaries loaded
    focus_label: str
    all_areas: bool


@dataclass(frozen=True)
class MethodFacts:
    """The values the method statements are filled in with."""

    thresholds: GapThresholds
    hub_categories: tuple[str, ...]
    n_sites: int | None = None  # None: the document, which gives the default
    district: DistrictFacts | None = None  # None: the document, for any district
    stale_after_days: int = 365  # ASSETMAP_STALE_AFTER_DAYS of the run


def metres(value: float) -> str:
    """``"3,000 m"``."""
    return f"{value:,.0f} m"


def percent(value: float) -> str:
    """``"20%"``, or ``"12.5%"`` where a whole per cent would hide the value."""
    return f"{value:.0%}" if round(value * 100, 6).is_integer() else f"{value:.1%}"


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _all_or(part: int, whole: int, noun: str) -> str:
    if part == whole and whole > 1:
        return f"all {_count(whole, noun)}"
    return f"{part:,} of {_count(whole, noun)}"


def district_facts(report: DistrictReport) -> DistrictFacts:
    """The figures of ``report``'s own run that its method section states."""
    small = report.result.small_areas
    n = len(small)
    pwc = int(np.count_nonzero(small["location_source"].to_numpy() == LOCATION_PWC))
    flagged = int(np.count_nonzero(small["urban_source"].to_numpy() == URBAN_FROM_COLUMN))
    urban = int(np.count_nonzero(small["urban"].to_numpy(bool)))
    where = (
        f"In this district {_all_or(pwc, n, 'small area')} had a "
        f"population-weighted centroid"
        + (f"; the other {n - pwc:,} used a representative point." if n - pwc else ".")
    )
    residents = small["population"].to_numpy(float)
    by_flag = small["urban_source"].to_numpy() == URBAN_FROM_COLUMN
    kind = (
        f"In this district {_all_or(flagged, n, 'small area')} had an urban flag"
        f" ({residents[by_flag].sum():,.0f} residents)"
        + (f" and {n - flagged:,} were classed by the density rule "
           f"({residents[~by_flag].sum():,.0f} residents)" if n - flagged else "")
        + f"; {urban:,} counted as urban and {n - urban:,} as rural."
    )
    return DistrictFacts(
        where=where,
        kind=kind,
        candidates=len(report.candidates),
        fallback_units=report.fallback_units,
        focus_label=report.focus_label,
        all_areas=report.all_areas,
    )


def _hubs(f: MethodFacts) -> tuple[str, ...]:
    return (
        f"A hub is an asset whose category counts as a hub and whose status is not "
        f"closed. The hub categories are: {category_labels(f.hub_categories) or 'none declared'}"
        f". At-risk hubs still count; closed assets never do.",
    )


def _residents(f: MethodFacts) -> tuple[str, ...]:
    return (
        "Each small area's residents are placed at its population-weighted centroid "
        "when one is given, otherwise at a representative point, which always lies "
        "inside its boundary (the plain centroid is never used).",
        *((f.district.where,) if f.district else ()),
    )


def _catchments(f: MethodFacts) -> tuple[str, ...]:
    t = f.thresholds
    return (
        f"A small area is urban or rural by its own urban flag where known (ideally "
        f"the ONS Rural-Urban Classification); otherwise by a density rule: urban "
        f"when it has at least {t.urban_density_per_km2:,.0f} residents per km².",
        *((f.district.kind,) if f.district else ()),
        f"The catchment of a hub is {metres(t.urban_catchment_m)} for urban small "
        f"areas and {metres(t.rural_catchment_m)} for rural ones.",
    )


def _distance(f: MethodFacts) -> tuple[str, ...]:
    return (
        "Distance is the straight-line distance in metres (British National Grid, "
        "EPSG:27700) from where a small area's residents are to the nearest hub "
        "anywhere, including hubs in neighbouring districts. It is not a road or "
        "walking distance. A small area is within catchment when its nearest hub is no "
        "further away than its own catchment; its residents otherwise count as "
        "outside every catchment.",
    )


def _fallback(f: MethodFacts) -> tuple[str, ...]:
    if not f.district or not f.district.fallback_units:
        return ()
    return (
        f"Parish and unparished-area boundaries are not loaded, so there are no community "
        f"areas to rank. This report ranks {f.district.fallback_units} instead, as stated "
        f"fallback units: each is a statistical area with governance \"unknown\", not a "
        f"community. Wherever this report says \"community area\", read \"fallback unit\".",
    )


def _community_areas(f: MethodFacts) -> tuple[str, ...]:
    return (
        *_fallback(f),
        "Each small area counts in the community area named by its code, or else the "
        "one containing its location. An area's figures are population-weighted over "
        "its small areas; its hub count is the hubs inside its boundary, and residents "
        "per hub is its population divided by that count.",
        f"The deprivation share is the share of residents with a known IMD decile who "
        f"live in {f.thresholds.deprived_label}.",
    )


def _flags(f: MethodFacts) -> tuple[str, ...]:
    t = f.thresholds
    return (
        "no_hub: the area contains no hub.",
        f"poor_access: more than {percent(t.poor_access_share)} of residents live "
        f"outside every catchment.",
        f"over_capacity: at least one hub and more than "
        f"{t.over_capacity_residents_per_hub:,.0f} residents per hub.",
        f"high_need: more than {percent(t.high_need_share)} of residents (with a known "
        f"decile) live in {t.deprived_label}.",
        "An area is under-served when people live there and it has no_hub, "
        "poor_access or over_capacity. high_need raises the score but is never a gap "
        "on its own.",
    )


def _score(f: MethodFacts) -> tuple[str, ...]:
    t, w, d = f.thresholds, f.thresholds.weights, f.district
    focus = () if d is None else (
        f"This report ranks {d.focus_label}."
        + ("" if d.all_areas else " Parished areas are shown on the map but not ranked."),
    )
    return (
        f"score = 100 × ({w.uncovered:g} × uncovered + {w.distance:g} × distance + "
        f"{w.capacity:g} × capacity + {w.need:g} × need), each component from 0 to 1: "
        f"uncovered is the share outside every catchment; distance is the "
        f"population-weighted mean of min(distance ÷ own catchment, 2) ÷ 2; capacity "
        f"is min(residents per hub ÷ "
        f"{2 * t.over_capacity_residents_per_hub:,.0f}, 1), and 1 with no hub; need "
        f"is the deprivation share. Areas with no residents score 0.",
        "Areas are ranked within the district: under-served areas first, then by "
        "score (highest first), then population (largest first), then code. Scores are "
        "shown to one decimal place, so neighbouring areas whose shown scores are equal "
        "(and which are both under-served or both not) cannot honestly be told apart: they "
        "share a rank band such as \"3–5\" (first to last rank) in the report table, the "
        "CSV (Rank band) and the JSON (rank_band); the strict rank is kept beside it.",
        *focus,
    )


def _activity(f: MethodFacts) -> tuple[str, ...]:
    t = f.thresholds
    level = (
        "A hub's activity level is the sessions a week of the running activities at it, "
        "from their OpenStreetMap opening_hours schedules over the 52 weeks from 1 January "
        "of the year of the run (a monthly session counts 12 ÷ 52, a winter-only one for "
        "its months); an activity listed at several assets shares its sessions among them."
    )
    weighting = (
        f"Activity weighting is on: in residents per hub (and so over_capacity and the "
        f"capacity component) each hub counts as min(1, its sessions a week ÷ "
        f"{t.activity_full_sessions:g}), and never less than {ACTIVITY_FLOOR:g}; no_hub "
        f"still counts buildings."
        if t.activity_weighting else
        f"Activity weighting is off (the default): every hub counts as one. With "
        f"activity_weighting on, each hub counts in residents per hub as min(1, its "
        f"sessions a week ÷ {t.activity_full_sessions:g}), and never less than "
        f"{ACTIVITY_FLOOR:g}."
    )
    groups = (
        "A group is known to work in an area when the organisations layer says it serves "
        "the area (areas_served), or when it runs a running activity at an asset in the "
        "area; organisations serving a whole district are listed apart. An area with no "
        "hub and no group known to work there is named as the sharpest gap: nobody on the "
        "ground for the council to work with."
    )
    return level, weighting, groups


def _siting(f: MethodFacts) -> tuple[str, ...]:
    up_to = "N" if f.n_sites is None else f"{f.n_sites}"
    here = "" if f.district is None else f" ({f.district.candidates:,} here)"
    return (
        f"Up to {up_to} sites are chosen by greedy maximal covering over the "
        f"whole district (parished and unparished): each pick is the candidate that "
        f"brings the most residents now outside every catchment within a catchment; "
        f"those residents then count as covered and the next pick is made.",
        f"Candidates are the district's existing assets that are neither hubs nor "
        f"closed{here}, and the location point of every small area "
        f"(\"small-area centroid\"). A candidate covers a small area when it lies within "
        f"that small area's own catchment. Ties go to existing assets. The result is a "
        f"shortlist for local judgement, not an optimum.",
        "A small-area centroid is named by the nearest town, village or locality within "
        f"{PLACE_RADIUS_M / 1000:g} km (a ward only where none is), else by the community "
        "area it lies in, with the nearest postcode and its OS grid reference; a name "
        "that is not known is left out, never invented.",
    )


def _limits(f: MethodFacts) -> tuple[str, ...]:
    return (
        "Distances are straight lines: rivers, railways and main roads without "
        "crossings are not taken into account. A hub counts once, whatever its size"
        + (", unless activity weighting is on" if f.thresholds.activity_weighting
           else " or opening hours (unless activity weighting is chosen)")
        + ". Small areas with no IMD decile are left out of the "
        "deprivation share.",
        *((f"The full method, with a worked example, is in {METHOD_DOCUMENT}.",)
          if f.district else ()),
    )


# The method's sections in the order the code runs: title, and its statements.
SECTIONS: tuple[tuple[str, Callable[[MethodFacts], tuple[str, ...]]], ...] = (
    ("Hubs", _hubs),
    ("Where residents are", _residents),
    ("Urban or rural, and catchments", _catchments),
    ("Distance", _distance),
    ("Community areas", _community_areas),
    ("Flags", _flags),
    ("Score and ranking", _score),
    ("Activity and groups", _activity),
    ("Where a new hub would help most", _siting),
    *method_scenarios.SECTIONS,
    ("Limits", _limits),
)


def sections_for(facts: MethodFacts) -> list[MethodSection]:
    """The method's sections filled in with ``facts``."""
    return [MethodSection(title, statements(facts)) for title, statements in SECTIONS]


def method_sections(report: DistrictReport) -> list[MethodSection]:
    """The method as numbered sections of plain sentences, in the order the code runs."""
    return sections_for(
        MethodFacts(
            thresholds=report.thresholds,
            hub_categories=report.hub_categories,
            n_sites=report.n_sites,
            district=district_facts(report),
            stale_after_days=report.views.stale.days if report.views is not None else 365,
        )
    )


def method_text(report: DistrictReport) -> list[str]:
    """The method as flat sentences ("Title: sentence"), for GeoJSON and GeoPackage."""
    return [f"{s.title}: {p}" for s in method_sections(report) for p in s.paragraphs]
