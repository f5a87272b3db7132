"""The analysis boundary: inputs are checked and put in EPSG:27700 once; the stages trust them."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import geopandas as gpd

import assetmap.analysis
from assetmap import crs
from assetmap.analysis import GapThresholds, ReportService, build_district_report
from assetmap.config import PROJECT_ROOT
from assetmap.errors import CRSError, DataError
from assetmap.layers import load_catalog
from assetmap.store import open_store
from tests.analysis.riverside import HILLSIDE, NOW, RIVERSIDE, make_inputs

_PREPARE = ("prepare_small_areas", "prepare_community_areas", "prepare_assets")


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Counts of the analysis' ``to_metric`` and ``prepare_*`` calls, and of every reprojection.

    ``to_crs`` counts each frame or series actually reprojected, by anyone
    (assetmap.locate, for one, checks the CRS of what it is given but finds
    nothing to reproject in what the analysis gives it).
    """
    counted: Counter[str] = Counter()

    def counting(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counted[name] += 1
            return function(*args, **kwargs)

        return wrapper

    originals = {"to_metric": crs.to_metric}
    from assetmap.analysis import inputs

    originals.update({name: getattr(inputs, name) for name in _PREPARE})
    # A frame's to_crs reprojects its geometry series: this counts both.
    monkeypatch.setattr(gpd.GeoSeries, "to_crs", counting("to_crs", gpd.GeoSeries.to_crs))
    # Between WGS84 and the grid, assetmap.crs reprojects through its own transformer.
    monkeypatch.setattr(crs, "_reprojected", counting("to_crs", crs._reprojected))
    for module_name, module in list(sys.modules.items()):
        if not module_name.startswith("assetmap.analysis"):
            continue
        for name, function in originals.items():
            if getattr(module, name, None) is function:
                monkeypatch.setattr(module, name, counting(name, function))
    yield counted


def test_inputs_are_projected_once_and_district_reports_trust_them(calls: Counter[str]) -> None:
    inputs = make_inputs()
    # One projection per layer, one check per layer that needs its values read.
    assert calls == {"to_metric": 4, "prepare_small_areas": 1, "prepare_assets": 1}
    lonlat = inputs.small_areas.to_crs(4326)
    calls.clear()
    replace(inputs, small_areas=lonlat)
    assert calls["to_metric"] == 4 and calls["to_crs"] == 1  # only what was not in EPSG:27700
    calls.clear()
    build_district_report(inputs, "Riverside", now=NOW)
    build_district_report(inputs, HILLSIDE, now=NOW, all_areas=True, n_sites=2)
    build_district_report(inputs, RIVERSIDE, GapThresholds(urban_catchment_m=1_000), now=NOW)
    assert calls == {}  # before the analysis package: 11 to_metric and 4 prepare calls each


def test_the_web_service_projects_once_per_store_version(
    calls: Counter[str], riverside_gpkg: Path
) -> None:
    store = open_store(str(riverside_gpkg))
    try:
        service = ReportService(store, load_catalog(PROJECT_ROOT / "layers"), GapThresholds())
        options = service.options([], all_areas=False, sites=5)
        for district in ("Riverside", "Hillside", "Riverside"):
            service.report(district, options)
        service.report("Riverside", service.options([("urban_catchment_m", "900")],
                                                    all_areas=True, sites=3))
    finally:
        store.close()
    assert calls == {"to_metric": 4, "prepare_small_areas": 1, "prepare_assets": 1}  # no to_crs


def test_raw_frames_are_prepared_once_by_analyse(calls: Counter[str]) -> None:
    inputs = make_inputs()
    calls.clear()
    assetmap.analysis.analyse(inputs.small_areas, inputs.community_areas, inputs.assets,
                              inputs.hub_categories, district="Riverside",
                              districts=inputs.districts)
    assert calls == {"to_metric": 3, "prepare_small_areas": 1, "prepare_community_areas": 1,
                     "prepare_assets": 1}


def test_layers_come_out_in_british_national_grid() -> None:
    raw = make_inputs()
    inputs = replace(raw, small_areas=raw.small_areas.to_crs(4326),
                     assets=raw.assets.to_crs(4326), districts=raw.districts.to_crs(4326))
    for frame in (inputs.small_areas, inputs.community_areas, inputs.assets, inputs.districts):
        assert frame.crs.equals(crs.METRIC_CRS)
    assert inputs.small_areas["population"].dtype == float
    assert list(inputs.hubs["id"]) == ["H1", "H2", "H3", "H4"]  # not the café, not closed X1


def test_bad_layers_are_refused_when_the_inputs_are_built() -> None:
    raw = make_inputs()
    bare = gpd.GeoDataFrame(raw.assets.drop(columns="geometry"), geometry=list(raw.assets.geometry))
    with pytest.raises(CRSError, match="assets layer has no coordinate reference system"):
        replace(raw, assets=bare)
    with pytest.raises(DataError, match="small_areas layer has no `population` column"):
        replace(raw, small_areas=raw.small_areas.drop(columns="population"))
    doubled = gpd.GeoDataFrame(
        pd.concat([raw.community_areas, raw.community_areas.iloc[:1]]), crs=crs.METRIC_CRS
    )
    with pytest.raises(DataError, match="repeats a `code`"):
        replace(raw, community_areas=doubled)


def test_every_public_name_resolves() -> None:
    for name in assetmap.analysis.__all__:
        assert getattr(assetmap.analysis, name) is not None, name
    with pytest.raises(AttributeError):
        assetmap.analysis.analyse_prepared  # noqa: B018 (internal: not in the public face)


def test_settings_do_not_import_the_numerical_stack() -> None:
    code = (
        "import sys, assetmap.config; "
        "assert 'scipy' not in sys.modules and 'assetmap.analysis.gaps' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PROJECT_ROOT)
