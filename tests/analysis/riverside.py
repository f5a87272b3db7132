"""A small hand-built county for the district report, with every figure known.

District E07000901 "Riverside" (EPSG:27700 metres), each community area split
into four small areas of 2.5 km × 1.5 km::

    y=306000 +---------------------------+---------------------------+
             | A "Northgate" E43000901   | C "Eastwick" E43000903    |
             | unparished, urban, 7,000  | unparished, urban, 10,000 |
             | 1 hub (covers a1 only)    | 1 hub covering all four   |
    y=303000 +---------------------------+---------------------------+
             | B "Southbank" E43000902   | P "Ashby Parva" E04000901 |
             | unparished, urban, 4,000  | parish council, rural,    |
             | no hub, deprived; a café  | 1,200, a village hall     |
    y=300000 +---------------------------+---------------------------+
           x=460000                    465000                      470000

District E07000902 "Hillside" lies east (x 470000–476000) with one unparished
area (one hub) and one parish. Expected ranking in Riverside (unparished only):
1 Southbank (no hub, poor access, high need), 2 Northgate (poor access, over
capacity), 3 Eastwick (over capacity only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd
import pytest

import geopandas as gpd
from shapely.geometry import MultiPolygon, Point, box

from assetmap.analysis import AnalysisInputs, DistrictReport, build_district_report

BNG = "EPSG:27700"
HUB_CATEGORIES = ("community_hub", "village_hall", "community_centre", "church_hall")
RIVERSIDE, HILLSIDE = "E07000901", "E07000902"
NOW = pd.Timestamp("2026-03-01T09:30:00Z").to_pydatetime()

# code, name, district, governance, (x0, y0), small-area populations, urban, imd deciles
_AREAS = [
    ("E43000901", "Northgate", RIVERSIDE, "unparished", (460_000, 303_000),
     (2000, 2000, 1500, 1500), True, (5, 6, 7, 8)),
    ("E43000902", "Southbank", RIVERSIDE, "unparished", (460_000, 300_000),
     (1000, 1000, 1000, 1000), True, (1, 2, 2, 5)),
    ("E43000903", "Eastwick", RIVERSIDE, "unparished", (465_000, 303_000),
     (2500, 2500, 2500, 2500), True, (6, 6, 7, 7)),
    ("E04000901", "Ashby Parva", RIVERSIDE, "parish_council", (465_000, 300_000),
     (300, 300, 300, 300), False, (9, 9, 10, 10)),
    ("E43000904", "Hilltop", HILLSIDE, "unparished", (470_000, 303_000),
     (800, 800, 800, 800), True, (4, 4, 4, 4)),
    ("E04000902", "Dale", HILLSIDE, "parish_meeting", (470_000, 300_000),
     (200, 200, 200, 200), False, (8, 8, 8, 8)),
]
_HILLSIDE_WIDTH = 6_000


def _cells(x0: float, y0: float, width: float) -> list[tuple[float, float, float, float]]:
    w, h = width / 2, 1_500
    return [(x0 + i * w, y0 + j * h, x0 + (i + 1) * w, y0 + (j + 1) * h)
            for j in (1, 0) for i in (0, 1)]


def make_inputs(
    names: dict[str, str] | None = None,
    metadata: dict[str, str] | None = None,
    asset_names: dict[str, str] | None = None,
) -> AnalysisInputs:
    """The county; ``names`` renames community areas by code, ``asset_names`` assets by id."""
    names = names or {}
    area_rows, small_rows = [], []
    for code, name, district, governance, (x0, y0), pops, urban, deciles in _AREAS:
        width = _HILLSIDE_WIDTH if district == HILLSIDE else 5_000
        area_rows.append((code, names.get(code, name), district, governance,
                          MultiPolygon([box(x0, y0, x0 + width, y0 + 3_000)])))
        for k, (cell, pop, decile) in enumerate(zip(_cells(x0, y0, width), pops, deciles,
                                                    strict=True)):
            cx, cy = (cell[0] + cell[2]) / 2, (cell[1] + cell[3]) / 2
            if code == "E43000903":  # Eastwick's residents cluster round its centre
                cx, cy = 467_500 + (k % 2 - 0.5) * 400, 304_500 + (0.5 - k // 2) * 400
            small_rows.append((f"{code}-{k + 1}", code, district, pop, decile, urban, cx, cy,
                               MultiPolygon([box(*cell)])))
    community_areas = gpd.GeoDataFrame(
        pd.DataFrame(area_rows, columns=["code", "name", "district_code", "governance",
                                         "geometry"]),
        crs=BNG,
    )
    small_areas = gpd.GeoDataFrame(
        pd.DataFrame(small_rows, columns=["code", "community_area_code", "district_code",
                                          "population", "imd_decile", "urban", "pwc_easting",
                                          "pwc_northing", "geometry"]),
        crs=BNG,
    )
    asset_rows = [
        # id, name, category, status, district, point
        ("H1", "Northgate Community Centre", "community_centre", "open", RIVERSIDE,
         Point(461_250, 305_250)),
        ("H2", "Eastwick Hub", "community_hub", "at_risk", RIVERSIDE, Point(467_500, 304_500)),
        ("H3", "Ashby Parva Village Hall", "village_hall", "open", RIVERSIDE,
         Point(467_500, 301_500)),
        ("H4", "Hilltop Church Hall", "church_hall", "open", HILLSIDE, Point(473_000, 304_500)),
        ("K1", "Southbank Café", "community_cafe", "open", RIVERSIDE, Point(461_250, 301_500)),
        ("X1", "Old Southbank Hall", "village_hall", "closed", RIVERSIDE,
         Point(461_000, 301_000)),
    ]
    asset_names = asset_names or {}
    assets = gpd.GeoDataFrame(
        pd.DataFrame(
            [(i, asset_names.get(i, n), c, s, d, p) for i, n, c, s, d, p in asset_rows],
            columns=["id", "name", "category", "status", "district_code", "geometry"],
        ),
        crs=BNG,
    )
    districts = gpd.GeoDataFrame(
        {"code": [RIVERSIDE, HILLSIDE], "name": ["Riverside", "Hillside"]},
        geometry=[MultiPolygon([box(460_000, 300_000, 470_000, 306_000)]),
                  MultiPolygon([box(470_000, 300_000, 476_000, 306_000)])],
        crs=BNG,
    )
    return AnalysisInputs(
        small_areas=small_areas,
        community_areas=community_areas,
        assets=assets,
        districts=districts,
        hub_categories=HUB_CATEGORIES,
        metadata=metadata if metadata is not None else {
            "synthetic": "true",
            "seed": "7",
            "notice": "Synthetic test data: invented places and people.",
        },
    )


MakeReport = Callable[..., DistrictReport]


@pytest.fixture
def make_report() -> MakeReport:
    def make(district: str = "Riverside", *, inputs: AnalysisInputs | None = None,
             **options: object) -> DistrictReport:
        return build_district_report(inputs or make_inputs(), district, now=NOW,
                                     **options)  # type: ignore[arg-type]

    return make


@pytest.fixture(scope="session")
def report() -> DistrictReport:
    return build_district_report(make_inputs(), "Riverside", now=NOW)


def hillside_all_parished() -> AnalysisInputs:
    """The county with Hilltop made a parish, so Hillside has no unparished area."""
    inputs = make_inputs()
    areas = inputs.community_areas.copy()
    areas.loc[areas["code"] == "E43000904", "governance"] = "parish_council"
    return replace(inputs, community_areas=areas)
