"""The report's method section says what the code does; docs/METHOD.md is generated from it."""

from __future__ import annotations

import re

from assetmap.analysis import (
    METHOD_DOCUMENT,
    DistrictReport,
    GapThresholds,
    method_sections,
    method_text,
)
from assetmap.analysis.method import SECTIONS, MethodFacts, sections_for
from assetmap.analysis.method_doc import method_document
from assetmap.config import PROJECT_ROOT
from assetmap.layers import load_catalog
from tests.analysis.riverside import MakeReport

DOC = (PROJECT_ROOT / METHOD_DOCUMENT).read_text(encoding="utf-8")
DOC_TEXT = re.sub(r"\s+", " ", DOC.replace("**", "").replace("`", ""))  # prose, unwrapped
SHARED_TERMS = (
    "population-weighted centroid",
    "representative point",
    "straight-line distance",
    "greedy maximal covering",
    "no_hub",
    "poor_access",
    "over_capacity",
    "high_need",
    "under-served",
    "small-area centroid",
    "min(distance ÷ own catchment, 2) ÷ 2",
)


def test_method_and_doc_share_their_terms(report: DistrictReport) -> None:
    method = " ".join(method_text(report))
    for term in SHARED_TERMS:
        assert term in method, term
        assert term in DOC_TEXT, term


def test_doc_describes_every_threshold() -> None:
    for name in GapThresholds().as_flat_dict():
        assert f"`{name}`" in DOC or name in DOC, name


def test_method_states_the_values_used(make_report: MakeReport) -> None:
    thresholds = GapThresholds.from_flat_dict(
        {"rural_catchment_m": 2_500, "over_capacity_residents_per_hub": 3_000,
         "deprived_deciles": 2, "weight_need": 0.1, "weight_uncovered": 0.45}
    )
    method = " ".join(method_text(make_report(thresholds=thresholds)))
    assert "2,500 m for rural" in method
    assert "more than 3,000 residents per hub" in method
    assert "IMD deciles 1–2" in method
    assert "0.45 × uncovered" in method and "0.1 × need" in method
    assert "min(residents per hub ÷ 6,000, 1)" in method


def test_method_counts_this_districts_data(report: DistrictReport) -> None:
    method = " ".join(method_text(report))
    assert "all 16 small areas had a population-weighted centroid" in method
    assert "12 counted as urban and 4 as rural" in method
    assert "(1 here)" in method  # one existing asset was a candidate


def test_doc_is_what_the_method_source_generates() -> None:
    catalog = load_catalog(PROJECT_ROOT / "layers")
    expected = method_document(catalog.hub_categories)
    assert expected == DOC, (
        "docs/METHOD.md is not what assetmap/analysis/method.py and method_doc.py generate: "
        "run `python -m assetmap.analysis.method_doc` and commit the result"
    )


def test_doc_says_every_statement_a_report_makes(report: DistrictReport) -> None:
    catalog = load_catalog(PROJECT_ROOT / "layers")
    for section in sections_for(MethodFacts(GapThresholds(), catalog.hub_categories)):
        assert f"## {section.title}" in DOC
        for paragraph in section.paragraphs:
            assert re.sub(r"\s+", " ", paragraph) in re.sub(r"\s+", " ", DOC), paragraph
    # The report states the same sections, in the same order, filled in with its own run.
    titles = [section.title for section in method_sections(report)]
    assert titles == [title for title, _ in SECTIONS]
