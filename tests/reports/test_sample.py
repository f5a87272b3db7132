"""Reports on the bundled synthetic county (skipped until data/sample.gpkg exists)."""

from __future__ import annotations

import pytest

from assetmap.analysis import AnalysisInputs, build_district_report
from assetmap.config import PROJECT_ROOT
from assetmap.layers import load_catalog
from assetmap.reports import report_csv, report_html
from assetmap.store import open_store

SAMPLE = PROJECT_ROOT / "data" / "sample.gpkg"
pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason="data/sample.gpkg not generated yet")


@pytest.fixture(scope="module")
def inputs() -> AnalysisInputs:
    store = open_store(str(SAMPLE))
    try:
        return AnalysisInputs.from_store(store, load_catalog(PROJECT_ROOT / "layers"))
    finally:
        store.close()


def test_every_district_reports(inputs: AnalysisInputs) -> None:
    assert inputs.synthetic
    for code in inputs.districts["code"]:
        report = build_district_report(inputs, code)
        assert report.district_code == code
        assert report.sources[0].synthetic
        if len(report.areas):
            assert list(report.areas["rank"]) == list(range(1, len(report.areas) + 1))
            assert report_csv(report).count(b"\r\n") == len(report.areas) + 1
        else:
            assert report.warnings


def test_sample_page(inputs: AnalysisInputs) -> None:
    report = build_district_report(inputs, str(inputs.districts["code"].iloc[0]))
    page = report_html(report, standalone=True)
    assert "Synthetic sample data." in page
    assert "/static/" not in page
    assert len(page) < 3_000_000
