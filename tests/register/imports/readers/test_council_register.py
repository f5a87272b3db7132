"""A council's asset register through a column mapping: same checks, same all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

import geopandas as gpd
from shapely.geometry import MultiPolygon, Point

from assetmap.cli import main
from assetmap.config import PROJECT_ROOT
from assetmap.errors import ConfigError
from assetmap.layers import load_catalog
from assetmap.register.imports import ImportPlan, apply_import, plan_table, plan_text
from assetmap.register.imports.readers.council_register import load_register_mapping, read_register
from assetmap.store import Store, open_store
from assetmap.store.gpkg_write import write_geopackage
from tests.conftest import REAL_DATA, tiny_tables

CATALOG = load_catalog(PROJECT_ROOT / "layers")
ASSETS = CATALOG["assets"]
EXAMPLE = PROJECT_ROOT / "layers" / "mappings" / "register_example.yaml"
REGISTER_HEADER = ("Asset Ref,Asset Name,Asset Class,Asset Type,Operational Status,"
                   "Address Line 1,Town,Postcode,Opening Hours,Contact Email,Website,"
                   "Easting,Northing\n")


@pytest.fixture
def store(tiny_gpkg: Path) -> Store:
    return open_store(str(tiny_gpkg))


def plan_register(store: Store, text: str, mapping: Path = EXAMPLE) -> ImportPlan:
    spec = load_register_mapping(mapping, ASSETS)
    table = read_register(text.encode("utf-8"), "register.csv", ASSETS, spec, mapping,
                          max_rows=1_000)
    return plan_table(store, CATALOG, table)


def test_the_example_mapping_imports_a_register(store: Store) -> None:
    text = REGISTER_HEADER + (
        "LCC-001,Ashby Parva Pavilion,Community Building,village hall,Operational,"
        "1 Sports Lane,Ashby Parva,LZ1 2AB,Sa 9-12,hire@ap.example,https://ap.example,"
        "452500,305500\n"
        "LCC-002,Cotes Hub,Community Building,Community Hub,Under Review,,Cotes,,,,,467500,"
        "303500\n"
        "LCC-003,County Hall Car Park,Car Park,Car Park,Operational,,,,,,,455000,305000\n"
        "LCC-004,Westtown Centre,Community Building,Community Centre,Operational,"
        "2 High St,Westtown,LZ2 1AA,,,,,\n"
    )
    plan = plan_register(store, text)
    assert plan.ok, plan_text(plan)
    assert plan.skipped == {"not kept by keep_rows (Asset Class)": 1}
    made = {p.feature_id: p.properties for p in plan.creates}
    assert set(made) == {"reg-LCC-001", "reg-LCC-002", "reg-LCC-004"}
    pavilion = made["reg-LCC-001"]
    assert (pavilion["category"], pavilion["status"]) == ("village_hall", "open")
    assert pavilion["address"] == "1 Sports Lane, Ashby Parva"
    assert pavilion["email"] == "hire@ap.example"
    assert made["reg-LCC-002"]["status"] == "at_risk"
    assert made["reg-LCC-002"]["district_code"] == "E07999002"
    placed = next(p for p in plan.creates if p.feature_id == "reg-LCC-004")
    assert placed.located_by == "postcode LZ2 1AA"
    result = apply_import(store, plan, actor="register")
    assert result.created == 3
    assert store.metadata()["source:Council asset register"].startswith("register.csv | 2025-04")


def test_unmapped_values_are_row_errors_naming_the_mapping_key(store: Store) -> None:
    text = REGISTER_HEADER + (
        "LCC-001,Ashby Hall,Community Building,Scout Hut,Mothballed,,,,,,,452500,305500\n"
    )
    plan = plan_register(store, text)
    found = {(p.where, p.field): p for p in plan.errors}
    assert set(found) == {("line 2", "category"), ("line 2", "status")}
    scout = found[("line 2", "category")]
    assert scout.value == "Scout Hut"
    assert "(column 'Asset Type') has no category in the mapping's values.category" \
        in scout.problem
    assert "'Scout Hut': <value> under values.category in register_example.yaml" in scout.fix


def test_coordinates_in_the_wrong_crs_point_at_the_mapping(store: Store, tmp_path: Path) -> None:
    mapping = tmp_path / "degrees.yaml"
    mapping.write_text(EXAMPLE.read_text(encoding="utf-8").replace("crs: EPSG:27700",
                                                                   "crs: EPSG:4326"),
                       encoding="utf-8")
    text = REGISTER_HEADER + ("LCC-001,Ashby Hall,Community Building,Village Hall,Operational,"
                              ",,,,,,452500,305500\n")
    [problem] = plan_register(store, text, mapping).errors
    assert problem.field == "Easting/Northing"
    assert "set coordinates.crs to EPSG:27700 in the mapping file" in problem.fix


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("name: Asset Name", "name: Asset Title"),
         "fields.name: names column 'Asset Title', which register.csv lacks"),
        (("  email: Contact Email", "  colour: Contact Email"),
         "fields: 'colour' is not a field of assets"),
        (("Closed: closed", "Closed: shut"), "values: status: 'shut' is not one of"),
        (("  status: Operational Status\n", ""), "nothing fills the required field(s) status"),
        (("crs: EPSG:27700", "crs: EPSG:999999"), "coordinates: "),
    ],
)
def test_mapping_errors_name_the_file_and_key(
    store: Store, tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    mapping = tmp_path / "mapping.yaml"
    original = EXAMPLE.read_text(encoding="utf-8")
    assert change[0] in original
    mapping.write_text(original.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        plan_register(store, REGISTER_HEADER, mapping)
    assert str(mapping) in caught.value.message
    assert expected in caught.value.message


def test_cli_import_register(tiny_gpkg: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "register.csv"
    path.write_text(REGISTER_HEADER + "LCC-9,Beeby Hall,Community Building,Village Hall,"
                    "Operational,,,,,,,457500,306000\n", encoding="utf-8")
    code = main(["import", "register", str(path), "--mapping", str(EXAMPLE), "--store",
                 str(tiny_gpkg), "--actor", "reg"])
    assert code == 0, capsys.readouterr()
    assert "1 rows: 1 new" in capsys.readouterr().out
    saved = open_store(str(tiny_gpkg)).get(ASSETS, "reg-LCC-9")
    assert saved is not None and saved.geometry is not None
    assert saved.geometry.equals(Point(457_500, 306_000))


LIBRARIES = REAL_DATA / "facilities" / "public_libraries_leics_lei_rut_librarieshacked.csv"
LIBRARIES_MAPPING = """
source:
  name: Libraries Hacked public libraries
  vintage: "2025-04-28"
  attribution: "Library data: Libraries Hacked (MIT), from DCMS public libraries data (OGL v3.0)"
id: {columns: [Library name, Postcode], prefix: "lh-"}  # Castle Donington moved in 2019
fields:
  name: Library name
  category: Type of library
  status: Year closed
  address: [Address 1, Address 2, Address 3]
  postcode: Postcode
  website: URL
values:
  category: {CRL: community_library, LAL: council_library, CL: council_library,
             ICL: council_library}
  status: {"": open, "*": closed}
coordinates: {x: lon, y: lat, crs: "EPSG:4326"}
keep_rows:
  Local authority: [Leicestershire County Council]
"""


@pytest.mark.realdata
@pytest.mark.skipif(not LIBRARIES.is_file(), reason=f"{LIBRARIES} absent")
def test_real_libraries_register_into_the_real_county(tmp_path: Path) -> None:
    lads = gpd.read_file(REAL_DATA / "boundaries" / "lad13_leics_lei_rut.geojson")
    county = lads[lads["LAD13CD"].str.startswith("E07")]
    tables = tiny_tables()
    tables["districts"] = gpd.GeoDataFrame(
        {"code": county["LAD13CD"].to_numpy(), "name": county["LAD13NM"].to_numpy()},
        geometry=[g if g.geom_type == "MultiPolygon" else MultiPolygon([g])
                  for g in county.geometry],
        crs=county.crs,
    ).to_crs("EPSG:27700")
    for name in ("assets", "community_areas", "postcodes"):
        tables[name] = tables[name].iloc[0:0]
    path = tmp_path / "real.gpkg"
    write_geopackage(path, tables)
    mapping = tmp_path / "libraries.yaml"
    mapping.write_text(LIBRARIES_MAPPING, encoding="utf-8")
    store = open_store(str(path))
    spec = load_register_mapping(mapping, ASSETS)
    table = read_register(LIBRARIES.read_bytes(), LIBRARIES.name, ASSETS, spec, mapping,
                          max_rows=1_000)
    plan = plan_table(store, CATALOG, table)
    # PROVENANCE.md: 53 Leicestershire libraries (36 community run, 17 council), 3 closed;
    # Leicester's 17 and Rutland's 4 are other authorities'.
    assert plan.ok, plan_text(plan)
    assert plan.skipped == {"not kept by keep_rows (Local authority)": 21}
    categories = [p.properties["category"] for p in plan.creates]
    assert (categories.count("community_library"), categories.count("council_library")) == (36, 17)
    assert sum(p.properties["status"] == "closed" for p in plan.creates) == 3
    assert {p.properties["district_code"] for p in plan.creates} == set(county["LAD13CD"])
    apply_import(store, plan, actor="test")
    assert store.count(ASSETS) == 53
    assert "Libraries Hacked" in store.metadata()["attribution"]
