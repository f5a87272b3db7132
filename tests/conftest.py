"""Shared fixtures: a tiny hand-made county in a GeoPackage, and an app on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest
from fastapi.testclient import TestClient

import geopandas as gpd
from shapely.geometry import MultiPolygon, Point, box

from assetmap.api import create_app
from assetmap.config import PROJECT_ROOT, Settings
from assetmap.store.gpkg_write import write_geopackage

# PostGIS fixtures (postgis_url, store_location over both backends) and a local SMTP server.
pytest_plugins = ["tests.backends", "tests.mail_server"]

BNG = "EPSG:27700"
XSS_NAME = "<img src=x onerror=alert(1)>"
REAL_DATA = PROJECT_ROOT.parent / "shared" / "data" / "real"


def tiny_tables() -> dict[str, pd.DataFrame]:
    """Two 10 km districts side by side near Leicester, four parishes, five assets, three
    organisations and four activities (one at two assets, one at the closed hall, ended)."""
    west, east = box(450_000, 300_000, 460_000, 310_000), box(460_000, 300_000, 470_000, 310_000)
    districts = gpd.GeoDataFrame(
        {"code": ["E07999001", "E07999002"], "name": ["Westshire", "Eastvale"]},
        geometry=[MultiPolygon([west]), MultiPolygon([east])],
        crs=BNG,
    )
    areas = gpd.GeoDataFrame(
        {
            "code": ["E04999001", "E04999002", "E43999001", "E04999003"],
            "name": ["Ashby Parva", "Beeby", "Westtown (unparished)", "Cotes"],
            "district_code": ["E07999001", "E07999001", "E07999002", "E07999002"],
            "governance": ["parish_council", "parish_meeting", "unparished", "town_council"],
        },
        geometry=[
            MultiPolygon([box(450_000, 300_000, 455_000, 310_000)]),
            MultiPolygon([box(455_000, 300_000, 460_000, 310_000)]),
            MultiPolygon([box(460_000, 300_000, 465_000, 310_000)]),
            MultiPolygon([box(465_000, 300_000, 470_000, 310_000)]),
        ],
        crs=BNG,
    )
    assets = gpd.GeoDataFrame(
        {
            "id": ["A1", "A2", "A3", "A4", "A5"],
            "name": ["Ashby Village Hall", "Beeby Church Hall", XSS_NAME, "Cotes Café", "Old Hall"],
            "category": ["village_hall", "church_hall", "community_centre", "community_cafe",
                         "village_hall"],
            "status": ["open", "open", "open", "at_risk", "closed"],
            "district_code": ["E07999001", "E07999001", "E07999002", "E07999002", "E07999001"],
            "community_area_code": ["E04999001", "E04999002", "E43999001", "E04999003",
                                    "E04999001"],
            "address": ["1 Main St", None, "2 High St", None, None],
            "postcode": ["LZ1 1AA", None, "LZ2 1AA", None, None],
            "opening_times": ["Mon-Fri 9-5", None, None, None, None],
            "accessibility": ["step_free;hearing_loop", None, None, None, None],
            "email": [None, None, None, None, None],
            "website": ["https://example.org/hall", None, "javascript:alert(1)", None, None],
            "phone": [None] * 5,
            "last_verified": ["2026-01-10", None, None, None, None],
        },
        geometry=[Point(452_000, 305_000), Point(457_000, 305_000), Point(462_000, 305_000),
                  Point(467_000, 305_000), Point(451_000, 301_000)],
        crs=BNG,
    )
    postcodes = gpd.GeoDataFrame(
        {"postcode": ["LZ1 1AA", "LZ2 1AA"], "district_code": ["E07999001", "E07999002"]},
        geometry=[Point(452_010, 305_010), Point(462_010, 305_010)],
        crs=BNG,
    )
    organisations = pd.DataFrame(
        {
            "id": ["O1", "O2", "O3"],
            "name": ["Ashby Parva Parish Council", "Westtown Good Neighbours", "Shire Age Concern"],
            "kind": ["parish_council", "voluntary_group", "charity"],
            "charity_number": [None, None, "9900001"],
            "company_number": [None] * 3,
            "areas_served": ["E04999001", "E43999001", "E07999001;E07999002"],
            "description": [None, "Volunteers helping neighbours.", None],
            "email": [None, "hello@westtown.example", None],
            "phone": [None] * 3,
            "website": [None] * 3,
            "last_verified": ["2026-06-01", None, None],
        }
    )
    activities = pd.DataFrame(
        {
            "id": ["AC1", "AC2", "AC3", "AC4"],
            "name": ["Friendship Lunch", "Stay and Play", "Memory Café",
                     "Old Hall Knit and Natter"],
            "category": ["lunch_club", "toddler_group", "dementia_cafe", "arts_and_crafts"],
            "description": [None, "Play and song for under-fives.", None, None],
            "organisation_id": ["O3", "O2", "O3", "O1"],
            "asset_ids": ["A1", "A3", "A3;A2", "A5"],
            "schedule": ["We 12:00-14:00", "Tu 09:30-11:30; PH off", "Th[2] 14:00-16:00",
                         "Mo 14:00-16:00"],
            "audience": ["older_people", "families;children", "people_with_dementia;carers",
                         "everyone"],
            "age_min": pd.array([None, 0, None, None], dtype="Int64"),
            "age_max": pd.array([None, 4, None, None], dtype="Int64"),
            "cost": ["£4 including lunch", "free", "free", "£2"],
            "email": [None] * 4,
            "phone": [None] * 4,
            "website": [None] * 4,
            "status": ["active", "active", "active", "ended"],
            "last_verified": ["2026-09-01", None, None, None],
        }
    )
    metadata = pd.DataFrame(
        {
            "key": ["synthetic", "title", "notice"],
            "value": ["true", "Tiny test county", "Synthetic test data: invented places."],
        }
    )
    return {
        "districts": districts,
        "community_areas": areas,
        "assets": assets,
        "postcodes": postcodes,
        "organisations": organisations,
        "activities": activities,
        "assetmap_metadata": metadata,
    }


XSS_AREA_CODE = "E43000902"


@pytest.fixture(autouse=True)
def bundled_sample_is_never_written() -> Iterator[None]:
    """Tests write only to copies: the committed sample must come out of every test unchanged."""
    sample = PROJECT_ROOT / "data" / "sample.gpkg"
    before = sample.stat().st_mtime_ns if sample.exists() else None
    yield
    after = sample.stat().st_mtime_ns if sample.exists() else None
    assert after == before, "this test wrote to data/sample.gpkg; give it a copy of the store"


@pytest.fixture(scope="session")
def riverside_gpkg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-worked Riverside county (tests/analysis/riverside.py) as a store.

    Southbank is renamed to an HTML payload to prove every page escapes it.
    """
    from tests.analysis.riverside import make_inputs

    inputs = make_inputs(names={XSS_AREA_CODE: XSS_NAME})
    path = tmp_path_factory.mktemp("riverside") / "riverside.gpkg"
    metadata = pd.DataFrame({"key": list(inputs.metadata), "value": list(inputs.metadata.values())})
    write_geopackage(
        path,
        {
            "districts": inputs.districts,
            "community_areas": inputs.community_areas,
            "small_areas": inputs.small_areas,
            "assets": inputs.assets,
            "assetmap_metadata": metadata,
        },
    )
    return path


@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The real Leicestershire store (``assetmap build-real``), built once per session.

    Skips where ../shared/data/real is absent. Returns the ``RealBuild`` (path, counts,
    what each importer read, and the build time in seconds).
    """
    if not REAL_DATA.is_dir():
        pytest.skip(f"real data folder {REAL_DATA} is absent")
    from assetmap.layers import load_catalog
    from assetmap.sources.real import build_real

    out = tmp_path_factory.mktemp("real") / "real.gpkg"
    return build_real(REAL_DATA, out, load_catalog(PROJECT_ROOT / "layers"))


@pytest.fixture
def tiny_gpkg(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.gpkg"
    write_geopackage(path, tiny_tables())
    return path


@pytest.fixture
def settings(tiny_gpkg: Path) -> Settings:
    return Settings(store=str(tiny_gpkg))


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def assert_canonical_error(
    response: httpx.Response, status: int, *, mentions: str = ""
) -> dict[str, Any]:
    """Every error has the same body: {"error": {status, code, message, details}}."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error: dict[str, Any] = body["error"]
    assert set(error) == {"status", "code", "message", "details"}
    assert error["status"] == status
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["details"], list)
    assert mentions.lower() in error["message"].lower(), error["message"]
    return error
