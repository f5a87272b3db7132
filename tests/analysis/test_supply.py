"""E2SFCA hub places per 1,000 residents: a hand-worked case, capacity is conserved,
the same values as PySAL's ``access``, and a district's figures equal a county-wide run."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assetmap.analysis import DEFAULT_CAPACITY, GapThresholds
from assetmap.analysis.supply import (
    GAUSSIAN_EDGE_SIGMA,
    decay_weight,
    district_supply,
    e2sfca,
    hub_capacities,
)
from assetmap.errors import ValidationFailed
from tests.analysis.optimise.instances import access, assets, small_areas

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from access import Access, weights

ROOT = Path(__file__).resolve().parents[2]


def test_residents_competing_for_one_small_hall_show_up() -> None:
    # One hall of 40 places at (0, 0); 100 residents beside it and 300 at 600 m (urban,
    # 800 m: 0.75 of the catchment, stepped weight 0.22). Weighted demand 100 + 66 = 166.
    supply = e2sfca(np.array([[0.0, 0.0], [600.0, 0.0]]), np.array([100.0, 300.0]),
                    np.array([800.0, 800.0]), np.array([[0.0, 0.0]]), np.array([40.0]),
                    "stepped")
    assert supply.hub_demand[0] == pytest.approx(166)
    assert supply.per_resident * 1000 == pytest.approx([1000 * 40 / 166, 220 * 40 / 166])
    assert (supply.per_resident * [100, 300]).sum() == pytest.approx(40)


def test_decay_weights_and_an_unknown_decay() -> None:
    assert decay_weight(np.array([0, 1 / 3, 0.5, 2 / 3, 1.0, 1.01]), "stepped").tolist() == [
        1.0, 1.0, 0.68, 0.68, 0.22, 0.0]
    gaussian = decay_weight(np.array([0.0, 1.0, 1.5]))
    assert gaussian.tolist() == pytest.approx([1.0, np.exp(-0.5 / GAUSSIAN_EDGE_SIGMA**2), 0.0])
    with pytest.raises(ValidationFailed, match="gaussian, stepped"):
        decay_weight(np.zeros(1), "cubic")


def test_capacity_default_is_stated_in_the_layer() -> None:
    text = (ROOT / "layers" / "assets.yaml").read_text(encoding="utf-8")
    block = text[text.index("name: capacity"):]
    assert re.search(rf"takes {DEFAULT_CAPACITY} where it is not given", block.split("- ")[0])
    hubs = pd.DataFrame({"capacity": [120, None, -5, "many"]})
    capacity, known = hub_capacities(hubs)
    assert capacity.tolist() == [120, DEFAULT_CAPACITY, DEFAULT_CAPACITY, DEFAULT_CAPACITY]
    assert known.tolist() == [True, False, False, False]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 100_000), decay=st.sampled_from(["gaussian", "stepped"]))
def test_supply_shared_out_sums_to_the_capacity_of_hubs_in_reach(seed: int, decay: str) -> None:
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 60)), int(rng.integers(1, 15))
    xy = rng.uniform(0, 8000, (n, 2))
    population = rng.integers(0, 400, n).astype(float)
    catchment = np.where(rng.random(n) < 0.5, 800.0, 3000.0)
    capacity = rng.integers(10, 300, m).astype(float)
    supply = e2sfca(xy, population, catchment, rng.uniform(0, 8000, (m, 2)), capacity, decay)
    shared = float((supply.per_resident * population).sum())
    assert shared == pytest.approx(float(capacity[supply.reaching].sum()), rel=1e-9, abs=1e-9)
    assert (supply.per_resident >= 0).all()


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning")
@pytest.mark.parametrize("decay", ["gaussian", "stepped"])
def test_same_values_as_pysal_access(decay: str) -> None:
    rng = np.random.default_rng(7)
    n, m = 80, 12
    xy = rng.uniform(0, 10_000, (n, 2))
    population = rng.integers(1, 400, n).astype(float)
    catchment = np.where(rng.random(n) < 0.6, 800.0, 3000.0)
    hub_xy = rng.uniform(0, 10_000, (m, 2))
    capacity = rng.integers(20, 250, m).astype(float)
    ours = e2sfca(xy, population, catchment, hub_xy, capacity, decay).per_resident

    # access takes one cost cut-off, so costs are in each small area's own catchments.
    relative = np.hypot(xy[:, None, 0] - hub_xy[None, :, 0],
                        xy[:, None, 1] - hub_xy[None, :, 1]) / catchment[:, None]
    origin, dest = np.nonzero(relative <= 1.0)
    costs = pd.DataFrame({"origin": origin, "dest": dest, "cost": relative[origin, dest]})
    weight_fn = (weights.gaussian(GAUSSIAN_EDGE_SIGMA) if decay == "gaussian"
                 else weights.step_fn({1 / 3: 1.0, 2 / 3: 0.68, 1.0: 0.22}))
    model = Access(
        demand_df=pd.DataFrame({"id": range(n), "pop": population}),
        demand_index="id", demand_value="pop",
        supply_df=pd.DataFrame({"id": range(m), "places": capacity}),
        supply_index="id", supply_value="places",
        cost_df=costs, cost_origin="origin", cost_dest="dest", cost_name="cost",
    )
    model.enhanced_two_stage_fca(name="e2sfca", max_cost=1.0, weight_fn=weight_fn)
    theirs = model.access_df["e2sfca_places"].reindex(range(n)).fillna(0).to_numpy(float)
    assert ours == pytest.approx(theirs, rel=1e-9, abs=1e-12)


def test_a_district_counts_residents_across_its_border() -> None:
    # District A's small areas (S001, S002) and a neighbour's (S003) 500 m away share one hall.
    areas = small_areas([(400_000, 300_000), (400_300, 300_000), (400_800, 300_000),
                         (460_000, 300_000)], [100, 100, 200, 50])
    hall = assets(hubs=[(400_400, 300_000)])
    hall["capacity"] = [80]
    table = access(areas, hall)
    district = table.iloc[:2]
    figures = district_supply(areas, hall, district, GapThresholds(), "gaussian")
    whole = e2sfca(table[["location_easting", "location_northing"]].to_numpy(float),
                   table["population"].to_numpy(float), table["catchment_m"].to_numpy(float),
                   np.array([[400_400.0, 300_000.0]]), np.array([80.0]), "gaussian")
    assert figures.per_1000.to_numpy() == pytest.approx(whole.per_resident[:2] * 1000)
    assert figures.hubs_used == 1 and figures.hubs_known_capacity == 1
    assert list(figures.per_1000.index) == list(district.index)
