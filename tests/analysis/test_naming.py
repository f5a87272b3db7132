"""Human names for candidate sites: nearest place, postcode and OS grid reference."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import geopandas as gpd
from shapely.geometry import Point

from assetmap.analysis import KIND_SMALL_AREA, build_district_report
from assetmap.analysis.naming import PLACE_RADIUS_M, PointNames, grid_reference
from tests.analysis.riverside import make_inputs

BNG = "EPSG:27700"


@pytest.mark.parametrize(
    ("easting", "northing", "expected"),
    [
        (216_600, 771_200, "NN 166 712"),  # Ben Nevis
        (260_986, 354_375, "SH 609 543"),  # Snowdon
        (438_700, 114_800, "SU 387 148"),  # the OS guide's own example
        (454_300, 284_500, "SP 543 845"),  # Lutterworth
        (530_000, 180_000, "TQ 300 800"),  # central London
        (0, 0, "SV 000 000"),  # the grid's false origin
        (651_000, 313_000, "TG 510 130"),  # Norfolk coast
    ],
)
def test_grid_reference_on_known_points(easting: float, northing: float, expected: str) -> None:
    assert grid_reference(easting, northing) == expected


def test_grid_reference_precision_and_outside_the_grid() -> None:
    assert grid_reference(216_640, 771_290, digits=5) == "NN 16640 71290"
    assert grid_reference(216_699, 771_299) == "NN 166 712"  # truncated, never rounded up
    assert grid_reference(-1, 100) == grid_reference(800_000, 100) == ""
    assert grid_reference(float("nan"), 100) == ""


def _points(rows: list[tuple[str, str, float, float]], *names: str) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(rows, columns=[*names, "x", "y"])
    geometry = gpd.points_from_xy(frame.pop("x"), frame.pop("y"))
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=BNG)


PLACES = _points(
    [("Lutterworth", "town", 454_300, 284_500), ("Lutterworth Orchard", "ward", 454_400, 284_600),
     ("Swinford Ward", "ward", 458_000, 279_600)],
    "name", "kind",
)
POSTCODES = _points([("LE17 4AB", "", 454_350, 284_450), ("LE17 6XX", "", 458_000, 279_000)],
                    "postcode", "district_code")


def test_a_point_is_named_by_place_postcode_and_grid_reference() -> None:
    names = PointNames(PLACES, POSTCODES)
    labels = names.labels(np.array([[454_300.0, 284_500.0]]))
    row = labels.iloc[0]
    assert row["locality"] == "Lutterworth"  # the town, not the nearer-or-equal ward
    assert row["postcode"] == "LE17 4AB"
    assert row["label"] == "near Lutterworth, LE17 4AB (SP 543 845)"


def test_wards_only_where_no_settlement_is_near_and_nothing_far_away() -> None:
    names = PointNames(PLACES, POSTCODES)
    labels = names.labels(np.array([[458_100.0, 279_500.0], [400_000.0, 200_000.0]]))
    assert labels["locality"].tolist() == ["Swinford Ward", ""]
    assert labels["postcode"].tolist() == ["LE17 6XX", ""]  # none within reach of the second
    assert labels["label"].tolist()[1] == "SP 000 000"  # only what is known
    assert PLACE_RADIUS_M >= 1_000


def test_community_area_names_stand_in_and_made_up_labels_never_do() -> None:
    areas = make_inputs().community_areas
    inside_southbank = [[461_300.0, 301_400.0]]
    assert PointNames(None, None, areas).localities(np.array(inside_southbank)) == ["Southbank"]
    unnamed = areas.assign(name="Riverside parish 3 (name not known)")
    assert PointNames(None, None, unnamed).localities(np.array(inside_southbank)) == [""]
    assert PointNames().labels(np.zeros((0, 2))).empty


def test_small_area_sites_are_named_and_every_site_has_a_grid_reference() -> None:
    postcodes = _points([("LE1 1AA", "", 463_750, 305_250)], "postcode", "district_code")
    inputs = replace(make_inputs(), postcodes=postcodes)
    sites = build_district_report(inputs, "Riverside").sites
    small = sites[sites["kind"] == KIND_SMALL_AREA]
    assert len(small) and not small["name"].str.contains("Centre of small area").any()
    assert all(name.startswith("near ") for name in small["name"])
    assert (sites["grid_reference"].str.fullmatch(r"SK \d{3} \d{3}")).all()
    assert "LE1 1AA" in set(sites["postcode"])
    assert sites.iloc[0]["name"] == "Southbank Café"  # an existing asset keeps its own name
    assert sites.iloc[0]["locality"] == "Southbank"


def test_inputs_from_a_store_without_postcodes_or_places_still_name_sites() -> None:
    inputs = make_inputs()
    assert inputs.postcodes is None and inputs.places is None
    sites = build_district_report(inputs, "Riverside").sites
    assert set(sites["postcode"]) == {""}
    assert sites["locality"].isin(["Southbank", "Northgate", "Eastwick"]).all()
    lonlat = replace(inputs, places=PLACES.to_crs(4326))  # any CRS in, EPSG:27700 kept
    assert lonlat.places is not None and lonlat.places.crs.to_epsg() == 27700
    assert Point(lonlat.places.geometry.iloc[0].coords[0]).distance(Point(454_300, 284_500)) < 0.01


def test_each_small_area_of_the_report_is_labelled_by_its_locality() -> None:
    places = _points([("Northgate Green", "village", 461_300, 305_300)], "name", "kind")
    report = build_district_report(replace(make_inputs(), places=places), "Riverside")
    small = report.result.small_areas
    assert set(small["locality"]) == {"Northgate Green", "Southbank", "Northgate", "Eastwick",
                                      "Ashby Parva"}
    near = small[(small["location_easting"] - 461_300).abs().lt(1_000)
                 & (small["location_northing"] - 305_300).abs().lt(1_000)]
    assert len(near) and (near["locality"] == "Northgate Green").all()
    assert (small["locality"] != "").all()
