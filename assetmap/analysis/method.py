"""The report's method section: what the code did, with the values this run used.

The wording follows docs/METHOD.md (the planners' description of
assetmap/gaps.py and assetmap/siting.py); numbers come from the report's own
thresholds and data, so the section never states a default that was not used.
Keep this module, docs/METHOD.md and the code in step
(tests/reports/test_method.py checks the shared terms).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assetmap.analysis.access import LOCATION_PWC, URBAN_FROM_COLUMN
from assetmap.analysis.district import DistrictReport
from assetmap.reports.tables import deprived_label

__all__ = ["METHOD_DOCUMENT", "MethodSection", "method_sections", "method_text"]

METHOD_DOCUMENT = "docs/METHOD.md"
_CATEGORY_LABELS = {
    "community_hub": "community hub",
    "village_hall": "village hall",
    "community_centre": "community centre",
    "community_library": "community-managed library",
    "council_library": "council library",
    "church_hall": "church hall",
    "community_cafe": "community café",
}


@dataclass(frozen=True)
class MethodSection:
    title: str
    paragraphs: tuple[str, ...]


def _metres(value: float) -> str:
    return f"{value:,.0f} m"


def _share(value: float) -> str:
    return f"{value:.0%}" if round(value * 100, 6).is_integer() else f"{value:.1%}"


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _all_or(part: int, whole: int, noun: str) -> str:
    if part == whole and whole > 1:
        return f"all {_count(whole, noun)}"
    return f"{part:,} of {_count(whole, noun)}"


def _sources_of_place(report: DistrictReport) -> tuple[str, str]:
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
    kind = (
        f"In this district {_all_or(flagged, n, 'small area')} had an urban flag"
        + (f" and {n - flagged:,} were classed by the density rule" if n - flagged else "")
        + f"; {urban:,} counted as urban and {n - urban:,} as rural."
    )
    return where, kind


def _fallback_paragraphs(report: DistrictReport) -> tuple[str, ...]:
    if not report.fallback_units:
        return ()
    return (
        f"Parish and unparished-area boundaries are not loaded, so there are no community "
        f"areas to rank. This report ranks {report.fallback_units} instead, as stated fallback "
        f"units: each is a statistical area with governance \"unknown\", not a community. "
        f"Wherever this report says \"community area\", read \"fallback unit\".",
    )


def method_sections(report: DistrictReport) -> list[MethodSection]:
    """The method as numbered sections of plain sentences, in the order the code runs."""
    t = report.thresholds
    w = t.weights
    hubs = ", ".join(_CATEGORY_LABELS.get(c, c.replace("_", " ")) for c in report.hub_categories)
    where, kind = _sources_of_place(report)
    deciles = deprived_label(t)
    candidates = len(report.candidates)
    return [
        MethodSection(
            "Hubs",
            (
                f"A hub is an asset whose category counts as a hub and whose status is not "
                f"closed. The hub categories are: {hubs or 'none declared'}. At-risk hubs "
                f"still count; closed assets never do.",
            ),
        ),
        MethodSection(
            "Where residents are",
            (
                "Each small area's residents are placed at its population-weighted centroid "
                "when one is given, otherwise at a representative point, which always lies "
                "inside its boundary (the plain centroid is never used).",
                where,
            ),
        ),
        MethodSection(
            "Urban or rural, and catchments",
            (
                f"A small area is urban or rural by its own urban flag where known (ideally "
                f"the ONS Rural-Urban Classification); otherwise by a density rule: urban "
                f"when it has at least {t.urban_density_per_km2:,.0f} residents per km².",
                kind,
                f"The catchment of a hub is {_metres(t.urban_catchment_m)} for urban small "
                f"areas and {_metres(t.rural_catchment_m)} for rural ones.",
            ),
        ),
        MethodSection(
            "Distance",
            (
                "Distance is the straight-line distance in metres (British National Grid, "
                "EPSG:27700) from where a small area's residents are to the nearest hub "
                "anywhere, including hubs in neighbouring districts. It is not a road or "
                "walking distance. A small area is within catchment when its nearest hub is no "
                "further away than its own catchment; its residents otherwise count as "
                "outside every catchment.",
            ),
        ),
        MethodSection(
            "Community areas",
            (
                *_fallback_paragraphs(report),
                "Each small area counts in the community area named by its code, or else the "
                "one containing its location. An area's figures are population-weighted over "
                "its small areas; its hub count is the hubs inside its boundary, and residents "
                "per hub is its population divided by that count.",
                f"The deprivation share is the share of residents with a known IMD decile who "
                f"live in {deciles}.",
            ),
        ),
        MethodSection(
            "Flags",
            (
                "no_hub: the area contains no hub.",
                f"poor_access: more than {_share(t.poor_access_share)} of residents live "
                f"outside every catchment.",
                f"over_capacity: at least one hub and more than "
                f"{t.over_capacity_residents_per_hub:,.0f} residents per hub.",
                f"high_need: more than {_share(t.high_need_share)} of residents (with a known "
                f"decile) live in {deciles}.",
                "An area is under-served when people live there and it has no_hub, "
                "poor_access or over_capacity. high_need raises the score but is never a gap "
                "on its own.",
            ),
        ),
        MethodSection(
            "Score and ranking",
            (
                f"score = 100 × ({w.uncovered:g} × uncovered + {w.distance:g} × distance + "
                f"{w.capacity:g} × capacity + {w.need:g} × need), each component from 0 to 1: "
                f"uncovered is the share outside every catchment; distance is the "
                f"population-weighted mean of min(distance ÷ own catchment, 2) ÷ 2; capacity "
                f"is min(residents per hub ÷ "
                f"{2 * t.over_capacity_residents_per_hub:,.0f}, 1), and 1 with no hub; need "
                f"is the deprivation share. Areas with no residents score 0.",
                "Areas are ranked within the district: under-served areas first, then by "
                "score (highest first), then population (largest first), then code.",
                f"This report ranks {report.focus_label}."
                + (
                    ""
                    if report.all_areas
                    else " Parished areas are shown on the map but not ranked."
                ),
            ),
        ),
        MethodSection(
            "Where a new hub would help most",
            (
                f"Up to {report.n_sites} sites are chosen by greedy maximal covering over the "
                f"whole district (parished and unparished): each pick is the candidate that "
                f"brings the most residents now outside every catchment within a catchment; "
                f"those residents then count as covered and the next pick is made.",
                f"Candidates are the district's existing assets that are neither hubs nor "
                f"closed ({candidates:,} here), and the location point of every small area "
                f"(\"small-area centroid\"). A candidate covers a small area when it lies within "
                f"that small area's own catchment. Ties go to existing assets. The result is a "
                f"shortlist for local judgement, not an optimum.",
            ),
        ),
        MethodSection(
            "Limits",
            (
                "Distances are straight lines: rivers, railways and main roads without "
                "crossings are not taken into account. A hub counts once, whatever its size "
                "or opening hours. Small areas with no IMD decile are left out of the "
                "deprivation share.",
                f"The full method, with a worked example, is in {METHOD_DOCUMENT}.",
            ),
        ),
    ]


def method_text(report: DistrictReport) -> list[str]:
    """The method as flat sentences ("Title: sentence"), for GeoJSON and GeoPackage."""
    return [f"{s.title}: {p}" for s in method_sections(report) for p in s.paragraphs]
