"""The gap analysis: where people are far from, or short of, a place to meet.

This module is the package's public face; code outside ``assetmap.analysis``
imports from here only. The method, with every threshold and formula, is
described for planners in docs/METHOD.md (generated from
:mod:`assetmap.analysis.method`).

Inputs are checked and put in British National Grid (EPSG:27700) once, where
they enter: :class:`AnalysisInputs` (from a store, or from frames) for a
district report, or :func:`analyse` and the other public functions for raw
frames. The stages inside (access, areas, siting) trust what they are given.

Typical use::

    inputs = AnalysisInputs.from_store(store, catalog)   # checked and projected once
    report = build_district_report(inputs, "Blaby")        # analysis + siting + context
    result = analyse(small_areas, community_areas, assets, catalog.hub_categories)

Modules: ``thresholds`` (the settings), ``inputs`` (checks at the boundary),
``access`` (per small area), ``areas`` (per community area: measures, flags,
score, rank), ``fallback`` (LSOAs when no parishes are loaded), ``gaps`` (the
whole analysis), ``siting`` (where a new hub would help most), ``district``
(one district's result and its context), ``service`` (the per-store-version
cache the web app uses), ``method`` (the method's statements, for reports and
docs/METHOD.md), ``method_doc`` and ``method_background`` (docs/METHOD.md,
generated: ``python -m assetmap.analysis.method_doc``); for scenarios,
``coverage`` (which hubs cover which small areas, county-wide), ``scenarios``
(closing and opening hubs, per district), ``impact`` (closing one asset),
``equality`` (who the residents are), ``freshness`` (coverage resting on stale
records), ``stability`` (how stable ranks are), ``views`` (those three per report).

Names are loaded on first use, so ``from assetmap.analysis import GapThresholds``
(as the settings do) does not import the numerical stack.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assetmap.analysis.areas import SCORE_DECIMALS
    from assetmap.analysis.coverage import CoverageIndex, build_coverage
    from assetmap.analysis.district import (
        DistrictReport,
        build_district_report,
        district_hubs,
    )
    from assetmap.analysis.equality import EqualityView, ResidentsProfile
    from assetmap.analysis.freshness import StaleCoverage
    from assetmap.analysis.gaps import (
        GapResult,
        analyse,
        community_area_gaps,
        district_summary,
        resolve_district,
        select_hubs,
        small_area_access,
    )
    from assetmap.analysis.impact import ClosureImpact, closure_impact
    from assetmap.analysis.inputs import AnalysisInputs
    from assetmap.analysis.method import (
        METHOD_DOCUMENT,
        MethodSection,
        method_sections,
        method_text,
    )
    from assetmap.analysis.scenarios import (
        Change,
        ScenarioOutcome,
        check_change,
        evaluate_scenario,
        parse_close,
        parse_open,
    )
    from assetmap.analysis.service import ReportOptions, ReportService
    from assetmap.analysis.siting import (
        KIND_ASSET,
        KIND_SMALL_AREA,
        candidate_assets,
        propose_sites,
    )
    from assetmap.analysis.stability import StabilityRanges
    from assetmap.analysis.thresholds import GapThresholds, ScoreWeights, parse_thresholds

# Where __getattr__ looks for a public name, lightest first: the settings import
# GapThresholds, which must not pull in geopandas and scipy.
_MODULES = ("thresholds", "areas", "inputs", "gaps", "siting", "district", "service", "method",
            "coverage", "equality", "freshness", "impact", "scenarios", "stability")

__all__ = [
    "KIND_ASSET",
    "KIND_SMALL_AREA",
    "METHOD_DOCUMENT",
    "SCORE_DECIMALS",
    "AnalysisInputs",
    "Change",
    "ClosureImpact",
    "CoverageIndex",
    "DistrictReport",
    "EqualityView",
    "GapResult",
    "GapThresholds",
    "MethodSection",
    "ReportOptions",
    "ReportService",
    "ResidentsProfile",
    "ScenarioOutcome",
    "ScoreWeights",
    "StabilityRanges",
    "StaleCoverage",
    "analyse",
    "build_coverage",
    "build_district_report",
    "candidate_assets",
    "check_change",
    "closure_impact",
    "community_area_gaps",
    "district_hubs",
    "district_summary",
    "evaluate_scenario",
    "method_sections",
    "method_text",
    "parse_close",
    "parse_open",
    "parse_thresholds",
    "propose_sites",
    "resolve_district",
    "select_hubs",
    "small_area_access",
]


def __getattr__(name: str) -> Any:
    """Import the module a public name lives in on first use (PEP 562)."""
    if name in __all__:
        for module_name in _MODULES:
            module = import_module(f"{__name__}.{module_name}")
            if name in module.__all__:
                value = getattr(module, name)
                globals()[name] = value
                return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
