"""The sizes of synthetic geography :mod:`assetmap.sample` can build."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SCALES", "Scale"]

# Share of small areas in IMD deciles 1..10. Leicestershire is affluent: its real 2019
# shares are about 1, 1, 6, 6, 8, 9, 15, 18, 18, 19 %; the sample is a little more
# deprived so the gap analysis has high-need areas to find.
COUNTY_IMD = (0.02, 0.03, 0.05, 0.07, 0.08, 0.10, 0.14, 0.17, 0.17, 0.17)
NATIONAL_IMD = (0.1,) * 10  # deciles are national ranks, so England has 10 % in each


@dataclass(frozen=True)
class Scale:
    """Knobs for one size of sample. Areas in km², populations in people."""

    name: str
    area_km2: float  # land area, not counting the city hole
    centre: tuple[float, float]  # British National Grid metres
    aspect: float  # north-south stretch of the outline (1 = round)
    city_km2: float  # hole for a city unitary authority (like Leicester); 0 for none
    population: int
    small_areas: int  # target count of output-area-like cells
    districts: int
    urban_districts: int  # small, dense, wholly unparished districts (like Oadby and Wigston)
    urban_district_max_pop: int
    large_towns: int  # unparished towns, each the seat of a district
    large_town_max_pop: int
    market_town_pop: tuple[int, int]  # towns with a town council
    town_councils: int
    parish_councils: int
    parish_meetings: int
    unparished_area_pop: int  # unparished towns are split into areas of about this size
    assets: int | None  # None: as many as the county's patterns give
    community_libraries: int
    council_libraries: int
    imd_shares: tuple[float, ...]
    max_postcodes: int = 300_000
    residents_per_postcode: int = 40


SCALES: dict[str, Scale] = {
    "county": Scale(
        name="county", area_km2=2_100, centre=(460_000, 305_000), aspect=1.1, city_km2=73,
        population=700_000, small_areas=2_400, districts=7, urban_districts=1,
        urban_district_max_pop=57_000, large_towns=5, large_town_max_pop=62_000,
        market_town_pop=(6_000, 16_000), town_councils=7, parish_councils=160,
        parish_meetings=55, unparished_area_pop=15_000, assets=None,
        community_libraries=36, council_libraries=16, imd_shares=COUNTY_IMD,
    ),
    "england": Scale(
        name="england", area_km2=130_000, centre=(440_000, 330_000), aspect=1.5, city_km2=0,
        population=56_500_000, small_areas=190_000, districts=300, urban_districts=30,
        urban_district_max_pop=900_000, large_towns=270, large_town_max_pop=1_000_000,
        market_town_pop=(4_000, 16_000), town_councils=230, parish_councils=5_540,
        parish_meetings=1_930, unparished_area_pop=12_000, assets=100_000,
        community_libraries=700, council_libraries=2_300, imd_shares=NATIONAL_IMD,
    ),
    # A few hundred cells: quick to build, for tests that try many seeds.
    "tiny": Scale(
        name="tiny", area_km2=120, centre=(460_000, 305_000), aspect=1.2, city_km2=0,
        population=30_000, small_areas=130, districts=2, urban_districts=1,
        urban_district_max_pop=6_000, large_towns=1, large_town_max_pop=9_000,
        market_town_pop=(2_500, 4_000), town_councils=1, parish_councils=8,
        parish_meetings=3, unparished_area_pop=5_000, assets=None,
        community_libraries=2, council_libraries=1, imd_shares=COUNTY_IMD,
    ),
}
