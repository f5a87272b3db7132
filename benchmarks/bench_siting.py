"""Benchmark exact siting and E2SFCA at England scale.

Run from the repository root::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_siting.py            # England scale
    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_siting.py --scale county

Inputs come from ``assetmap.sample.generate_sample`` (seed 42; building the England
sample takes about 15 s and is not timed). For the district with the most small
areas it prints, side by side in one run:

* exact maximal covering for 5 new sites (SciPy ``milp``, HiGHS) with every small area
  of the district and every candidate (its non-hub assets and all its small-area
  points): solve time, status and proven gap; greedy's time and value on the same
  problem, and how much better the optimum is;
* set covering (95 % of residents) and p-median (5 sites) on the same problem, for
  information (no target);
* the same three on the same district as if it had no hub yet ("greenfield"): every
  small area is demand, a far harder instance than the real one;
* E2SFCA hub places per 1,000 residents over *every* small area and hub of the sample.

Targets: maximal covering ≤ 10 s to a proven optimum or a gap ≤ 1 %; E2SFCA ≤ 5 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assetmap.analysis import AnalysisInputs, GapThresholds, SitingOptions
from assetmap.analysis.access import (
    catchment_radii,
    hub_locations,
    small_area_locations,
    urban_flags,
)
from assetmap.analysis.gaps import analyse_prepared
from assetmap.analysis.inputs import point_coordinates
from assetmap.analysis.optimise import solve_problem
from assetmap.analysis.optimise.problem import build_problem, candidate_table
from assetmap.analysis.siting import non_hub_assets
from assetmap.analysis.supply import e2sfca, hub_capacities
from assetmap.sample import generate_sample

TARGET_COVERAGE_S = 10.0
TARGET_GAP = 0.01
TARGET_E2SFCA_S = 5.0


def load(scale: str) -> AnalysisInputs:
    started = time.perf_counter()
    tables: dict[str, Any] = generate_sample(42, scale)
    inputs = AnalysisInputs(
        small_areas=tables["small_areas"], community_areas=tables["community_areas"],
        assets=tables["assets"], districts=tables["districts"],
        hub_categories=("community_hub", "village_hall", "community_centre",
                        "community_library", "council_library", "church_hall"),
    )
    print(f"sample ({scale}, seed 42): {len(inputs.small_areas):,} small areas, "
          f"{len(inputs.assets):,} assets, {len(inputs.hubs):,} hubs; built in "
          f"{time.perf_counter() - started:.1f} s (not timed below)")
    return inputs


def largest_district(inputs: AnalysisInputs) -> str:
    counts = inputs.small_areas["district_code"].value_counts()
    return str(counts.index[0])


def siting(inputs: AnalysisInputs, code: str, *, greenfield: bool = False) -> None:
    result = analyse_prepared(inputs.small_areas, inputs.community_areas, inputs.hubs,
                              GapThresholds(), district_code=code, all_areas=True)
    access = result.small_areas
    assets = non_hub_assets(inputs.assets, inputs.hub_categories, code)
    if greenfield:  # as if the district had no hub yet: every resident is to be reached
        access = access.copy()
        access["within_catchment"] = False
        access["distance_to_nearest_hub_m"] = np.nan
        print("\nThe same district as if it had no hub at all (a much harder instance):", end="")
    started = time.perf_counter()
    problem = build_problem(access, candidate_table(access, assets))
    built = time.perf_counter() - started
    demand = problem.demand
    outside = int((~demand.covered).sum())
    print(f"\ndistrict {code} (most small areas): {len(access):,} small areas ({outside:,} "
          f"populated and outside every catchment), {len(problem.candidates):,} candidates "
          f"({len(assets):,} non-hub assets + {len(access):,} small-area points); "
          f"reach matrix {problem.cover.nnz:,} non-zeros, built in {built:.2f} s")
    for options in (SitingOptions(objective="coverage", sites=5),
                    SitingOptions(objective="set_cover", target_share=0.95),
                    SitingOptions(objective="p_median", sites=5)):
        started = time.perf_counter()
        answer = solve_problem(problem, options)
        total = time.perf_counter() - started
        exact, greedy = answer.exact, answer.greedy
        share = answer.improvement_share
        print(f"  {options.objective:<9} exact {exact.value:,.1f} ({exact.status}, from "
              f"{exact.source}, gap {exact.gap:.4%}, solve {exact.seconds:.2f} s, all in "
              f"{total:.2f} s) | greedy {greedy.value:,.1f} in {greedy.seconds:.3f} s | "
              f"better by {answer.improvement or 0:,.1f}"
              + (f" ({share:.2%})" if share is not None else ""))
        if options.objective == "coverage":
            met = exact.seconds <= TARGET_COVERAGE_S and (
                exact.status == "optimal" or exact.gap <= TARGET_GAP)
            print(f"  target: maximal covering ≤ {TARGET_COVERAGE_S:g} s to a proven optimum "
                  f"or a gap ≤ {TARGET_GAP:.0%}: {'met' if met else 'NOT met'}")


def supply(inputs: AnalysisInputs) -> None:
    thresholds = GapThresholds()
    small = inputs.small_areas
    started = time.perf_counter()
    population = small["population"].to_numpy(float)
    xy, _ = small_area_locations(small)
    urban, _ = urban_flags(small, population, thresholds.urban_density_per_km2)
    catchment = catchment_radii(urban, thresholds)
    hub_xy, _ = hub_locations(inputs.hubs)
    placed = np.isfinite(point_coordinates(inputs.hubs.geometry)).all(axis=1)
    capacity, known = hub_capacities(inputs.hubs[placed])
    prepared = time.perf_counter() - started
    started = time.perf_counter()
    figures = e2sfca(xy, population, catchment, hub_xy, capacity, "gaussian")
    seconds = time.perf_counter() - started
    shared = float((figures.per_resident * population).sum())
    print(f"\nE2SFCA over all {len(small):,} small areas and {len(hub_xy):,} hubs "
          f"({int(known.sum()):,} with a stated capacity): {seconds:.2f} s "
          f"(+ {prepared:.2f} s reading locations and urban flags); places shared out "
          f"{shared:,.0f} of {capacity[figures.reaching].sum():,.0f} in reach; target ≤ "
          f"{TARGET_E2SFCA_S:g} s: {'met' if seconds + prepared <= TARGET_E2SFCA_S else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", choices=("england", "county"), default="england")
    args = parser.parse_args()
    inputs = load(args.scale)
    siting(inputs, largest_district(inputs))
    siting(inputs, largest_district(inputs), greenfield=True)
    supply(inputs)


if __name__ == "__main__":
    main()
