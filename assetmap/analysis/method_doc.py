"""docs/METHOD.md, generated: the method's statements plus the detail planners need.

Each method section of docs/METHOD.md opens with the statements of
:mod:`assetmap.analysis.method`, word for word what every report prints (here
with the default settings and the current layer's hub categories); the detail
that follows is written here; the sections a report has no room for (why,
inputs, the district summary, the settings, the evidence for the density rule,
checks on real data, how this differs from the starting method) are in
:mod:`assetmap.analysis.method_background`.

Regenerate after changing either module::

    python -m assetmap.analysis.method_doc        # writes docs/METHOD.md

tests/analysis/test_method.py fails while docs/METHOD.md differs from what this
module generates.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable
from pathlib import Path

from assetmap.analysis import method_background as background
from assetmap.analysis import method_scenarios
from assetmap.analysis.method import (
    METHOD_DOCUMENT,
    SECTIONS,
    MethodFacts,
    metres,
    percent,
    sections_for,
)
from assetmap.analysis.thresholds import GapThresholds

__all__ = ["method_document", "write_method_document"]

_WIDTH = 88
_GENERATED = (
    "<!-- Generated from assetmap/analysis/method.py and method_doc.py by "
    "`python -m assetmap.analysis.method_doc`: edit those, not this file. -->"
)


def _hubs_detail(t: GapThresholds, hubs: tuple[str, ...]) -> str:
    cafes = "" if "community_cafe" in hubs else " Community cafés are not hubs."
    return (
        "Closed assets never count, whatever their category. The hub categories are the "
        "`hub_categories` list in `layers/assets.yaml`; the list above is the current "
        f"layer's.{cafes}"
    )


def _residents_detail(t: GapThresholds, hubs: tuple[str, ...]) -> str:
    return (
        "The population-weighted centroid is used when both of its coordinates "
        "(`pwc_easting`, `pwc_northing`) are given. Otherwise a *representative point* is "
        "used: a point guaranteed to lie inside the boundary. The plain geometric centroid "
        "is never used, because for an L- or U-shaped area it can fall outside the area. "
        "Each row records which was used (`location_source`)."
    )


def _catchments_detail(t: GapThresholds, hubs: tuple[str, ...]) -> str:
    return (
        "The urban flag is the small area's `urban` value. This should come from the ONS "
        "2011 Rural-Urban Classification whenever it can. The density rule counts residents "
        f"per km² of the small area's own area (`urban_density_per_km2`, "
        f"**{t.urban_density_per_km2:,.0f}**); below it, the small area is rural. Each row "
        "records which was used (`urban_source`). See \"Why 1,000 residents per km²\" below. "
        f"The catchments are settings: **{metres(t.urban_catchment_m)}** for an urban small "
        f"area (`urban_catchment_m`) and **{metres(t.rural_catchment_m)}** for a rural one "
        "(`rural_catchment_m`)."
    )


def _distance_detail(t: GapThresholds, hubs: tuple[str, ...]) -> str:
    return """- **Distance to the nearest hub** (`distance_to_nearest_hub_m`). Hubs anywhere count,
  because people cross district lines. If a network distance is ever added, it will be
  labelled as such. When there is no hub at all, the distance is left empty and the
  small area counts as outside every catchment.
- **Within catchment** (`within_catchment`). True when the nearest hub is no further
  away than the small area's own catchment. A hub exactly on the edge counts as inside.
- **Hubs in catchment** (`hubs_in_catchment`). The number of hubs within that
  catchment."""


def _community_areas_detail(t: GapThresholds, hubs: tuple[str, ...]) -> str:
    deciles = t.deprived_label
    return f"""### Which community area each small area belongs to
Each small area is counted in the community area named by its `community_area_code`.
Where that code is missing, it is counted in the community area that contains its
location point. A point exactly on a shared boundary goes to the area whose code sorts
first. This is the rule of `assetmap.locate.assign_to_areas`, the one every part of
assetmap uses; the analysis uses it with no tolerance, so a point outside every area
lies in none, and hubs are counted the same way. Small areas that fit no community
area are left out of the community-area and district figures, and the result carries a
warning giving their number and population. A small area's district is the district
of its community area.

### When no parish boundaries are loaded (fallback units)
A store may hold no parishes or unparished areas at all: the real Leicestershire open
data has none (`assetmap build-real`). Nothing is then invented. The report, the
`/api/gaps` answer and every page say "Parish and unparished-area boundaries are not
loaded", and each district's **LSOAs** are ranked instead, as stated **fallback units**:
each is the union of the small areas naming that LSOA (`lsoa_code`, named by
`lsoa_name`), with governance `unknown`. A small area with no LSOA stands for itself.
Because no unit is known to be unparished, every unit in the district is ranked (as
with `--all-areas`), and the unparished figures of the district summary are not known.
LSOAs (about 1,500 residents each, 2011 boundaries, the geography IMD 2019 uses) were
chosen over electoral wards because the only ward boundaries available are 2013 ones
that several district reviews have since replaced. Everything else below applies
unchanged, reading "community area" as "fallback unit".

### Figures for each community area
Each figure is population-weighted over the community area's small areas.

| Column | Meaning |
|---|---|
| `population` | sum of the small areas' residents |
| `hub_count` | number of hubs located inside the community area's boundary (point in polygon) |
| `residents_per_hub` | population ÷ hub count. Left empty when there is no hub; the `no_hub` flag says so. |
| `uncovered_population` | residents of small areas outside every catchment |
| `share_outside_catchment` | uncovered population ÷ population |
| `pop_weighted_mean_distance_m` | Σ(residents × distance) ÷ population |
| `imd_known_share` | share of residents whose small area has a known IMD decile |
| `deprived_share` | residents in {deciles} ÷ residents with a known decile. Small areas with an unknown decile are left out of both sides, and `imd_known_share` shows how much is missing. |

Areas with no residents have empty shares and distances."""  # noqa: E501 (a Markdown table)


def _flags_detail(t: GapThresholds, hubs: tuple[str, ...]) -> str:
    per_hub = f"{t.over_capacity_residents_per_hub:,.0f}"
    return f"""Each flag is a reason a planner can read. It is also spelled out in the `reasons`
column, for example: "50% of residents outside every catchment; 5,000 residents per
hub".

| Flag | Rule (default) |
|---|---|
| `no_hub` | the community area contains no hub |
| `poor_access` | **more than** {percent(t.poor_access_share)} of residents are outside every catchment (`poor_access_share`) |
| `over_capacity` | there is at least one hub and **more than** {per_hub} residents per hub (`over_capacity_residents_per_hub`) |
| `high_need` | **more than** {percent(t.high_need_share)} of residents (with a known decile) live in {t.deprived_label} (`high_need_share`, `deprived_deciles`) |

An area is **under-served** when it has people living in it and has `no_hub`,
`poor_access` or `over_capacity`. `high_need` raises an area's priority in the score,
but on its own it never makes an area a gap. An area with no residents is never
under-served: its reasons read "no residents"."""  # noqa: E501 (a Markdown table)


def _score_detail(t: GapThresholds, hubs: tuple[str, ...]) -> str:
    w = t.weights
    limit = f"{t.over_capacity_residents_per_hub:,.0f}"
    far = 900 / t.urban_catchment_m * t.rural_catchment_m / 1000
    return f"""### Score (0–100)
The score puts the under-served areas in order. It adds up four **components**, each
scaled from 0 to 1, so that the score rises whenever any one of them gets worse:

| Component | Value (0–1) | Weight |
|---|---|---|
| uncovered (`component_uncovered`) | share of residents outside every catchment | {w.uncovered:.2f} |
| distance (`component_distance`) | population-weighted mean of min(distance ÷ own catchment, 2) ÷ 2. This is 0 at a hub, 0.5 on the catchment edge, and 1 at twice the catchment or further (or with no hub at all). | {w.distance:.2f} |
| capacity (`component_capacity`) | min(residents per hub ÷ (2 × {limit}), 1). This is 0.5 at the over-capacity threshold and 1 at twice it, or when there is no hub. | {w.capacity:.2f} |
| need (`component_need`) | share of residents in {t.deprived_label} (0 when no decile is known) | {w.need:.2f} |

**score = 100 × ({w.uncovered:.2f} × uncovered + {w.distance:.2f} × distance + {w.capacity:.2f} × capacity + {w.need:.2f} × need)**

The two shares are used as they are, because they already run from 0 to 1. The two
open-ended measures (distance and residents per hub) are divided by twice their
threshold and capped at 1, so each reads exactly 0.5 at its threshold. Distance is
measured against each small area's *own* catchment, so an urban street 900 m from a hub
is treated as being as far out as a rural hamlet {far:.1f} km away. The weights are
settings (`weight_uncovered`, `weight_distance`, `weight_capacity`, `weight_need`). Each
must be between 0 and 1, and together they must add up to 1. Areas with no residents
score 0.

{_worked_example(t)}

### Ranking
Within each district, community areas are ranked with 1 as the most under-served. Areas
are ordered by:
1. under-served areas before the rest, so an area flagged only for `high_need` never
   ranks above a real gap;
2. then by score, highest first;
3. then by population, largest first;
4. then by code, so ties always resolve the same way.

By default the ranking covers only unparished areas. With `--all-areas`, every
community area is included."""  # noqa: E501 (a Markdown table)


def _worked_example(t: GapThresholds) -> str:
    """Area A of tests/analysis/test_gaps.py, worked with the weights ``t`` gives."""
    w = t.weights
    capacity_scale = 2 * t.over_capacity_residents_per_hub
    parts = {"uncovered": 0.5, "distance": 0.3125, "capacity": 5_000 / capacity_scale,
             "need": 4_000 / 6_000}
    terms = [getattr(w, name) * value for name, value in parts.items()]
    sums = " + ".join(f"{term:.4f}".rstrip("0") for term in terms)
    return (
        "*Worked example* (area A in `tests/analysis/test_gaps.py`): 10,000 residents and 2 "
        "hubs; 50% live outside every catchment; the distance component is 0.3125; there "
        "are 5,000 residents per hub; and 4,000 of the 6,000 residents with a known decile "
        f"are in deciles 1 to 3. The components are uncovered 0.5, distance 0.3125, "
        f"capacity 5,000 ÷ {capacity_scale:,.0f} = {parts['capacity']:.3g}, and need "
        f"{parts['need']:.3f}. The score is 100 × ({sums}) = **{100 * sum(terms):.1f}**."
    )


def _siting_detail(t: GapThresholds, hubs: tuple[str, ...]) -> str:
    reach = f"{metres(t.urban_catchment_m)} urban, {t.rural_catchment_m / 1000:g} km rural"
    return f"""For one district, `propose_sites` suggests up to N sites (default 5) using **greedy
maximal covering**:
1. **Candidates** are the district's existing assets that are not hubs and not closed
   (for example cafés), plus the location point of every small area in the district
   (listed as "small-area centroid": the population-weighted centroid or
   representative point above).
2. A candidate **covers** a small area when it lies within *that small area's* own
   catchment ({reach}).
3. Each pick is the candidate that covers the most residents who are not yet within
   any catchment. Those residents are then counted as covered, and the next pick is
   made. The search stops after N picks, or earlier when no candidate would reach
   anyone new.
4. Ties go to existing assets before small-area points, because opening an existing
   building is cheaper. Otherwise ties go to the candidate listed first.

Each pick reports:
- the population it newly brings within reach;
- the number of small areas it newly covers;
- the district's uncovered population after the pick;
- the district's uncovered share before and after the pick.

Later picks never gain more than earlier ones, and the uncovered share never rises.
The greedy method is the standard one for this problem. It is guaranteed to reach at
least 63% of the best possible total coverage for the same number of sites, and in
practice it usually gets much closer. It is a shortlist for local judgement, not an
optimum."""


def _activity_detail(t: GapThresholds, hubs: tuple[str, ...]) -> str:
    return f"""Why weigh by activity: the strategy calls a hub "a focal point for a range of
community activities and services", and a hall opened once a month is not that in the way a daily
hub is. Sessions a week come from the activities layer (`layers/activities.yaml`; only
`status: active` ones), read with opening-hours-py (`assetmap.activities.schedules`).
Each opening is a session; an opening longer than a day counts once a day (`24/7` is 7
a week), and a schedule that does not parse counts nothing. Turn it on with
`--set activity_weighting=true` (CLI) or `activity_weighting=true` (`/api/gaps`);
`activity_full_sessions` (default {t.activity_full_sessions:g}) is the level at which a hub counts
as one. The floor keeps a building with no recorded activity in the count, since the
record of activities is never complete. With no activities in the store, weighting is
refused rather than run on nothing.

The groups list uses the organisations layer (`layers/organisations.yaml`). County-wide
charities typically serve every district: they appear as "serving the whole district",
and count for an area only where they run something there, so that a charity's name on
a list is not mistaken for presence on the ground."""


def _limits_detail(t: GapThresholds, hubs: tuple[str, ...]) -> str:
    return """- **Deprivation data.** IMD 2019 deciles are published for LSOAs. When the small areas
  are Output Areas, each OA must be given its LSOA's decile when the data is imported;
  the analysis uses whatever decile each small area carries.
- **Dates of the inputs.** The figures are only as current as the population,
  boundaries and asset register they are built from. The report lists each source and
  its date."""


def _wrap(block: str) -> str:
    """A one-line paragraph wrapped to the page's width; lists, tables, headings as they are."""
    if "\n" in block or block.startswith(("|", "-", "#", "*score")):
        return block
    return textwrap.fill(block, _WIDTH, break_long_words=False, break_on_hyphens=False)


Detail = Callable[[GapThresholds, tuple[str, ...]], str]
_DETAIL: dict[str, Detail] = {
    "Hubs": _hubs_detail,
    "Where residents are": _residents_detail,
    "Urban or rural, and catchments": _catchments_detail,
    "Distance": _distance_detail,
    "Community areas": _community_areas_detail,
    "Flags": _flags_detail,
    "Score and ranking": _score_detail,
    "Activity and groups": _activity_detail,
    "Where a new hub would help most": _siting_detail,
    **method_scenarios.DETAILS,
    "Limits": _limits_detail,
}
# Sections of the document only, and the method section each comes before.
_BEFORE: dict[str, tuple[Callable[[GapThresholds], str], ...]] = {
    "Hubs": (background.intro, background.why, background.units),
    "Where a new hub would help most": (background.district_summary,),
    "Limits": (background.settings, background.density_rule, background.real_data),
}
_AFTER_ALL = (background.differences,)


def method_document(
    hub_categories: Iterable[str], thresholds: GapThresholds | None = None
) -> str:
    """The text of docs/METHOD.md for these hub categories and (default) thresholds."""
    t = thresholds or GapThresholds()
    hubs = tuple(hub_categories)
    statements = {s.title: s.paragraphs for s in sections_for(MethodFacts(t, hubs))}
    parts = [_GENERATED]
    for title, _ in SECTIONS:
        parts += [part(t) for part in _BEFORE.get(title, ())]
        said = [_wrap(p) for p in statements[title]]
        detail = [_wrap(block) for block in _DETAIL[title](t, hubs).split("\n\n")]
        parts.append("\n\n".join([f"## {title}", *said, *detail]))
    parts += [part(t) for part in _AFTER_ALL]
    return "\n\n".join(parts) + "\n"


def write_method_document(root: Path) -> Path:
    """Write docs/METHOD.md under ``root`` for the layers in ``root/layers``."""
    from assetmap.layers import load_catalog

    catalog = load_catalog(root / "layers")
    path = root / METHOD_DOCUMENT
    path.write_text(method_document(catalog.hub_categories), encoding="utf-8")
    return path


if __name__ == "__main__":
    from assetmap.config import PROJECT_ROOT

    print(f"wrote {write_method_document(PROJECT_ROOT)}")
