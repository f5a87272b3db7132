"""The parts of docs/METHOD.md that no report has room for.

Why the analysis exists, what it reads, the district summary, the settings, the
evidence for the density rule, the checks on real data and how the method differs
from the starting one: each a function of the thresholds, so the figures they
quote are the defaults the code uses. :mod:`assetmap.analysis.method_doc` places
them between the method's sections.
"""

from __future__ import annotations

from assetmap.analysis.thresholds import GapThresholds

__all__ = [
    "density_rule",
    "differences",
    "district_summary",
    "intro",
    "real_data",
    "settings",
    "units",
    "why",
]


def intro(t: GapThresholds) -> str:
    return """# How assetmap finds gaps: the method as the code does it

This page describes, for planners, exactly what the gap analysis (`assetmap/analysis/`:
the analysis in `gaps.py`, the siting in `siting.py`) computes. It is generated from the
same source as every report's methodology section (`assetmap/analysis/method.py`), so
the two cannot disagree: in each section a report also has (Hubs, Where residents are,
Urban or rural, and catchments, Distance, Community areas, Flags, Score and ranking,
Where a new hub would help most, Limits), the opening paragraphs are word for word what
a report says, here with the default settings and the current layer; the rest adds
detail. Whenever the code changes, that source, and so this page, changes with it. Every
threshold below is a setting (`assetmap/analysis/thresholds.py`, `GapThresholds`). Each
report prints the values it was run with."""


def why(t: GapThresholds) -> str:
    return """## Why
The county's communities strategy says that "ideally, in each community there is at
least one physical hub". Parish and town councils speak for their own places.
Unparished areas (mostly large towns, and all of Oadby and Wigston) have no local
council to speak for them. For each district, the analysis shows where residents are
far from a place to meet, or short of one. By default it looks at unparished areas
only. `--all-areas` runs the same analysis on every parish as well, so the two can be
compared."""


def units(t: GapThresholds) -> str:
    return """## Units and inputs

| Layer | What the analysis uses |
|---|---|
| `community_areas` | `code` (E04… parish or E43… unparished area), `name`, `district_code`, `governance` (`unparished`, `town_council`, `parish_council`, `parish_meeting`, or `parish_type_unknown` for a parish whose council type the data does not give: counted as parished), boundary. Without `governance`, an area counts as unparished when its code starts with E43. |
| `small_areas` | `population` (usual residents; required, and must be 0 or more), `community_area_code`, `district_code`, `imd_decile` (optional), `urban` (optional), `pwc_easting`/`pwc_northing` (optional population-weighted centroid, British National Grid), boundary. |
| `assets` | `category`, `status`, location. The `hub_categories` list in `layers/assets.yaml` says which categories are hubs. |

All distances and areas are worked out in British National Grid (EPSG:27700), in
metres. Data in any other coordinate system is reprojected first, once, when the
layers enter the analysis (`AnalysisInputs`). Data with no coordinate system is
refused, and the error message says how to set one."""  # noqa: E501 (a Markdown table)


def district_summary(t: GapThresholds) -> str:
    return """## District summary
For each district, the summary gives:
- the number of community areas;
- the population;
- the uncovered population, and its share of the population;
- the number of hubs inside the district's community areas;
- the number of areas flagged under-served, and the number with each flag;
- the same figures for the unparished areas on their own (`unparished_…`).

These district totals are the sums of the community-area rows, so the community-area
table always adds up to them. A hub that lies outside every community area still
counts towards residents' distances, but not towards any area's or district's hub
count."""


def settings(t: GapThresholds) -> str:
    meaning = GapThresholds.descriptions()
    rows = [
        f"| `{name}` | {value:g} | {meaning[name].replace('see docs/METHOD.md', 'see below')} |"
        for name, value in t.as_flat_dict().items()
    ]
    return "\n".join([
        "## Thresholds (defaults) as echoed in outputs",
        "",
        "| Setting | Default | Meaning |",
        "|---|---|---|",
        *rows,
        "",
        "The four weights must add up to 1. Bad settings are refused with a message naming",
        "the setting. Examples are negative distances, shares outside 0 to 1, deciles outside",
        "1 to 10, and weights that do not add up to 1.",
    ])


def density_rule(t: GapThresholds) -> str:
    return """## Why 1,000 residents per km² for the density rule
The ONS Rural-Urban Classification is built from settlement and household density on
a hectare grid, so it has no single density cut-off. The rule is therefore a stand-in
for when the classification is missing, and is tested against real data:
- **Real Leicestershire data.** The rule was checked on the 3,170 Output Areas (OAs) of
  Leicester, Leicestershire and Rutland (2011 boundaries, mid-2015 population), against
  the ONS 2011 Output Area Classification supergroup "Rural Residents":
  - 90% of "Rural Residents" OAs are below 1,000 per km² (their median is 90 per km²);
  - 89% of all other OAs are at or above it (their median is 4,841 per km²).
- **Share of residents called rural.** The rule calls 20.7% of LLR residents rural,
  against 11.9% in "Rural Residents" OAs. That supergroup is narrower than the ONS
  rural definition, which also counts villages and small towns, so a somewhat higher
  figure is expected.
- **By district.** The rule calls these shares of residents rural: Rutland 61%,
  Melton 48%, Harborough 42%, North West Leicestershire 36%, Hinckley and Bosworth 27%,
  Blaby 22%, Charnwood 20%, Oadby and Wigston 7.5%, and Leicester 2.6%.
- **Compared with Europe.** 1,000 per km² is 10 residents per hectare. It sits between
  the two density thresholds of the European "degree of urbanisation" (300 per km² for
  urban clusters and 1,500 per km² for dense centres, both on 1 km² grid cells). OAs
  are drawn around homes, so their densities run higher than grid-cell densities.
- **A lower cut-off.** A threshold of 300 per km² would match "Rural Residents"
  slightly more often (94% of OAs rather than 89%). But it would call only 12% of
  residents rural, no more than that narrow supergroup."""


def real_data(t: GapThresholds) -> str:
    return """## Checks on real data
`tests/analysis/test_gaps_realdata.py` runs the analysis on real Leicestershire data
(see `../shared/data/real/PROVENANCE.md`):
- the 2011 Output Areas with their mid-2015 population;
- open public libraries from Libraries Hacked, including those in Leicester and
  Rutland, with each library placed at its postcode centroid;
- a catchment of 3 km for every Output Area, measured from its representative point.

The results agree exactly with a separate brute-force distance calculation:

| District | Residents | Within 3 km of an open library | Share |
|---|---:|---:|---:|
| Blaby | 96,544 | 95,403 | 98.8% |
| Charnwood | 176,720 | 169,475 | 95.9% |
| Harborough | 89,284 | 67,820 | 76.0% |
| Hinckley and Bosworth | 108,769 | 95,608 | 87.9% |
| Melton | 50,912 | 31,688 | 62.2% |
| North West Leicestershire | 97,247 | 80,715 | 83.0% |
| Oadby and Wigston | 55,833 | 55,833 | 100.0% |"""


def differences(t: GapThresholds) -> str:
    return """## Where this differs from the starting method (shared/design/GAP_METHOD.md)
- An area with no residents is never under-served: "no hub" in an empty area is not a
  gap.
- The ranking puts under-served areas first. The starting method says `high_need` is
  never a gap on its own, so a need-only area should not outrank a gap.
- `residents_per_hub` is left empty, not infinite, when an area has no hub, and
  distances are left empty when there is no hub anywhere. The outputs must be valid
  JSON and CSV, which cannot hold infinity.
- A hub exactly on the catchment edge counts as within the catchment."""
