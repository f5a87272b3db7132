"""Real Leicestershire data: share of residents within 3 km of an open public library.

Uses ../shared/data/real (see its PROVENANCE.md): 2011 Output Areas with their
mid-2015 population, and Libraries Hacked's public library points. Each county
district is one "community area" here (there are no parish boundaries in the
real data), so the district figures come through the whole analysis. Every
library that is open counts, including Leicester's and Rutland's: people cross
district lines. The figures are checked against a brute-force geopandas
distance computation that shares no code with the analysis.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import geopandas as gpd

from assetmap.analysis import GapResult, GapThresholds, analyse, propose_sites

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"
COUNTY_DISTRICTS = [f"E070001{n}" for n in range(29, 36)]  # E07000129 … E07000135
CATCHMENT_M = 3000.0

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(not REAL.is_dir(), reason=f"real data folder {REAL} is absent"),
]


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    table = pd.read_csv(
        REAL / "stats" / "oa11_population_mid2015_sya_leics_lei_rut.csv",
        usecols=["OA11CD", "All Ages", "LAD17CD"],
    )
    return table[table["LAD17CD"].isin(COUNTY_DISTRICTS)]


@pytest.fixture(scope="module")
def small_areas(population: pd.DataFrame) -> gpd.GeoDataFrame:
    shapes = gpd.read_file(REAL / "boundaries" / "oa11_leics_lei_rut.geojson")[
        ["OA11CD", "geometry"]
    ]
    frame = shapes.merge(population, on="OA11CD", how="inner", validate="one_to_one")
    return frame.rename(
        columns={"OA11CD": "code", "All Ages": "population", "LAD17CD": "community_area_code"}
    ).assign(district_code=lambda f: f["community_area_code"])


@pytest.fixture(scope="module")
def districts() -> gpd.GeoDataFrame:
    lad = gpd.read_file(REAL / "boundaries" / "lad13_leics_lei_rut.geojson")
    lad = lad[lad["LAD13CD"].isin(COUNTY_DISTRICTS)]
    return gpd.GeoDataFrame(
        {
            "code": lad["LAD13CD"].to_numpy(),
            "name": lad["LAD13NM"].to_numpy(),
            "district_code": lad["LAD13CD"].to_numpy(),
            "governance": "unparished",
        },
        geometry=lad.geometry.to_numpy(),
        crs=lad.crs,
    )


@pytest.fixture(scope="module")
def libraries() -> gpd.GeoDataFrame:
    table = pd.read_csv(REAL / "facilities" / "public_libraries_leics_lei_rut_librarieshacked.csv")
    return gpd.GeoDataFrame(
        {
            "id": [f"lib{i}" for i in range(len(table))],
            "name": table["Library name"],
            "category": np.where(
                table["Type of library"] == "CRL", "community_library", "council_library"
            ),
            "status": np.where(table["Year closed"].notna(), "closed", "open"),
        },
        geometry=gpd.points_from_xy(table["lon"], table["lat"]),
        crs="EPSG:4326",
    )


@pytest.fixture(scope="module")
def result(
    small_areas: gpd.GeoDataFrame, districts: gpd.GeoDataFrame, libraries: gpd.GeoDataFrame
) -> GapResult:
    return analyse(
        small_areas,
        districts,
        libraries,
        ["community_library", "council_library"],
        GapThresholds(urban_catchment_m=CATCHMENT_M, rural_catchment_m=CATCHMENT_M),
        all_areas=True,
        districts=districts,
    )


@pytest.fixture(scope="module")
def brute_force(small_areas: gpd.GeoDataFrame, libraries: gpd.GeoDataFrame) -> pd.DataFrame:
    """Share within 3 km per district, by measuring every OA to every open library."""
    points = small_areas.to_crs(27700).representative_point()
    open_libraries = libraries[libraries["status"] == "open"].to_crs(27700)
    nearest = np.min(
        np.column_stack([points.distance(lib) for lib in open_libraries.geometry]), axis=1
    )
    frame = pd.DataFrame(
        {
            "district_code": small_areas["district_code"].to_numpy(),
            "population": small_areas["population"].to_numpy(float),
            "within": nearest <= CATCHMENT_M,
        }
    )
    frame["population_within"] = frame["population"] * frame["within"]
    table = frame.groupby("district_code")[["population", "population_within"]].sum()
    table["share_within"] = table["population_within"] / table["population"]
    return table


def test_population_totals_match_the_csv(result: GapResult, population: pd.DataFrame) -> None:
    expected = population.groupby("LAD17CD")["All Ages"].sum()
    summary = result.districts.set_index("district_code")
    assert summary["population"].to_dict() == pytest.approx(expected.to_dict(), abs=0)
    assert len(result.small_areas) == len(population)
    assert not result.warnings


def test_share_within_three_km_matches_brute_force(
    result: GapResult, brute_force: pd.DataFrame
) -> None:
    summary = result.districts.set_index("district_code").loc[brute_force.index]
    share_within = 1 - summary["uncovered_share"]
    assert share_within.to_numpy() == pytest.approx(
        brute_force["share_within"].to_numpy(), abs=1e-12
    )
    assert ((share_within >= 0) & (share_within <= 1)).all()
    report = pd.DataFrame(
        {
            "district": summary["district_name"],
            "population": summary["population"].astype(int),
            "within_3km": (summary["population"] - summary["uncovered_population"]).astype(int),
            "share_within": share_within.round(4),
            "libraries_inside": summary["hubs"],
        }
    )
    print("\nShare of residents within 3 km of an open public library (mid-2015, OA level)")
    print(report.to_string())


def test_oadby_and_wigston_is_almost_all_within_reach(result: GapResult) -> None:
    summary = result.districts.set_index("district_code")
    share = 1 - summary.loc["E07000135", "uncovered_share"]
    assert share > 0.95  # a compact 23.5 km² borough with two libraries and the city next door


def test_open_library_counts_per_district(result: GapResult) -> None:
    # PROVENANCE.md: open libraries by district (from the postcode's district), CRL + LAL.
    expected = {
        "E07000129": 12, "E07000130": 13, "E07000131": 6, "E07000132": 9,
        "E07000133": 2, "E07000134": 6, "E07000135": 2,
    }  # fmt: skip
    assert result.districts.set_index("district_code")["hubs"].to_dict() == expected


def test_distances_are_checked_per_output_area(
    result: GapResult, libraries: gpd.GeoDataFrame
) -> None:
    access = result.small_areas
    assert (access["location_source"] == "representative point").all()
    sample = access.sample(50, random_state=0)
    open_libraries = libraries[libraries["status"] == "open"].to_crs(27700)
    points = gpd.GeoSeries(
        gpd.points_from_xy(sample["location_easting"], sample["location_northing"]), crs=27700
    )
    brute = np.array([open_libraries.distance(p).min() for p in points])
    assert sample["distance_to_nearest_hub_m"].to_numpy() == pytest.approx(brute, abs=1e-6)
    # The location is inside its Output Area.
    assert sample.geometry.contains(points.set_axis(sample.index)).all()


def test_siting_runs_on_a_real_district(result: GapResult) -> None:
    melton = result.small_areas[result.small_areas["district_code"] == "E07000133"]
    thresholds = GapThresholds(urban_catchment_m=CATCHMENT_M, rural_catchment_m=CATCHMENT_M)
    sites = propose_sites(melton, None, thresholds, n=3)
    before = (
        melton.loc[~melton["within_catchment"], "population"].sum() / melton["population"].sum()
    )
    assert len(sites) == 3
    assert sites["uncovered_share_before"].iloc[0] == pytest.approx(before)
    assert sites["uncovered_share_after"].is_monotonic_decreasing
