"""Maximal and set covering on hand-worked instances where greedy is provably worse.

Four small areas on a line (urban, 800 m catchments), no hub anywhere yet::

    S001 (0, 0) 40    S002 (1000, 0) 50    S003 (2000, 0) 50    S004 (3000, 0) 40

Cafés: C1 (1500, 0) reaches S002 and S003 (100 residents); C2 (500, 0) reaches S001
and S002 (90); C3 (2500, 0) reaches S003 and S004 (90). Each small area's own point
reaches only itself (its neighbours are 1,000 m away).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assetmap.analysis import EquityWeights, SitingOptions
from assetmap.analysis.optimise import covering, solve_siting
from assetmap.analysis.optimise.milp import MilpOutcome
from assetmap.crs import metric_to_lonlat
from tests.analysis.optimise.instances import (
    access,
    assets,
    candidates_of,
    random_instance,
    small_areas,
)

LINE = [(0, 0), (1000, 0), (2000, 0), (3000, 0)]
CAFES = [(1500, 0), (500, 0), (2500, 0)]


def line() -> tuple:  # type: ignore[type-arg]
    places = assets(candidates=CAFES)
    return access(small_areas(LINE, [40, 50, 50, 40]), places), candidates_of(places)


def test_maximal_covering_beats_greedy_on_the_line() -> None:
    table, cafes = line()
    result = solve_siting(table, cafes, SitingOptions(objective="coverage", sites=2))
    # Greedy: C1 (100), then C2 gains only S001 (40): 140. The optimum is C2 + C3: 180.
    assert result.greedy.value == 140
    assert result.greedy_site_ids == ("C1", "C2")
    assert result.exact.value == 180
    assert result.exact.status == "optimal" and result.exact.gap == pytest.approx(0, abs=1e-6)
    assert result.exact.bound == pytest.approx(180)
    assert result.improvement == 40
    assert result.improvement_share == pytest.approx(40 / 140)
    assert list(result.sites["candidate_id"]) == ["C2", "C3"]
    assert list(result.sites["newly_covered_population"]) == [90, 90]
    assert list(result.sites["uncovered_share_after"]) == pytest.approx([90 / 180, 0])
    document = result.as_dict()
    assert document["value"] == 180 and document["greedy"]["value"] == 140
    assert document["improvement_over_greedy"] == 40 and document["optimality_gap"] == 0


def test_set_covering_needs_fewer_sites_than_greedy() -> None:
    table, cafes = line()
    result = solve_siting(table, cafes, SitingOptions(objective="set_cover", target_share=1.0))
    # Greedy takes C1, then C2, then C3 (3 sites); C2 and C3 reach everyone.
    assert result.greedy.value == 3
    assert result.exact.value == 2 and result.exact.bound == 2
    assert result.improvement == 1
    assert sorted(result.sites["candidate_id"]) == ["C2", "C3"]
    assert result.sites["uncovered_population_after"].iloc[-1] == 0
    assert result.as_dict()["target_share"] == 1.0


def test_set_covering_counts_hubs_already_there_and_stops_at_the_target() -> None:
    places = assets(hubs=[(0, 0)], candidates=CAFES)
    table = access(small_areas(LINE, [40, 50, 50, 40]), places)
    # S001 (40 of 180, 22 %) is covered already; 50 % needs 50 more: one site (C1, 100).
    result = solve_siting(table, candidates_of(places),
                          SitingOptions(objective="set_cover", target_share=0.5))
    assert result.exact.value == 1 and list(result.sites["candidate_id"]) == ["C1"]
    reached = solve_siting(table, candidates_of(places),
                           SitingOptions(objective="set_cover", target_share=0.2))
    assert reached.exact.value == 0 and reached.sites.empty


def test_an_unreachable_target_is_said_not_faked() -> None:
    table, cafes = line()
    result = solve_siting(table, cafes, SitingOptions(objective="set_cover", target_share=1.0),
                          include_small_areas=False)
    assert result.exact.value == 2  # the cafés alone still reach everyone
    far = small_areas([*LINE, (20_000, 0)], [40, 50, 50, 40, 100])
    result = solve_siting(access(far, assets(candidates=CAFES)), cafes,
                          SitingOptions(objective="set_cover", target_share=1.0),
                          include_small_areas=False)
    assert result.exact.status == "target not reachable"
    assert result.sites.empty and result.as_dict()["value"] is None


def test_equity_weights_change_the_choice_and_are_echoed() -> None:
    # One site, two uncovered small areas 10 km apart: S001 unparished (100), S002 (120).
    areas = small_areas([(0, 0), (10_000, 0)], [100, 120], imd=[5, 5],
                        community=["E43000001", "E04000001"])
    table = access(areas, assets())
    plain = solve_siting(table, None, SitingOptions(sites=1), unparished_codes={"E43000001"})
    assert list(plain.sites["candidate_id"]) == ["S002"] and plain.exact.value == 120
    weights = EquityWeights(enabled=True, unparished=1.5, deprived=2.0)
    weighted = solve_siting(table, None, SitingOptions(sites=1, equity=weights),
                            unparished_codes={"E43000001"})
    assert list(weighted.sites["candidate_id"]) == ["S001"]
    assert weighted.exact.value == 150  # 100 residents × 1.5
    assert weighted.sites["newly_covered_population"].iloc[0] == 100  # real people
    assert weighted.equity == {"enabled": True, "unparished": 1.5, "deprived": 2.0,
                               "deprived_deciles": 3, "combined": "multiplied"}
    # Deprived (IMD deciles 1–3) residents count 2 times: S002 in decile 2 wins again.
    areas["imd_decile"] = [5, 2]
    deprived = solve_siting(access(areas, assets()), None,
                            SitingOptions(sites=1, equity=weights),
                            unparished_codes={"E43000001"})
    assert list(deprived.sites["candidate_id"]) == ["S002"] and deprived.exact.value == 240


def test_planner_points_are_candidates() -> None:
    # Planners give points in WGS 84; this one is (420000, 300000), between the two areas.
    lon, lat = metric_to_lonlat(420_000.0, 300_000.0)
    areas = small_areas([(419_600, 300_000), (420_400, 300_000)], [60, 70])
    result = solve_siting(access(areas, assets()), None,
                          SitingOptions(sites=1, points=((lon, lat),)))
    assert list(result.sites["kind"]) == ["planner point"]
    assert list(result.sites["candidate_id"]) == ["P1"] and result.exact.value == 130
    assert result.candidates == {"planner point": 1, "small-area centroid": 2}


def test_time_limit_falls_back_to_greedy_and_states_the_gap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def stopped(*_: object, **__: object) -> MilpOutcome:
        # As HiGHS answers when the limit hits before any incumbent: only a bound.
        return MilpOutcome(x=None, objective=float("nan"), dual_bound=-200.0, gap=float("inf"),
                           proven=False, seconds=0.5)

    monkeypatch.setattr(covering, "solve_milp", stopped)
    table, cafes = line()
    result = solve_siting(table, cafes, SitingOptions(sites=2, time_limit_s=0.5))
    assert result.exact.source == "greedy" and result.exact.status == "time limit reached"
    assert result.exact.value == 140 and result.exact.bound == 180  # capped by who can be reached
    assert result.exact.gap == pytest.approx(40 / 140)
    assert list(result.sites["candidate_id"]) == ["C1", "C2"]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), sites=st.integers(1, 6),
       objective=st.sampled_from(["coverage", "set_cover"]))
def test_exact_is_never_worse_than_greedy(seed: int, sites: int, objective: str) -> None:
    areas, places = random_instance(np.random.default_rng(seed), 40, 3, 15, 6000)
    options = SitingOptions(objective=objective, sites=sites, target_share=0.9)  # type: ignore[arg-type]
    result = solve_siting(access(areas, places), candidates_of(places), options)
    exact, greedy = result.exact, result.greedy
    if objective == "coverage":
        assert exact.value >= greedy.value - 1e-6
        assert exact.value <= exact.bound + 1e-6
        assert result.sites["newly_covered_population"].sum() == pytest.approx(exact.value)
        assert len(result.sites) <= sites
    else:
        assert exact.value <= greedy.value
        covered = 1 - result.sites["uncovered_share_after"].iloc[-1] if len(result.sites) else 1
        table = access(areas, places)
        already = table["population"][table["within_catchment"]].sum() / table["population"].sum()
        assert max(covered, already) >= 0.9 - 1e-9
