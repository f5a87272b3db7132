"""Cross-checks against PySAL's spopt on the same instances: the same optimum.

spopt's models are solved with pulp's CBC, pinned as spopt's issue tracker advises
(pysal/spopt#356, #347: pass ``pulp.PULP_CBC_CMD`` explicitly). Per-small-area
catchments (800 m urban, 3 km rural) become one radius by measuring each distance in
its small area's own catchments: d_ij ÷ r_i ≤ 1. Hubs already there are removed from
the covering models (whoever they reach counts as reached) and fixed open in p-median.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pulp
import pytest
from scipy.spatial.distance import cdist

from assetmap.analysis import SitingOptions
from assetmap.analysis.optimise import solve_siting
from tests.analysis.optimise.instances import access, candidates_of, random_instance

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from spopt.locate import LSCP, MCLP, PMedian

# pulp warns of its own 4.0 API on every variable spopt makes; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# (small areas, hubs, candidate cafés, side of the square in m, seeds)
SIZES = {"small": (25, 2, 10, 5000), "medium": (160, 6, 60, 15000)}


def solver() -> pulp.LpSolver:
    return pulp.PULP_CBC_CMD(msg=False)


def instance(size: str, seed: int) -> tuple:  # type: ignore[type-arg]
    n_areas, n_hubs, n_sites, side = SIZES[size]
    areas, places = random_instance(np.random.default_rng(seed), n_areas, n_hubs, n_sites, side)
    table = access(areas, places)
    table = table[table["population"] > 0]
    cafes = candidates_of(places)
    candidate_xy = np.vstack([
        np.column_stack([cafes.geometry.x, cafes.geometry.y]),
        table[["location_easting", "location_northing"]].to_numpy(float),
    ])
    return table, cafes, candidate_xy, places


def relative_cost(table: pd.DataFrame, candidate_xy: np.ndarray) -> np.ndarray:
    xy = table[["location_easting", "location_northing"]].to_numpy(float)
    cost: np.ndarray = cdist(xy, candidate_xy) / table["catchment_m"].to_numpy(float)[:, None]
    return cost


@pytest.mark.parametrize("size", ["small", "medium"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_maximal_covering_matches_spopt_mclp(size: str, seed: int) -> None:
    table, cafes, candidate_xy, _ = instance(size, seed)
    ours = solve_siting(table, cafes, SitingOptions(objective="coverage", sites=4))
    open_ = table[~table["within_catchment"].to_numpy(bool)]
    model = MCLP.from_cost_matrix(relative_cost(open_, candidate_xy),
                                  open_["population"].to_numpy(float), 1.0, p_facilities=4)
    model.solve(solver())
    assert ours.exact.status == "optimal"
    assert ours.exact.value == pytest.approx(pulp.value(model.problem.objective), abs=1e-6)


@pytest.mark.parametrize("size", ["small", "medium"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_set_covering_matches_spopt_lscp(size: str, seed: int) -> None:
    table, cafes, candidate_xy, _ = instance(size, seed)
    ours = solve_siting(table, cafes, SitingOptions(objective="set_cover", target_share=1.0))
    open_ = table[~table["within_catchment"].to_numpy(bool)]
    model = LSCP.from_cost_matrix(relative_cost(open_, candidate_xy), 1.0)
    model.solve(solver())
    assert ours.exact.status == "optimal"
    assert ours.exact.value == pytest.approx(pulp.value(model.problem.objective))


@pytest.mark.parametrize("size", ["small", "medium"])
@pytest.mark.parametrize("seed", [1, 2])
def test_p_median_matches_spopt_pmedian_with_hubs_fixed_open(size: str, seed: int) -> None:
    table, cafes, candidate_xy, places = instance(size, seed)
    ours = solve_siting(table, cafes, SitingOptions(objective="p_median", sites=3))
    hubs = places[places["category"] == "village_hall"]
    facilities = np.vstack([candidate_xy, np.column_stack([hubs.geometry.x, hubs.geometry.y])])
    xy = table[["location_easting", "location_northing"]].to_numpy(float)
    population = table["population"].to_numpy(float)
    model = PMedian.from_cost_matrix(
        cdist(xy, facilities), population, p_facilities=3 + len(hubs),
        predefined_facilities_arr=np.arange(len(candidate_xy), len(facilities)),
    )
    model.solve(solver())
    total = pulp.value(model.problem.objective)
    assert ours.exact.status == "optimal"
    assert ours.exact.value == pytest.approx(total / population.sum(), rel=1e-6)
