"""The method's statements and detail for siting (the three exact models) and for hub
places per 1,000 residents (E2SFCA): what reports print and docs/METHOD.md expands.

:mod:`assetmap.analysis.method` puts the statements in its sections and
:mod:`assetmap.analysis.method_doc` the detail after them, as for every section.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assetmap.analysis.optimise.options import (
    DEFAULT_DEPRIVED_WEIGHT,
    DEFAULT_TARGET_SHARE,
    DEFAULT_TIME_LIMIT_S,
    DEFAULT_UNPARISHED_WEIGHT,
    MAX_TIME_LIMIT_S,
)
from assetmap.analysis.optimise.pmedian import MAX_PAIRS
from assetmap.analysis.supply import DEFAULT_CAPACITY, GAUSSIAN_EDGE_SIGMA, STEPS
from assetmap.analysis.thresholds import GapThresholds

if TYPE_CHECKING:
    from assetmap.analysis.method import MethodFacts

__all__ = ["siting_detail", "siting_statements", "supply_detail", "supply_statements"]

_MODELS = {
    "coverage": "maximal covering",
    "set_cover": "set covering",
    "p_median": "p-median",
}


def _models(f: MethodFacts) -> str:
    up_to = "N" if f.n_sites is None else f"{f.n_sites}"
    target = f"{DEFAULT_TARGET_SHARE:.0%} by default"
    chosen = ""
    if f.siting is not None:
        if f.siting.objective == "set_cover":
            target = f"{f.siting.target_share or 0:.0%} here"
        chosen = f" This report used {_MODELS[f.siting.objective]}."
    return (
        f"Sites are chosen over the whole district (parished and unparished) by one of three "
        f"models, each solved exactly as a mixed-integer programme by SciPy's milp (the HiGHS "
        f"solver), with every existing hub kept open: maximal covering, the {up_to} sites "
        f"that bring the most residents now outside every catchment within one; set "
        f"covering, the fewest sites that bring a target share of the district's residents "
        f"({target}) within a catchment, and among those the set reaching the most; "
        f"p-median, the {up_to} sites giving the lowest population-weighted mean "
        f"straight-line distance to the nearest hub.{chosen}"
    )


def _greedy(f: MethodFacts) -> str:
    limit = DEFAULT_TIME_LIMIT_S if f.siting is None else f.siting.time_limit_s
    return (
        f"A greedy answer is worked out beside the exact model (greedy maximal covering and "
        f"its like for the other two models: each next site the one that adds most). It is "
        f"kept when the "
        f"solver's time limit ({limit:g} s) stops it before it finds anything as good, and "
        f"shown when it is as good as the optimum. Every result states its value, the best "
        f"value the solver proved possible (the optimality gap; 0 when proven optimal), the "
        f"time taken and how much better it is than greedy. Sites are listed in the order "
        f"that adds most at each step."
    )


def _equity(f: MethodFacts) -> str:
    deciles = f.thresholds.deprived_label
    if f.siting is not None and f.siting.equity["enabled"]:
        w = f.siting.equity
        return (f"Equity weights were on: in the objective a resident of an unparished area "
                f"counted {w['unparished']:g} times and one in {deciles} {w['deprived']:g} "
                f"times (both multiply); the residents in the tables are real people.")
    return (f"Equity weights, when asked for, count a resident of an unparished area "
            f"{DEFAULT_UNPARISHED_WEIGHT:g} times and one in {deciles} "
            f"{DEFAULT_DEPRIVED_WEIGHT:g} times by default (both multiply; each can be set "
            f"from 1 to 10) in the objective only; "
            + ("they were off here." if f.siting is not None else "they are off by default."))


def siting_statements(f: MethodFacts, candidates: str) -> tuple[str, ...]:
    """The siting section: models, candidates (``candidates``, said by the caller), greedy
    and its role, equity weights."""
    return (_models(f), candidates, _greedy(f), _equity(f))


def supply_statements(f: MethodFacts) -> tuple[str, ...]:
    """The hub places per 1,000 residents section."""
    here = ""
    if f.supply is not None:
        here = (f" Here {f.supply.hubs_known_capacity:,} of the {f.supply.hubs_used:,} hubs "
                f"in reach gave a capacity; the report used {f.supply.decay} decay.")
    full, middle, far = (weight for _, weight in STEPS)
    return (
        f"Each hub holds its capacity: the people its register entry says it holds, or "
        f"{DEFAULT_CAPACITY} where it says nothing.{here} A hub's places are shared among the "
        f"residents whose own catchment it lies in, each counted with a distance-decay "
        f"weight: Gaussian, exp(−½ (distance ÷ ({GAUSSIAN_EDGE_SIGMA:g} × own catchment))²), "
        f"1 at the hub and 0.135 at the catchment's edge; or stepped, {full:g}, {middle:g} "
        f"and {far:g} in the nearest, middle and farthest third of the catchment.",
        "A small area's figure is the sum of the weighted shares of every hub in its "
        "catchment, per 1,000 residents (an enhanced two-step floating catchment, E2SFCA); a "
        "community area's and the district's are resident-weighted means. Residents across "
        "district lines compete for the same hubs and are counted. Every place of a hub that "
        "anyone reaches is shared out, so the figures add up to those hubs' capacity.",
        "This measure sits beside the others: the flags, the score and the ranking do not "
        "use it. It shows where many residents compete for little room, which residents per "
        "hub inside a boundary cannot.",
    )


def siting_detail(t: GapThresholds, hubs: tuple[str, ...]) -> str:
    """docs/METHOD.md's detail after the siting statements."""
    reach = f"{t.urban_catchment_m:,.0f} m urban, {t.rural_catchment_m / 1000:g} km rural"
    return f"""A candidate **reaches** a small area when it lies within *that small area's* own
catchment ({reach}); the edge counts as inside. Residents already within an existing
hub's catchment count as reached in every model.

**Maximal covering** (`objective=coverage`, N = `sites`): with x_j = 1 when candidate j
is opened and y_i = 1 when small area i is newly reached,
- maximise Σ_i w_i y_i subject to y_i ≤ Σ_(j reaching i) x_j for every small area
  outside every catchment, and Σ_j x_j ≤ N (x binary, 0 ≤ y ≤ 1);
- w_i is the small area's residents, times its equity weight when those are on.

**Set covering** (`objective=set_cover`, `target_pct`): minimise Σ_j x_j subject to the
same rows and Σ_i p_i y_i ≥ target × district residents − residents already reached
(p_i residents, never weighted: the target is about people). Then, with that many
sites, maximal covering with the target kept as a row picks the set reaching the most
(weighted) residents. When even every candidate together cannot reach the target,
the report says so and proposes nothing.

**p-median** (`objective=p_median`): each small area's residents go to their nearest
open hub; existing hubs stay open, so only candidates nearer than a small area's
nearest existing hub can change its distance. With those candidates in order of
distance d_1 ≤ … ≤ d_K and the existing hub's distance after them, the radius
formulation (García, Labbé and Marín, 2011) minimises Σ_i w_i (d_1 + Σ_k (d_(k+1) − d_k)
u_ik), where u_ik ≥ u_i(k−1) − x_(j_k) says that none of the k nearest candidates is
open: exact, and three non-zeros per (small area, nearer candidate) pair instead of a
dense assignment. Past {MAX_PAIRS:,} such pairs (a district with hardly any hub) the
model is not built, because HiGHS cannot keep to a time limit of seconds on it: the
greedy answer is given and said to be so, with no bound.

**Solving.** Only small areas that some candidate reaches and only candidates that
reach someone enter the covering models; the reach is a sparse matrix, so thousands of
candidates by thousands of small areas stay small. HiGHS stops when its answer is
proven within one part in a million of the best possible, or at the time limit
(`time_limit`, {DEFAULT_TIME_LIMIT_S:g} s by default, at most {MAX_TIME_LIMIT_S:g} s).
SciPy's milp takes no starting solution, so greedy cannot be handed to it as a warm
start: it is solved beside it, kept whenever the solver's answer is not better, and
reported with the gap to the solver's proven bound. The three models were checked
against PySAL's spopt (MCLP, LSCP and PMedian on pulp's CBC) on small and medium
instances: the same optimum every time.

**Greedy** (`propose_sites`, and the comparison in every result): each pick is the
candidate reaching the most residents not yet reached (or saving the most weighted
distance); ties go to existing assets before planner-supplied points and small-area
points, and otherwise to the candidate listed first. Greedy maximal covering is
guaranteed at least 63% of the best possible coverage and is often close; the exact
answer shows how close, district by district.

**Candidates** are the district's existing assets that are neither hubs nor closed,
the location point of every small area, and any points a planner supplies
(`points=LON,LAT;LON,LAT`, WGS 84, at most 200, listed as "planner point").

Each site reports the residents it newly brings within reach, the small areas it
newly reaches, the district's uncovered residents and share after it, and the
district's population-weighted mean distance to a hub after it."""


def supply_detail(t: GapThresholds, hubs: tuple[str, ...]) -> str:
    """docs/METHOD.md's detail after the hub places statements."""
    return f"""With S_j the capacity of hub j, P_i the residents of small area i, r_i its own
catchment and W the decay weight (0 beyond the catchment):
- step 1, each hub: R_j = S_j ÷ Σ_i W(d_ij ÷ r_i) P_i;
- step 2, each small area: A_i = Σ_j W(d_ij ÷ r_i) R_j, shown as 1,000 × A_i
  (`hub_places_per_1000`).

So Σ_i P_i A_i = Σ_j S_j over the hubs anyone reaches (a property the tests check on
random inputs), and the values agree with PySAL's `access`
(`enhanced_two_stage_fca` on distances measured in each small area's own catchments).
For one district, every small area within twice the largest catchment of the
district's residents is counted as demand and every hub within one catchment as
supply: exactly the district's share of a county-wide run.

**Capacity** is the assets layer's optional `capacity` field: the people the asset
holds for a meeting or activity (its largest room, seated). Where it is missing, not a
whole number or not above 0, the hub counts as {DEFAULT_CAPACITY}. Capacity says nothing
about opening hours or what rooms are for.

The measure is in `/api/gaps` (`supply`, per small area, and `hub_places_per_1000` per
community area and district), in the report's ranked table, summary and CSV. The
distance decay is `decay=gaussian` (default) or `decay=stepped`."""
