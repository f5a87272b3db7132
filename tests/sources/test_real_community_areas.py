"""The real build's community areas: parish shapes without names, and the unparished towns.

Expected figures are computed here from the source GeoJSONs and CSVs with plain
geopandas (each OA placed at a point inside it, as the analysis places its
residents), never through the importers; PROVENANCE.md section 6 gives the
towns and shape counts. The store is built once per session (``real_build``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import geopandas as gpd
import shapely

from assetmap.cli import main
from assetmap.config import PROJECT_ROOT
from assetmap.errors import DataError
from assetmap.layers import load_catalog
from assetmap.sources.real import REAL_FILES, build_real
from assetmap.store import open_store
from tests.conftest import REAL_DATA

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(not REAL_DATA.is_dir(), reason=f"real data folder {REAL_DATA} is absent"),
]
CATALOG = load_catalog(PROJECT_ROOT / "layers")
COUNTY = [f"E070001{n}" for n in range(29, 36)]
# PROVENANCE.md section 6: parish shapes per district, and each unparished area's town.
SHAPES = {"E07000129": 20, "E07000130": 30, "E07000131": 68, "E07000132": 24,
          "E07000133": 25, "E07000134": 25}
TOWNS = {"E07000130": "Loughborough", "E07000131": "Market Harborough",
         "E07000132": "Hinckley", "E07000133": "Melton Mowbray", "E07000134": "Coalville",
         "E07000135": "Oadby and Wigston"}
VERIFIED = 13


def read(build: Any, layer: str) -> gpd.GeoDataFrame:
    return open_store(str(build.path)).read(CATALOG[layer])


@pytest.fixture(scope="module")
def expected_unparished() -> pd.DataFrame:
    """Per district: OAs whose inside point lies in the source's unparished area, residents."""
    oas = gpd.read_file(REAL_DATA / REAL_FILES["oa"]).to_crs(27700)
    population = pd.read_csv(REAL_DATA / REAL_FILES["population"],
                             usecols=["OA11CD", "All Ages"]).set_index("OA11CD")["All Ages"]
    oas = oas[oas["LAD_CD"].isin(COUNTY)]
    unparished = gpd.read_file(REAL_DATA / REAL_FILES["unparished"]).to_crs(27700)
    points = gpd.GeoDataFrame({"oa": oas["OA11CD"].to_numpy(),
                               "district": oas["LAD_CD"].to_numpy()},
                              geometry=shapely.point_on_surface(oas.geometry.to_numpy()),
                              crs=27700)
    inside = gpd.sjoin(points, unparished[["LAD13CD", "geometry"]], predicate="within")
    inside["residents"] = population.reindex(inside["oa"]).to_numpy()
    return inside.groupby("district").agg(oas=("oa", "size"), residents=("residents", "sum"))


def test_community_areas_are_the_parish_shapes_and_the_six_towns(real_build: Any) -> None:
    areas = read(real_build, "community_areas")
    parishes = areas[areas["governance"] != "unparished"]
    assert parishes.groupby("district_code").size().to_dict() == SHAPES
    assert set(parishes["governance"]) == {"parish_type_unknown"}
    towns = areas[areas["governance"] == "unparished"]
    assert dict(zip(towns["district_code"], towns["name"], strict=True)) == TOWNS
    assert (towns["code"] == towns["district_code"] + "-U1").all()
    # The 13 names PROVENANCE verified are kept, every other shape says its name is not known.
    source = json.loads((REAL_DATA / REAL_FILES["parishes"]).read_text(encoding="utf-8"))
    verified = {f"{f['properties']['LAD11CD']}-P{f['properties']['seq_in_lad']}":
                f["properties"]["name_verified"] for f in source["features"]
                if f["properties"]["name_verified"]}
    assert len(verified) == VERIFIED
    by_code = parishes.set_index("code")["name"]
    assert {code: by_code[code] for code in verified} == verified
    district_names = dict(zip(read(real_build, "districts")["code"],
                              read(real_build, "districts")["name"], strict=True))
    for code, name in by_code.drop(list(verified)).items():
        district, number = code.split("-P")
        assert name == f"{district_names[district]} parish {number} (name not known)"


def test_unparished_populations_per_district(real_build: Any,
                                             expected_unparished: pd.DataFrame) -> None:
    small = read(real_build, "small_areas")
    areas = read(real_build, "community_areas").set_index("code")
    small["governance"] = areas["governance"].reindex(small["community_area_code"]).to_numpy()
    got = small[small["governance"] == "unparished"].groupby("district_code").agg(
        oas=("code", "size"), residents=("population", "sum"))
    print("\nunparished areas (OAs, mid-2015 residents):\n" + got.to_string())
    assert got.to_dict() == expected_unparished.to_dict()
    # The "about 180 output areas" for Charnwood's unparished area (Loughborough). Its
    # boundary is derived from generalised shapes, so OAs along it may fall either way: ±5
    # (under 3 %) allows that and nothing more. The exact figure is 182 OAs, 64,437 residents.
    charnwood = got.loc["E07000130"]
    assert charnwood["oas"] == pytest.approx(180, abs=5)
    assert (int(charnwood["oas"]), int(charnwood["residents"])) == (182, 64_437)
    # Oadby and Wigston is wholly unparished: every resident of the district.
    district = small.groupby("district_code")["population"].sum()
    assert got.loc["E07000135", "residents"] == district["E07000135"] == 55_833
    assert "E07000129" not in got.index  # Blaby is fully parished


def test_every_output_area_lies_in_exactly_one_community_area(real_build: Any) -> None:
    small = read(real_build, "small_areas")
    areas = read(real_build, "community_areas")
    assert small["community_area_code"].notna().all()
    assert set(small["community_area_code"]) <= set(areas["code"])
    # Each OA's inside point lies in one community area (or within 100 m of one: the
    # unparished areas were cut from generalised shapes, leaving hairline cracks).
    points = shapely.point_on_surface(small.geometry.to_numpy())
    inside = np.column_stack([shapely.contains(a, points) for a in areas.geometry])
    near = np.column_stack([shapely.dwithin(a, points, 100) for a in areas.geometry])
    print(f"\nOAs inside one area: {int((inside.sum(axis=1) == 1).sum()):,}; "
          f"in a crack within 100 m: {int((inside.sum(axis=1) == 0).sum()):,}")
    assert (inside.sum(axis=1) <= 1).all()
    assert ((inside.sum(axis=1) == 1) | near.any(axis=1)).all()
    one = np.asarray(inside.any(axis=1), dtype=bool)
    found = areas["code"].to_numpy()[inside.argmax(axis=1)]
    assigned = small["community_area_code"].to_numpy()
    assert (found[one] == assigned[one]).all()
    # And in its own district's area.
    district = areas.set_index("code")["district_code"]
    assert (district.reindex(assigned).to_numpy() == small["district_code"].to_numpy()).all()


def test_blaby_fully_parished_oadby_and_wigston_wholly_unparished(real_build: Any) -> None:
    areas = read(real_build, "community_areas")
    small = read(real_build, "small_areas")
    governance = areas.set_index("code")["governance"]
    blaby = small[small["district_code"] == "E07000129"]
    oadby = small[small["district_code"] == "E07000135"]
    assert set(governance.reindex(blaby["community_area_code"])) == {"parish_type_unknown"}
    assert set(governance.reindex(oadby["community_area_code"])) == {"unparished"}
    assert (areas["district_code"] == "E07000135").sum() == 1
    districts = read(real_build, "districts").set_index("code")
    whole = areas.set_index("district_code").loc["E07000135"].geometry
    assert whole.symmetric_difference(districts.loc["E07000135"].geometry).area < 0.001 * whole.area


def test_a_governance_table_wins(tmp_path: Path) -> None:
    table = tmp_path / "types.csv"
    table.write_text("code,governance\nE07000131-P6,town_council\nE07000133-P1,parish_meeting\n",
                     encoding="utf-8")
    out = tmp_path / "real.gpkg"
    assert main(["build-real", "--out", str(out), "--governance", str(table)]) == 0
    areas = open_store(str(out)).read(CATALOG["community_areas"]).set_index("code")
    assert areas.loc["E07000131-P6", ["name", "governance"]].tolist() == [
        "Broughton Astley", "town_council"]
    assert areas.loc["E07000133-P1", "governance"] == "parish_meeting"
    assert (areas["governance"] == "parish_type_unknown").sum() == sum(SHAPES.values()) - 2


def _real_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "real"
    for relative in REAL_FILES.values():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(REAL_DATA / relative)
    return folder


def test_two_files_giving_different_governance_to_one_area_are_refused(tmp_path: Path) -> None:
    folder = _real_copy(tmp_path)
    unparished = folder / REAL_FILES["unparished"]
    data = json.loads(unparished.read_text(encoding="utf-8"))
    parishes = json.loads((REAL_DATA / REAL_FILES["parishes"]).read_text(encoding="utf-8"))
    ratby = next(f for f in parishes["features"] if f["properties"]["name_verified"] == "Ratby")
    data["features"].append({"type": "Feature", "geometry": ratby["geometry"],
                             "properties": {"LAD13CD": "E07000132",
                                            "LAD13NM": "Hinckley and Bosworth"}})
    unparished.unlink()
    unparished.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError) as error:
        build_real(folder, tmp_path / "out.gpkg", CATALOG)
    message = str(error.value)
    print(message)
    assert REAL_FILES["parishes"] in message and REAL_FILES["unparished"] in message
    assert "different governance to the same area" in message and "Ratby" in message
    assert not (tmp_path / "out.gpkg").exists()
