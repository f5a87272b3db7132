"""p-median with existing hubs fixed open, on a hand-worked triangle where greedy is worse.

Three small areas of 100 residents at the corners of an equilateral triangle with
1,000 m sides; the only hub is 50 km away. Candidates: a café at the triangle's centre
(577.35 m from each corner) and the corners' own points. Two new sites:

* greedy takes the centre first (3 × 577.35 = 1,732 m in all, less than a corner's
  0 + 1,000 + 1,000), then a corner: 0 + 577.35 + 577.35, a mean of 384.90 m;
* the optimum is two corners: 0 + 0 + 1,000, a mean of 333.33 m.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assetmap.analysis import SitingOptions
from assetmap.analysis.optimise import solve_siting
from assetmap.analysis.optimise.pmedian import nearer_candidates
from tests.analysis.optimise.instances import (
    access,
    assets,
    candidates_of,
    random_instance,
    small_areas,
)

HEIGHT = 1000 * math.sqrt(3) / 2
CORNERS = [(400_000, 300_000), (401_000, 300_000), (400_500, 300_000 + HEIGHT)]
CENTRE = (400_500, 300_000 + HEIGHT / 3)


def test_p_median_beats_greedy_on_the_triangle() -> None:
    places = assets(hubs=[(400_500, 350_000)], candidates=[CENTRE])
    table = access(small_areas(CORNERS, [100, 100, 100]), places)
    result = solve_siting(table, candidates_of(places), SitingOptions(objective="p_median",
                                                                      sites=2))
    to_centre = 1000 / math.sqrt(3)
    assert result.greedy.value == pytest.approx(2 * to_centre / 3)  # 384.90 m
    assert result.greedy_site_ids[0] == "C1"
    assert result.exact.value == pytest.approx(1000 / 3)  # 333.33 m
    assert result.exact.status == "optimal"
    assert result.exact.bound == pytest.approx(1000 / 3, rel=1e-6)
    assert result.improvement == pytest.approx(2 * to_centre / 3 - 1000 / 3)
    assert set(result.sites["kind"]) == {"small-area centroid"}
    assert result.sites["mean_distance_after_m"].iloc[-1] == pytest.approx(1000 / 3)


def test_only_candidates_nearer_than_the_nearest_hub_enter_the_model() -> None:
    # A hub 300 m from the first corner: only candidates nearer than that matter there.
    places = assets(hubs=[(400_000, 300_300)], candidates=[CENTRE])
    table = access(small_areas(CORNERS, [100, 100, 100]), places)
    xy = table[["location_easting", "location_northing"]].to_numpy(float)
    distance = table["distance_to_nearest_hub_m"].to_numpy(float)
    candidate_xy = np.array([CENTRE, *CORNERS], dtype=float)
    nearer = nearer_candidates(candidate_xy, xy, distance)
    first = nearer.candidate[nearer.area == 0]
    assert first.tolist() == [1]  # only the corner's own point (0 m) beats the hub at 300 m
    assert (nearer.distance < distance[nearer.area]).all()


def test_no_hub_at_all_still_gives_the_optimum() -> None:
    table = access(small_areas(CORNERS, [100, 100, 100]), assets(candidates=[CENTRE]))
    result = solve_siting(table, assets(candidates=[CENTRE]),
                          SitingOptions(objective="p_median", sites=1))
    assert result.exact.value == pytest.approx(1000 / math.sqrt(3))  # the centre, 577 m
    assert list(result.sites["candidate_id"]) == ["C1"]


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), sites=st.integers(1, 5))
def test_exact_mean_distance_is_never_worse_than_greedy(seed: int, sites: int) -> None:
    areas, places = random_instance(np.random.default_rng(seed), 40, 2, 15, 8000)
    result = solve_siting(access(areas, places), candidates_of(places),
                          SitingOptions(objective="p_median", sites=sites))
    assert result.exact.value <= result.greedy.value + 1e-6
    assert result.exact.bound <= result.exact.value + 1e-6
    assert result.sites["mean_distance_after_m"].iloc[-1] == pytest.approx(result.exact.value)


def test_a_model_too_large_for_the_time_limit_gives_greedy_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from assetmap.analysis.optimise import pmedian

    monkeypatch.setattr(pmedian, "MAX_PAIRS", 2)
    places = assets(hubs=[(400_500, 350_000)], candidates=[CENTRE])
    table = access(small_areas(CORNERS, [100, 100, 100]), places)
    result = solve_siting(table, candidates_of(places), SitingOptions(objective="p_median",
                                                                      sites=2))
    assert result.exact.status == "too large to solve exactly in the time limit"
    assert result.exact.source == "greedy"
    assert result.exact.value == pytest.approx(2 * 1000 / math.sqrt(3) / 3)
    document = result.as_dict()
    assert document["best_possible"] is None and document["optimality_gap"] is None
