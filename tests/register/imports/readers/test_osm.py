"""OpenStreetMap facilities: tags mapped to categories, one point per element, ODbL credited."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shapely.geometry import Point

from assetmap.cli import main
from assetmap.config import PROJECT_ROOT
from assetmap.errors import ConfigError
from assetmap.layers import load_catalog
from assetmap.register.audit import AUDIT_TABLE
from assetmap.register.imports import ImportPlan, apply_import, plan_table, plan_text
from assetmap.register.imports.readers.osm import load_osm_mapping, read_osm
from assetmap.register.imports.readers.osm.mapping import OsmMapping
from assetmap.store import Store, open_store
from tests.sources.conftest import lonlat

CATALOG = load_catalog(PROJECT_ROOT / "layers")
ASSETS = CATALOG["assets"]
MAPPING, MAPPING_PATH = load_osm_mapping(PROJECT_ROOT / "layers" / "mappings" / "osm.yaml",
                                         ASSETS)
ODBL = "© OpenStreetMap contributors"


def node(osm_id: int, x: float, y: float, **tags: str) -> dict[str, Any]:
    lon, lat = lonlat(x, y)
    return {"type": "node", "id": osm_id, "lat": lat, "lon": lon, "tags": tags}


def overpass(*elements: dict[str, Any]) -> bytes:
    return json.dumps({
        "version": 0.6, "generator": "Overpass API",
        "osm3s": {"timestamp_osm_base": "2026-10-01T12:00:00Z"}, "elements": list(elements),
    }).encode()


def plan_osm(store: Store, data: bytes, mapping: OsmMapping = MAPPING,
             name: str = "osm.json") -> ImportPlan:
    table = read_osm(data, name, ASSETS, mapping, max_rows=1_000)
    return plan_table(store, CATALOG, table)


@pytest.fixture
def store(tiny_gpkg: Path) -> Store:
    return open_store(str(tiny_gpkg))


def test_overpass_nodes_ways_and_relations_become_assets(store: Store) -> None:
    way_lon, way_lat = lonlat(457_500, 306_000)
    rel_box = [lonlat(463_000, 303_000), lonlat(463_200, 303_200)]
    data = overpass(
        node(101, 452_500, 305_500, amenity="community_centre", community_centre="village_hall",
             name="Ashby Parva Village Hall", **{"addr:housenumber": "3",
                                                 "addr:street": "Main Street",
                                                 "addr:village": "Ashby Parva",
                                                 "addr:postcode": "lz1 2ab"},
             wheelchair="yes", **{"toilets:wheelchair": "yes"}, website="https://ap.example",
             opening_hours="Mo-Fr 09:00-17:00"),
        {"type": "way", "id": 202, "center": {"lat": way_lat, "lon": way_lon},
         "tags": {"amenity": "library", "operator:type": "community",
                  "name": "Beeby Community Library"}},
        {"type": "relation", "id": 303,
         "bounds": {"minlon": rel_box[0][0], "minlat": rel_box[0][1],
                    "maxlon": rel_box[1][0], "maxlat": rel_box[1][1]},
         "tags": {"disused:amenity": "library", "name": "Old Westtown Library"}},
        node(404, 453_500, 305_500, amenity="place_of_worship", name="St Peter's Church"),
        node(405, 454_500, 305_500, amenity="community_centre"),  # no name
        node(406, 454_600, 305_500, shop="bakery", name="Bread"),
        node(407, 455_500, 305_500),  # an untagged node (part of a way)
    )
    plan = plan_osm(store, data)
    assert plan.ok, plan_text(plan)
    made = {p.feature_id: p for p in plan.creates}
    assert set(made) == {"osm-node-101", "osm-way-202", "osm-relation-303"}
    hall = made["osm-node-101"].properties
    assert hall["category"] == "village_hall" and hall["status"] == "open"
    assert hall["address"] == "3 Main Street, Ashby Parva"
    assert hall["postcode"] == "LZ1 2AB"
    assert hall["accessibility"] == "step_free;accessible_toilet"
    assert (hall["website"], hall["opening_times"]) == ("https://ap.example", "Mo-Fr 09:00-17:00")
    assert hall["district_code"] == "E07999001" and hall["community_area_code"] == "E04999001"
    assert made["osm-way-202"].properties["category"] == "community_library"
    closed = made["osm-relation-303"]
    assert (closed.properties["category"], closed.properties["status"]) == ("council_library",
                                                                             "closed")
    assert closed.geometry.distance(Point(463_100, 303_100)) < 5
    assert plan.skipped == {"excluded by the mapping (amenity=place_of_worship)": 1,
                            "no name": 1, "matched no rule of the mapping": 1}
    assert plan.summary() == "6 rows: 3 new, 0 changed, 0 unchanged, 0 errors, 3 skipped"


def test_applying_credits_openstreetmap_and_audits(store: Store) -> None:
    data = overpass(node(1, 452_500, 305_500, amenity="community_centre", name="Hall"))
    apply_import(store, plan_osm(store, data), actor="osm-import")
    metadata = store.metadata()
    assert ODBL in metadata["attribution"]
    assert metadata["source:OpenStreetMap"].split(" | ")[1] == "2026-10-01T12:00:00Z"
    assert store.get(ASSETS, "osm-node-1").properties["category"] == "community_centre"  # type: ignore[union-attr]
    assert store.count_records(AUDIT_TABLE, where={"feature_id": "osm-node-1"}) > 0
    # A second import adds no second credit line.
    apply_import(store, plan_osm(store, overpass(
        node(2, 453_500, 305_500, amenity="library", name="Lib"))), actor="osm-import")
    assert store.metadata()["attribution"].count(ODBL) == 1


def test_ways_without_a_centre_are_placed_from_their_nodes_or_geometry(store: Store) -> None:
    corners = [(456_000, 306_000), (456_040, 306_000), (456_040, 306_040), (456_000, 306_040)]
    nodes = [node(900 + i, x, y) for i, (x, y) in enumerate(corners)]
    ring = [*range(900, 904), 900]
    geometry = [dict(zip(("lon", "lat"), lonlat(x, y), strict=True))
                for x, y in [*corners, corners[0]]]
    data = overpass(
        {"type": "way", "id": 1, "nodes": ring,
         "tags": {"amenity": "community_centre", "name": "St Mary's Church Hall"}},
        {"type": "way", "id": 2, "geometry": geometry,
         "tags": {"amenity": "community_centre", "name": "Beeby Community Hub"}},
        {"type": "way", "id": 3, "nodes": [1, 2, 3],
         "tags": {"amenity": "community_centre", "name": "Lost Hall"}},
        *nodes,
    )
    plan = plan_osm(store, data)
    made = {p.feature_id: p for p in plan.creates}
    assert made["osm-way-1"].properties["category"] == "church_hall"  # by its name
    assert made["osm-way-1"].geometry.distance(Point(456_020, 306_020)) < 1
    assert made["osm-way-2"].properties["category"] == "community_hub"
    [problem] = plan.errors
    assert (problem.where, problem.field) == ("way 3", "geometry")
    assert "out center;" in problem.fix


def test_overpass_turbo_geojson_with_polygons(store: Store) -> None:
    ring = [list(lonlat(x, y)) for x, y in
            [(458_000, 304_000), (458_060, 304_000), (458_060, 304_060), (458_000, 304_060),
             (458_000, 304_000)]]
    document = {"type": "FeatureCollection", "generator": "overpass-turbo",
                "timestamp": "2026-09-30T08:00:00Z", "features": [
        {"type": "Feature", "id": "way/55",
         "properties": {"@id": "way/55", "amenity": "cafe", "operator:type": "charity",
                        "name": "Corner Café"},
         "geometry": {"type": "Polygon", "coordinates": [ring]}},
        {"type": "Feature", "id": "node/56",
         "properties": {"@id": "node/56", "amenity": "community_centre",
                        "community_centre": "village_hall;community_hall",
                        "name": "Beeby Hall", "disused": "yes"},
         "geometry": {"type": "Point", "coordinates": list(lonlat(457_000, 303_000))}},
    ]}
    plan = plan_osm(store, json.dumps(document).encode(), name="export.geojson")
    assert plan.ok, plan_text(plan)
    made = {p.feature_id: p for p in plan.creates}
    assert made["osm-way-55"].properties["category"] == "community_cafe"
    assert made["osm-way-55"].geometry.distance(Point(458_030, 304_030)) < 1
    hall = made["osm-node-56"].properties
    assert (hall["category"], hall["status"]) == ("village_hall", "closed")
    assert "2026-09-30T08:00:00Z" in plan.metadata["source:OpenStreetMap"]


def test_outside_the_county_and_already_registered_are_skipped_not_errors(store: Store) -> None:
    data = overpass(
        node(1, 480_000, 305_000, amenity="community_centre", name="Over The Border Hall"),
        node(2, 452_010, 305_010, amenity="community_centre", name="Ashby Village Hall"),
        node(3, 452_500, 305_500, amenity="community_centre", name="New Hall"),
    )
    plan = plan_osm(store, data)
    assert plan.ok
    assert [p.feature_id for p in plan.creates] == ["osm-node-3"]
    assert plan.skipped == {"outside the county": 1, "already in the register": 1}


def test_reimport_updates_osm_assets(store: Store) -> None:
    apply_import(store, plan_osm(store, overpass(
        node(1, 452_500, 305_500, amenity="library", name="Ashby Library"))), actor="a")
    again = plan_osm(store, overpass(
        node(1, 452_500, 305_500, amenity="library", name="Ashby Library",
             opening_hours="closed")))
    assert [(p.feature_id, p.changes) for p in again.updates] == [
        ("osm-node-1", {"status": ("open", "closed"), "opening_times": (None, "closed")})
    ]


def test_reimport_keeps_an_officers_at_risk_unless_osm_says_closed(store: Store) -> None:
    library = node(1, 452_500, 305_500, amenity="library", name="Ashby Library")
    apply_import(store, plan_osm(store, overpass(library)), actor="a")
    current = store.get(ASSETS, "osm-node-1")
    assert current is not None
    with store.transaction() as tx:
        tx.change(ASSETS, "osm-node-1", {"status": "at_risk"})
    # OSM knows the library is there, not that the council thinks it is at risk.
    assert plan_osm(store, overpass(library)).updates == []
    closed = node(1, 452_500, 305_500, amenity="library", name="Ashby Library",
                  opening_hours="closed")
    changes = plan_osm(store, overpass(closed)).updates[0].changes
    assert changes["status"] == ("at_risk", "closed")


def write_mapping(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "osm.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_mapping_file_errors_name_the_file_and_key(tmp_path: Path) -> None:
    path = write_mapping(tmp_path, (
        "attribution: x\n"
        "rules:\n"
        "  - {category: village_hall, tags: {amenity: community_centre}}\n"
        "  - {category: town_hall, tags: {amenity: townhall}}\n"
        "  - {category: church_hall, tags: {amenity: x}, name_pattern: '(unclosed'}\n"
        "fields: {colour: [colour]}\n"
        "extra: 1\n"
    ))
    with pytest.raises(ConfigError) as caught:
        load_osm_mapping(path, ASSETS)
    message = caught.value.message
    assert f"{path}: rules[1].category: 'town_hall' is not a category" in message
    assert f"{path}: rules[2].name_pattern: not a valid regular expression" in message
    assert f"{path}: fields: 'colour' is not a field of assets" in message
    assert f"{path}: extra: " in message and "not a known key" in message
    broken = write_mapping(tmp_path, "rules: [\n")
    with pytest.raises(ConfigError, match=r"osm\.yaml: not valid YAML at line"):
        load_osm_mapping(broken, ASSETS)


def test_yes_in_a_mapping_file_means_the_tag_value(tmp_path: Path, store: Store) -> None:
    path = write_mapping(tmp_path, (
        "attribution: ODbL\n"
        "rules:\n"
        "  - {category: community_hub, tags: {amenity: community_centre, hub: yes}}\n"
    ))
    mapping, _ = load_osm_mapping(path, ASSETS)
    plan = plan_osm(store, overpass(
        node(1, 452_500, 305_500, amenity="community_centre", hub="yes", name="Hub")), mapping)
    assert plan.creates[0].properties["category"] == "community_hub"


def test_cli_import_osm(tiny_gpkg: Path, tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(overpass(
        node(1, 452_500, 305_500, amenity="community_centre", name="Hall"),
        node(2, 452_600, 305_600, amenity="place_of_worship", name="Church"),
    ))
    assert main(["import", "osm", str(path), "--store", str(tiny_gpkg)]) == 0
    out = capsys.readouterr().out
    assert "export.json (OpenStreetMap): 2 rows: 1 new, 0 changed, 0 unchanged, 0 errors, " \
           "1 skipped" in out
    assert "skipped: 1 excluded by the mapping (amenity=place_of_worship)" in out
    assert ODBL in open_store(str(tiny_gpkg)).metadata()["attribution"]


def test_unreadable_osm_files_are_named(store: Store) -> None:
    from assetmap.errors import DataError

    with pytest.raises(DataError, match="neither Overpass JSON"):
        plan_osm(store, b'{"type": "Feature"}')


def test_geojson_features_without_an_osm_id_are_errors(store: Store) -> None:
    document = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"amenity": "library", "name": "Anon Library"},
         "geometry": {"type": "Point", "coordinates": list(lonlat(452_500, 305_500))}},
        {"type": "Feature", "id": "node/7",
         "properties": {"amenity": "library", "name": "Known Library"},
         "geometry": {"type": "Point", "coordinates": list(lonlat(453_500, 305_500))}},
    ]}
    plan = plan_osm(store, json.dumps(document).encode(), name="drawn.geojson")
    [problem] = plan.errors
    assert (problem.where, problem.field) == ("features[0]", "id")
    assert [p.feature_id for p in plan.creates] == ["osm-node-7"]


def test_osm_habits_are_tidied_and_bad_optional_values_left_out(store: Store) -> None:
    data = overpass(node(
        1, 452_500, 305_500, amenity="community_centre", name="Tidy Hall",
        website="www.tidy-hall.example", email="mailto:book@tidy.example",
        phone="0116 496 0000;0116 496 0001", **{"addr:postcode": "LE7"},
    ))
    plan = plan_osm(store, data)
    assert plan.ok, plan_text(plan)
    hall = plan.creates[0].properties
    assert (hall["website"], hall["email"], hall["phone"]) == (
        "https://www.tidy-hall.example", "book@tidy.example", "0116 496 0000")
    assert hall["postcode"] is None
    [warning] = plan.warnings
    assert (warning.where, warning.field, warning.value) == ("node 1", "postcode", "LE7")
    assert "left out" in warning.problem
