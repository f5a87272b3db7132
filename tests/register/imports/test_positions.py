"""Where imported assets go: coordinates in any CRS, swapped or mixed up, the county, postcodes."""

from __future__ import annotations

import json

from shapely.geometry import Point

from assetmap.register.imports import (
    plan_import,
    plan_text,
)
from assetmap.store import Store
from tests.register.imports.asset_files import (
    CATALOG,
    HEADER,
    csv_row,
    errors_by_field,
    plan_csv,
)
from tests.sources.conftest import lonlat


# -- where the points are --------------------------------------------------------------------
def test_swapped_latitude_and_longitude_are_named(store: Store) -> None:
    lon, lat = lonlat(452_500, 305_500)
    plan = plan_csv(store, HEADER + f"N1,Swap Hall,village_hall,open,{lat},{lon},,\n")
    [problem] = plan.errors
    assert (problem.where, problem.field) == ("line 2", "longitude/latitude")
    assert problem.value == f"{lat:g}, {lon:g}"
    assert "swapped" in problem.problem and "swap longitude and latitude" in problem.fix


def test_swapped_coordinates_in_geojson_are_named(store: Store) -> None:
    lon, lat = lonlat(452_500, 305_500)
    document = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lat, lon]},
         "properties": {"id": "N1", "name": "Swap", "category": "village_hall",
                        "status": "open"}},
    ]}
    plan = plan_import(store, CATALOG, json.dumps(document).encode(), "halls.geojson")
    [problem] = plan.errors
    assert problem.where == "features[0]" and "swapped" in problem.problem


def test_grid_metres_given_as_degrees_are_named(store: Store) -> None:
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [452500, 305500]},
         "properties": {"id": "N1", "name": "Grid", "category": "village_hall",
                        "status": "open"}},
    ]}
    plan = plan_import(store, CATALOG, json.dumps(geojson).encode(), "halls.geojson")
    [problem] = plan.errors
    assert "British National Grid metres" in problem.problem
    assert "urn:ogc:def:crs:EPSG::27700" in problem.fix

    in_csv = plan_csv(store, HEADER + "N1,Grid,village_hall,open,452500,305500,,\n")
    assert "put them in columns named easting and northing" in in_csv.errors[0].fix


def test_degrees_in_easting_northing_columns_are_named(store: Store) -> None:
    lon, lat = lonlat(452_500, 305_500)
    plan = plan_csv(store, f"id,name,category,status,easting,northing\nN1,D,village_hall,open,"
                           f"{lon},{lat}\n")
    [problem] = plan.errors
    assert "look like longitude/latitude" in problem.problem
    assert "longitude and latitude" in problem.fix


def test_legacy_geojson_crs_member_is_honoured(store: Store) -> None:
    document = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
        "features": [{"type": "Feature", "id": "N7",
                      "geometry": {"type": "Point", "coordinates": [452500, 305500]},
                      "properties": {"name": "Grid Hall", "category": "village_hall",
                                     "status": "open"}}],
    }
    plan = plan_import(store, CATALOG, json.dumps(document).encode(), "halls.geojson")
    assert plan.ok, plan_text(plan)
    assert plan.creates[0].feature_id == "N7"  # the feature's id when properties have none
    assert plan.creates[0].geometry.distance(Point(452_500, 305_500)) < 0.01
    assert any("legacy crs member" in w.problem for w in plan.warnings)


def test_point_outside_the_county_names_row_coordinates_and_nearest_district(
    store: Store,
) -> None:
    plan = plan_csv(store, HEADER + csv_row("N1", "Far Hall", 475_000, 305_000))
    [problem] = plan.errors
    assert problem.where == "line 2"
    assert problem.value == "{:g}, {:g}".format(*lonlat(475_000, 305_000))
    assert "outside the county: 5.0 km from the nearest district, Eastvale (E07999002)" \
        in problem.problem


def test_a_hall_just_over_the_county_line_is_accepted(store: Store) -> None:
    plan = plan_csv(store, "id,name,category,status,easting,northing\n"
                           "N1,Edge Hall,village_hall,open,470050,305000\n")
    assert plan.ok, plan_text(plan)
    assert plan.creates[0].properties["district_code"] == "E07999002"


def test_rows_without_coordinates_are_placed_by_postcode(store: Store) -> None:
    plan = plan_csv(store, "id,name,category,status,postcode\n"
                           "N1,Hall One,village_hall,open,lz21aa\n"
                           "N2,Hall Two,village_hall,open,LE1 9ZZ\n"
                           "N3,Hall Three,village_hall,open,\n")
    found = errors_by_field(plan)
    assert set(found) == {("line 3", "postcode"), ("line 4", "location")}
    assert "not in the store's postcode table" in found[("line 3", "postcode")]
    assert "give longitude and latitude" in found[("line 4", "location")]
    assert [p.feature_id for p in plan.creates] == ["N1"]  # written once the others are fixed
    good = plan_csv(store, "id,name,category,status,postcode\nN1,Hall One,village_hall,open,"
                           "lz21aa\n")
    [planned] = good.creates
    assert planned.properties["postcode"] == "LZ2 1AA"
    assert planned.geometry.equals(Point(462_010, 305_010))
