"""The synthetic sample county: realistic, exactly nested, labelled synthetic, reproducible."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.spatial import cKDTree

import geopandas as gpd
import pyogrio
import shapely

from assetmap.config import PROJECT_ROOT
from assetmap.errors import ValidationFailed
from assetmap.layers import LayerCatalog, load_catalog
from assetmap.sample import NOTICE, generate_sample, write_sample
from assetmap.sample._assets import HUB_CATEGORIES
from assetmap.sample._postcodes import POSTCODE_PATTERN
from assetmap.store import open_store

SPATIAL = ("districts", "community_areas", "small_areas", "assets", "postcodes")
PLAIN = ("organisations", "activities")  # geometry_type: none
REAL_DISTRICTS = {"blaby", "charnwood", "harborough", "hinckley and bosworth", "melton",
                  "north west leicestershire", "oadby and wigston", "leicester", "rutland"}


@pytest.fixture(scope="module")
def county() -> dict[str, pd.DataFrame]:
    return generate_sample(seed=42)


@pytest.fixture(scope="module")
def catalog() -> LayerCatalog:
    return load_catalog(PROJECT_ROOT / "layers")


def _by_code(frame: gpd.GeoDataFrame) -> gpd.GeoSeries:
    return frame.set_index("code").geometry


def _hubs_per_thousand(tables: dict[str, pd.DataFrame]) -> pd.Series:
    areas, small, assets = tables["community_areas"], tables["small_areas"], tables["assets"]
    governance = areas.set_index("code")["governance"]
    residents = small.groupby(small["community_area_code"].map(governance))["population"].sum()
    hubs = assets[assets["category"].isin(HUB_CATEGORIES) & (assets["status"] != "closed")]
    count = hubs.groupby(hubs["community_area_code"].map(governance)).size()
    return count / residents * 1000


# --- what a planner sees ---------------------------------------------------------------


def test_governance_counts_match_the_county(county: dict[str, pd.DataFrame]) -> None:
    areas = county["community_areas"]
    counts = areas["governance"].value_counts()
    assert counts["town_council"] == 7
    assert counts["parish_council"] == 160
    assert counts["parish_meeting"] == 55
    assert counts["unparished"] >= 5
    parished = areas["governance"] != "unparished"
    assert areas.loc[parished, "code"].str.match(r"^E04\d{6}$").all()
    assert areas.loc[~parished, "code"].str.match(r"^E43\d{6}$").all()
    assert areas.loc[~parished, "name"].str.endswith("(unparished)").all()
    assert areas["code"].is_unique and areas["name"].is_unique


def test_seven_districts_one_small_dense_and_wholly_unparished(
    county: dict[str, pd.DataFrame],
) -> None:
    districts, areas, small = county["districts"], county["community_areas"], county["small_areas"]
    assert len(districts) == 7
    assert districts["code"].str.match(r"^E079\d{5}$").all() and districts["code"].is_unique
    assert not set(districts["name"].str.lower()) & REAL_DISTRICTS
    km2 = districts.set_index("code").area / 1e6
    urban = km2.idxmin()
    assert 18 < km2[urban] < 30
    assert 50_000 < small.loc[small["district_code"] == urban, "population"].sum() < 65_000
    assert small.loc[small["district_code"] == urban, "urban"].all()
    assert set(areas.loc[areas["district_code"] == urban, "governance"]) == {"unparished"}


def test_small_areas_and_people_look_like_output_areas(county: dict[str, pd.DataFrame]) -> None:
    small = county["small_areas"]
    assert 2_000 <= len(small) <= 3_500
    assert small["code"].str.match(r"^E00\d{6}$").all() and small["code"].is_unique
    assert small["population"].sum() == pytest.approx(700_000, rel=0.03)
    town = small.loc[small["urban"], "population"]
    assert town.between(250, 450).all()
    assert small["imd_decile"].between(1, 10).all() and small["imd_decile"].nunique() == 10
    assert small["share_65_plus"].between(0, 1).all()
    by_setting = small.groupby("urban")["share_65_plus"].mean()
    assert by_setting[False] > by_setting[True]  # villages are older


def test_deprivation_is_spatially_clustered_in_towns(county: dict[str, pd.DataFrame]) -> None:
    small = county["small_areas"]
    xy = small[["pwc_easting", "pwc_northing"]].to_numpy()
    _, nearest = cKDTree(xy).query(xy, k=2)
    decile = small["imd_decile"].to_numpy()
    neighbour_gap = np.abs(decile - decile[nearest[:, 1]]).mean()
    shuffled_gap = np.abs(decile - np.random.default_rng(0).permutation(decile)).mean()
    assert neighbour_gap < 0.6 * shuffled_gap
    deprived = small["imd_decile"] <= 3
    assert deprived[small["urban"]].mean() > 3 * deprived[~small["urban"]].mean()


def test_county_sits_in_the_midlands_and_is_irregular(county: dict[str, pd.DataFrame]) -> None:
    outline = shapely.union_all(county["districts"].geometry.to_numpy())
    assert outline.area / 1e6 == pytest.approx(2_100, rel=0.02)
    centre = outline.envelope.centroid
    assert abs(centre.x - 460_000) < 15_000 and abs(centre.y - 305_000) < 15_000
    assert outline.area / outline.convex_hull.area < 0.97  # not a box or a circle
    assert len(shapely.get_parts(outline)[0].interiors) == 1  # the city's hole


def test_shapes_are_not_boxes(county: dict[str, pd.DataFrame]) -> None:
    vertices = shapely.get_num_coordinates(county["community_areas"].geometry.to_numpy())
    assert np.median(vertices) > 8
    small = county["small_areas"]
    km2 = small.area / 1e6
    assert km2[~small["urban"]].median() > 10 * km2[small["urban"]].median()


# --- exact nesting ---------------------------------------------------------------------


def test_every_level_tiles_the_county_without_gaps_or_overlaps(
    county: dict[str, pd.DataFrame],
) -> None:
    county_area = shapely.union_all(county["districts"].geometry.to_numpy()).area
    for name in ("small_areas", "community_areas", "districts"):
        geoms = county[name].geometry.to_numpy()
        assert set(shapely.get_type_id(geoms)) == {6}, f"{name} must all be MultiPolygons"
        assert shapely.is_valid(geoms).all()
        assert shapely.area(geoms).sum() == pytest.approx(county_area, rel=1e-3)
        assert shapely.union_all(geoms).area == pytest.approx(county_area, rel=1e-3)


def test_small_areas_lie_in_their_declared_community_area_and_district(
    county: dict[str, pd.DataFrame],
) -> None:
    small, areas = county["small_areas"], county["community_areas"]
    inside = small.representative_point().to_numpy()
    assert shapely.contains(_by_code(areas)[small["community_area_code"]].to_numpy(), inside).all()
    assert shapely.contains(_by_code(county["districts"])[small["district_code"]].to_numpy(),
                            inside).all()
    declared = areas.set_index("code")["district_code"]
    assert (small["community_area_code"].map(declared) == small["district_code"]).all()
    assert set(small["community_area_code"]) == set(areas["code"])  # none left empty


def test_population_weighted_centres_are_inside_and_not_centroids(
    county: dict[str, pd.DataFrame],
) -> None:
    small = county["small_areas"]
    x, y = small["pwc_easting"].to_numpy(), small["pwc_northing"].to_numpy()
    assert shapely.contains_xy(small.geometry.to_numpy(), x, y).all()
    centroid = small.centroid
    moved = np.hypot(x - centroid.x, y - centroid.y) > 1.0
    assert moved.mean() > 0.9


# --- assets ----------------------------------------------------------------------------


def test_assets_sit_inside_their_community_area(county: dict[str, pd.DataFrame]) -> None:
    assets, areas = county["assets"], county["community_areas"]
    assert 600 <= len(assets) <= 1_000
    assert assets["id"].str.match(r"^A\d{6}$").all() and assets["id"].is_unique
    homes = _by_code(areas)[assets["community_area_code"]].to_numpy()
    assert shapely.contains(homes, assets.geometry.to_numpy()).all()
    declared = areas.set_index("code")["district_code"]
    assert (assets["community_area_code"].map(declared) == assets["district_code"]).all()


def test_unparished_areas_have_fewer_hubs_per_head(county: dict[str, pd.DataFrame]) -> None:
    rate = _hubs_per_thousand(county)
    parished = rate.drop("unparished")
    assert rate["unparished"] < 0.6 * parished.min()


def test_some_deprived_unparished_neighbourhoods_have_no_hub_nearby(
    county: dict[str, pd.DataFrame],
) -> None:
    small, assets = county["small_areas"], county["assets"]
    governance = county["community_areas"].set_index("code")["governance"]
    hubs = assets[assets["category"].isin(HUB_CATEGORIES) & (assets["status"] != "closed")]
    distance, _ = cKDTree(np.c_[hubs.geometry.x, hubs.geometry.y]).query(
        small[["pwc_easting", "pwc_northing"]].to_numpy())
    deprived = (small["community_area_code"].map(governance) == "unparished") & (
        small["imd_decile"] <= 3)
    assert (distance[deprived.to_numpy()] > 800).sum() >= 5


def test_asset_patterns_follow_the_county(county: dict[str, pd.DataFrame]) -> None:
    assets, areas = county["assets"], county["community_areas"]
    governance = assets["community_area_code"].map(areas.set_index("code")["governance"])

    def share_with(kind: str, of: str) -> float:
        having = set(assets.loc[assets["category"] == kind, "community_area_code"])
        return float(areas.loc[areas["governance"] == of, "code"].isin(having).mean())

    assert 0.75 <= share_with("village_hall", "parish_council") <= 0.95
    assert 0.4 <= share_with("village_hall", "parish_meeting") <= 0.8
    assert share_with("community_centre", "town_council") == 1.0
    libraries = assets["category"]
    assert (libraries == "community_library").sum() == pytest.approx(36, abs=6)
    assert (libraries == "council_library").sum() == pytest.approx(16, abs=3)
    in_towns = governance[libraries == "council_library"].isin(["town_council", "unparished"])
    assert in_towns.all()
    hubs = governance[libraries == "community_hub"]
    assert hubs.isin(["town_council", "unparished"]).mean() > 0.5
    status = assets["status"].value_counts(normalize=True)
    assert 0.01 <= status["closed"] <= 0.06 and 0.02 <= status["at_risk"] <= 0.09
    assert 0.35 <= assets["opening_times"].notna().mean() <= 0.7
    assert 0.35 <= assets["accessibility"].notna().mean() <= 0.65


def test_asset_details_are_well_formed(county: dict[str, pd.DataFrame]) -> None:
    assets = county["assets"]
    facilities = {"step_free", "accessible_toilet", "hearing_loop", "parking", "baby_change"}
    listed = assets["accessibility"].dropna().str.split(";")
    assert all(set(items) <= facilities for items in listed)
    dates = pd.to_datetime(assets["last_verified"], format="%Y-%m-%d")
    assert dates.min() >= pd.Timestamp("2023-01-01") and dates.max() <= pd.Timestamp("2026-12-31")
    assert (dates < dates.max() - pd.Timedelta(days=365)).mean() > 0.2  # some are stale
    assert assets["email"].dropna().str.match(r"^[a-z]+@[a-z0-9-]+\.example$").all()
    assert assets["name"].str.contains("Village Hall").any()
    assert assets["name"].str.contains("Church Hall").any()


# --- postcodes -------------------------------------------------------------------------


def test_postcodes_are_unique_fictional_and_inside_the_county(
    county: dict[str, pd.DataFrame],
) -> None:
    postcodes, small = county["postcodes"], county["small_areas"]
    assert postcodes["postcode"].is_unique
    assert postcodes["postcode"].str.match(POSTCODE_PATTERN).all()
    assert len(postcodes) == pytest.approx(small["population"].sum() / 40, rel=0.1)
    found = gpd.sjoin(postcodes, small[["district_code", "geometry"]], predicate="within")
    assert len(found) == len(postcodes)
    assert (found["district_code_left"] == found["district_code_right"]).all()
    assert county["assets"]["postcode"].isin(postcodes["postcode"]).all()


# --- schema and labelling --------------------------------------------------------------


def test_tables_match_the_layer_declarations(
    county: dict[str, pd.DataFrame], catalog: LayerCatalog
) -> None:
    checks = {"int": pd.api.types.is_integer_dtype, "float": pd.api.types.is_float_dtype,
              "bool": pd.api.types.is_bool_dtype}
    for name in SPATIAL:
        layer, frame = catalog[name], county[name]
        assert frame.crs == "EPSG:27700"
        assert list(frame.columns) == [f.name for f in layer.fields] + ["geometry"]
        assert frame[layer.id_field].is_unique
        for field in layer.fields:
            column = frame[field.name]
            if field.required:
                assert column.notna().all(), f"{name}.{field.name} has gaps"
            if field.choices and field.format == "facilities":
                items = column.dropna().str.split(";").explode()
                assert items.isin(field.choices).all(), f"{name}.{field.name}"
            elif field.choices:
                assert column.dropna().isin(field.choices).all(), f"{name}.{field.name}"
            if field.type in checks:
                assert checks[field.type](column), f"{name}.{field.name} is {column.dtype}"
            if field.type == "date":
                column.dropna().map(dt.date.fromisoformat)


def test_hub_categories_agree_with_the_assets_layer(catalog) -> None:  # type: ignore[no-untyped-def]
    assert set(catalog.hub_categories) == HUB_CATEGORIES


def test_metadata_says_synthetic(county: dict[str, pd.DataFrame]) -> None:
    meta = dict(county["assetmap_metadata"][["key", "value"]].itertuples(index=False))
    assert meta["synthetic"] == "true"
    assert meta["title"] == "Synthetic sample county"
    assert meta["notice"] == NOTICE and "Not real Leicestershire data" in NOTICE
    assert meta["seed"] == "42" and meta["scale"] == "county"
    assert meta["n_assets"] == str(len(county["assets"]))
    assert meta["generator"].startswith("assetmap.sample")


# --- reproducibility -------------------------------------------------------------------


def test_same_seed_gives_identical_tables(county: dict[str, pd.DataFrame]) -> None:
    again = generate_sample(seed=42)
    for name, frame in county.items():
        pd.testing.assert_frame_equal(frame, again[name], check_exact=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_other_seeds_give_other_valid_counties(seed: int) -> None:
    tables = generate_sample(seed=seed, scale="tiny")
    default = generate_sample(seed=0, scale="tiny")
    assert not tables["small_areas"].equals(default["small_areas"])
    counts = tables["community_areas"]["governance"].value_counts()
    assert (counts["town_council"], counts["parish_council"], counts["parish_meeting"]) == (1, 8, 3)
    small = tables["small_areas"]
    homes = _by_code(tables["community_areas"])[small["community_area_code"]].to_numpy()
    assert shapely.contains(homes, small.representative_point().to_numpy()).all()
    assert shapely.area(homes).sum() >= shapely.union_all(homes).area * (1 - 1e-9)


def test_more_assets_keep_the_geography_and_the_patterns() -> None:
    base = generate_sample(seed=5, scale="tiny")
    many = generate_sample(seed=5, scale="tiny", n_assets=2_000)
    assert len(many["assets"]) == 2_000
    for name in ("districts", "community_areas", "small_areas", "postcodes"):
        pd.testing.assert_frame_equal(base[name], many[name])
    rate = _hubs_per_thousand(many)
    assert rate["unparished"] < rate.drop("unparished").min()
    assert len(generate_sample(seed=5, scale="tiny", n_assets=7)["assets"]) == 7


def test_bad_requests_are_refused() -> None:
    with pytest.raises(ValidationFailed, match="unknown sample scale"):
        generate_sample(scale="galaxy")
    with pytest.raises(ValidationFailed, match="seed"):
        generate_sample(seed=-1)
    with pytest.raises(ValidationFailed, match="n_assets"):
        generate_sample(n_assets=-5)


# --- the GeoPackage --------------------------------------------------------------------


def test_write_sample_makes_a_readable_geopackage(tmp_path: Path, catalog) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "tiny.gpkg"
    counts = write_sample(path, seed=3, scale="tiny")
    layers = dict(pyogrio.list_layers(path).tolist())
    assert layers == {"districts": "MultiPolygon", "community_areas": "MultiPolygon",
                      "small_areas": "MultiPolygon", "assets": "Point", "postcodes": "Point",
                      "organisations": None, "activities": None, "assetmap_metadata": None}
    for name in SPATIAL:
        info = pyogrio.read_info(path, layer=name)
        assert info["features"] == counts[name] and info["crs"] == "EPSG:27700"
    store = open_store(str(path))
    assert store.metadata()["synthetic"] == "true"
    assert store.count(catalog["assets"]) == counts["assets"]
    assert [p.name for p in tmp_path.iterdir()] == ["tiny.gpkg"]  # no temporary file left


def test_a_failed_write_leaves_the_existing_file_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "sample.gpkg"
    write_sample(path, seed=1, scale="tiny")
    before = path.read_bytes()
    real_write = pyogrio.write_dataframe
    calls = []

    def fail_on_third_table(*args: object, **kwargs: object) -> None:
        calls.append(kwargs.get("layer"))
        if len(calls) == 3:
            raise OSError("disk full")
        real_write(*args, **kwargs)

    monkeypatch.setattr(pyogrio, "write_dataframe", fail_on_third_table)
    with pytest.raises(OSError, match="disk full"):
        write_sample(path, seed=2, scale="tiny")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["sample.gpkg"]


def test_bundled_sample_is_what_the_seeded_code_makes(
    county: dict[str, pd.DataFrame], catalog: LayerCatalog
) -> None:
    """data/sample.gpkg must be regenerated (`assetmap sample`) whenever the generator changes."""
    store = open_store(str(PROJECT_ROOT / "data" / "sample.gpkg"))
    assert store.metadata()["synthetic"] == "true"
    for name in (*SPATIAL, *PLAIN):
        layer = catalog[name]
        bundled = store.read(layer).reset_index(drop=True)
        made = county[name].sort_values(layer.id_field).reset_index(drop=True)
        assert len(bundled) == len(made), name
        assert bundled[layer.id_field].tolist() == made[layer.id_field].astype(str).tolist(), name
        if layer.is_spatial:
            same_shapes = shapely.equals_exact(bundled.geometry.values, made.geometry.values, 0.01)
            assert np.all(same_shapes), name
        for field in layer.field_names:
            if field in made.columns:
                left = bundled[field].astype(object).where(bundled[field].notna(), None).tolist()
                right = made[field].astype(object).where(made[field].notna(), None).tolist()
                assert [str(v) if v is not None else None for v in left] == [
                    str(v) if v is not None else None for v in right
                ], f"{name}.{field}"


# --- organisations and activities ---------------------------------------------------------


def test_organisations_include_every_council_and_county_wide_charities(
    county: dict[str, pd.DataFrame]
) -> None:
    organisations, areas = county["organisations"], county["community_areas"]
    councils = organisations[organisations["kind"].isin(["parish_council", "town_council"])]
    governed = areas[areas["governance"].isin(["parish_council", "town_council"])]
    assert sorted(councils["areas_served"]) == sorted(governed["code"])
    assert councils["name"].str.endswith(("Parish Council", "Town Council")).all()
    charities = organisations[organisations["kind"] == "charity"]
    districts = ";".join(sorted(county["districts"]["code"]))
    assert len(charities) >= 6 and (charities["areas_served"] == districts).all()
    assert charities["charity_number"].str.fullmatch(r"99\d{5}").all()
    assert set(organisations["kind"]) == {"voluntary_group", "charity", "social_enterprise",
                                          "faith_group", "parish_council", "town_council",
                                          "council_service"}
    assert organisations["id"].is_unique
    assert organisations["email"].str.endswith(".example").all()


def test_some_unparished_areas_have_no_local_group(county: dict[str, pd.DataFrame]) -> None:
    organisations, areas = county["organisations"], county["community_areas"]
    unparished = areas.loc[areas["governance"] == "unparished", "code"]
    served = set(organisations["areas_served"].str.split(";").explode())
    without = unparished[~unparished.isin(served)]
    assert 1 <= len(without) <= 0.5 * len(unparished)


def test_activities_run_at_open_assets_by_known_organisations(
    county: dict[str, pd.DataFrame]
) -> None:
    activities, assets = county["activities"], county["assets"]
    status = assets.set_index("id")["status"]
    venues = activities["asset_ids"].str.split(";").explode()
    assert venues.isin(status.index).all()
    assert (status[venues] != "closed").all()
    assert (activities["asset_ids"].str.contains(";")).sum() >= 5
    known = set(county["organisations"]["id"])
    assert activities["organisation_id"].dropna().isin(known).all()
    assert activities["organisation_id"].notna().mean() > 0.8
    hosts = set(venues)
    hubs = assets[(assets["category"] == "community_hub") & (assets["status"] == "open")]
    assert hubs["id"].isin(hosts).all()
    assert 1.2 <= len(activities) / len(assets) <= 2.5
    assert (activities["status"] == "active").mean() > 0.8


def test_every_schedule_and_opening_time_is_valid_osm_syntax(
    county: dict[str, pd.DataFrame]
) -> None:
    from assetmap.activities import schedule_problem

    schedules = county["activities"]["schedule"]
    assert not [s for s in schedules if schedule_problem(s)]
    assert schedules.str.contains(r"\[\d").any()  # monthly patterns
    assert schedules.str.match(r"^\d{4} ").any()  # one-off dates
    opening = county["assets"]["opening_times"].dropna()
    assert not [s for s in opening if schedule_problem(s)]


def test_activity_categories_and_audiences_are_declared_choices(
    county: dict[str, pd.DataFrame], catalog: LayerCatalog
) -> None:
    from assetmap.activities import AUDIENCES

    activities = county["activities"]
    choices = catalog["activities"].field("category").choices or ()
    assert activities["category"].isin(choices).all()
    audiences = activities["audience"].str.split(";").explode()
    assert audiences.isin([a.code for a in AUDIENCES]).all()
    assert len(set(activities["category"])) == len(choices)
