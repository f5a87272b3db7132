"""Importing organisations and activities from CSV (``assetmap import organisations|activities``),
on both backends: all or nothing, audited, bad rows named by line, field and fix, the
documented templates import into the sample, and asset opening times that are not OSM syntax
are kept with a warning."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assetmap.cli import main
from assetmap.config import PROJECT_ROOT
from assetmap.errors import ValidationFailed
from assetmap.register.imports import apply_import, plan_table
from assetmap.register.imports.plain import plan_plain_table
from assetmap.register.imports.readers import read_asset_file
from assetmap.store import open_store
from assetmap.store.gpkg_write import write_geopackage
from tests.conftest import tiny_tables
from tests.store.contract import CATALOG, ids

ACTIVITIES, ORGANISATIONS = CATALOG["activities"], CATALOG["organisations"]
EXAMPLES = PROJECT_ROOT / "docs" / "examples"
HEADER = "id,name,category,organisation_id,asset_ids,schedule,audience,age_min,age_max,status\n"


def plan(location: str, text: str, layer: str = "activities"):  # type: ignore[no-untyped-def]
    store = open_store(location)
    table = read_asset_file(text.encode(), f"{layer}.csv", CATALOG[layer])
    return store, plan_plain_table(store, CATALOG, table, layer_name=layer)


def test_new_and_changed_activities_are_written_together_and_audited(
    store_location: str
) -> None:
    store, planned = plan(store_location, HEADER
                          + "AC9,Youth Club,youth_club,O2,A3;A2,Fr 18:30-20:30,young_people,11,18,"
                          "active\n"
                          + "AC1,Friendship Lunch,lunch_club,O3,A1,We 12:00-14:30,older_people,,,"
                          "active\n")
    assert planned.ok, [p.line() for p in planned.errors]
    assert [p.feature_id for p in planned.creates] == ["AC9"]
    assert [(p.feature_id, p.changes["schedule"]) for p in planned.updates] == [
        ("AC1", ("We 12:00-14:00", "We 12:00-14:30"))]
    result = apply_import(store, planned, actor="olive.officer")
    assert (result.created, result.changed) == (1, 1)
    youth = store.get(ACTIVITIES, "AC9")
    assert youth is not None and youth.properties["asset_ids"] == "A3;A2"
    assert youth.properties["age_max"] == 18
    audit = store.records("assetmap_audit", where={"layer": "activities", "action": "import"})
    assert {r["feature_id"] for r in audit} == {"AC1", "AC9"}
    assert all(r["actor"] == "olive.officer" for r in audit)
    store.close()


def test_a_file_with_bad_rows_names_each_and_writes_nothing(store_location: str) -> None:
    store, planned = plan(store_location, HEADER
                          + "AC9,Good,lunch_club,O1,A1,We 12:00-14:00,older_people,,,active\n"
                          + "AC10,Lost,lunch_club,O99,A1;A42,Tuesdays,everyone;pensioners,,,"
                          "active\n"
                          + "AC9,Twice,bingo,,A1,,,12,5,active\n")
    found = {(p.where, p.field): p.problem for p in planned.errors}
    assert found[("line 3", "organisation_id")] == "no organisation with id 'O99'"
    assert found[("line 3", "asset_ids")] == "no asset with id 'A42'"
    assert found[("line 3", "schedule")].startswith(
        "'Tuesdays' is not valid opening_hours syntax at character")
    assert found[("line 3", "audience")] == "lists 'pensioners', not among the known values"
    assert found[("line 4", "id")] == "is used by more than one row (first at line 2)"
    assert found[("line 4", "category")] == "is not a known category"
    assert not planned.ok
    with pytest.raises(ValidationFailed, match="nothing was written"):
        apply_import(store, planned, actor="olive.officer")
    assert ids(store.read(ACTIVITIES)) == ["AC1", "AC2", "AC3", "AC4"]
    store.close()


def test_organisations_import_with_made_ids_and_known_areas(store_location: str) -> None:
    header = "name,kind,areas_served,charity_number\n"
    store, planned = plan(store_location, header
                          + "Beeby Book Club,voluntary_group,E04999002,\n"
                          + "Far Trust,charity,E04000001,1234567\n", "organisations")
    assert [(p.where, p.field, p.problem) for p in planned.errors] == [
        ("line 3", "areas_served", "'E04000001' is not a known community area or district code")]
    store.close()
    row = "Beeby Book Club,voluntary_group,E04999002,\n"
    store, planned = plan(store_location, header + row, "organisations")
    (made,) = planned.creates
    assert made.feature_id.startswith("O-beeby-book-club-")
    apply_import(store, planned, actor="olive.officer")
    store.close()
    store, again = plan(store_location, header + row, "organisations")
    assert [p.feature_id for p in again.unchanged] == [made.feature_id]  # same file, same id
    store.close()


def test_a_store_older_than_the_layers_gets_their_tables_on_import(tmp_path: Path) -> None:
    tables = tiny_tables()
    del tables["activities"], tables["organisations"]
    path = tmp_path / "older.gpkg"
    write_geopackage(path, tables)
    store, planned = plan(str(path), HEADER
                          + "AC9,Lunch,lunch_club,,A1,We 12:00-14:00,older_people,,,active\n")
    apply_import(store, planned, actor="olive.officer")
    assert ids(store.read(ACTIVITIES)) == ["AC9"]
    store.close()


def test_the_documented_templates_import_into_the_sample(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = tmp_path / "sample.gpkg"
    shutil.copyfile(PROJECT_ROOT / "data" / "sample.gpkg", sample)
    for layer in ("organisations", "activities"):
        template = EXAMPLES / f"{layer}_template.csv"
        assert main(["import", layer, str(template), "--store", str(sample),
                     "--actor", "olive.officer"]) == 0
    out = capsys.readouterr().out
    assert "into organisations: 3 created" in out and "into activities: 5 created" in out
    store = open_store(str(sample))
    carers = store.get(ACTIVITIES, "AC-NARBROOK-CARERS")
    assert carers is not None and carers.properties["organisation_id"] == "O-NARBROOK-CARERS"
    template_columns = (EXAMPLES / "activities_template.csv").read_text().splitlines()[0]
    assert template_columns.split(",") == list(ACTIVITIES.field_names)
    organisation_columns = (EXAMPLES / "organisations_template.csv").read_text().splitlines()[0]
    assert organisation_columns.split(",") == list(ORGANISATIONS.field_names)


def test_the_cli_refuses_a_bad_file_with_exit_2_naming_row_and_field(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "AC9,Lunch,lunch_club,,A77,We 12:00-14:00,older_people,,,active\n")
    assert main(["import", "activities", str(path), "--store", str(tiny_gpkg)]) == 2
    captured = capsys.readouterr()
    assert "line 2: asset_ids = 'A77': no asset with id 'A77'" in captured.out
    assert "nothing was written" in captured.err
    assert main(["import", "activities", str(tmp_path / "x.geojson"),
                 "--store", str(tiny_gpkg)]) == 2


def test_asset_opening_times_that_are_not_osm_syntax_are_kept_with_a_warning(
    store_location: str
) -> None:
    store = open_store(store_location)
    text = ("id,name,category,status,easting,northing,opening_times\n"
            "A1,Ashby Village Hall,village_hall,open,452000,305000,Mon-Fri 9-5\n"
            "A2,Beeby Church Hall,church_hall,open,457000,305000,Mo-Fr 09:00-17:00\n")
    table = read_asset_file(text.encode(), "assets.csv", CATALOG["assets"])
    planned = plan_table(store, CATALOG, table)
    assert planned.ok
    (warning,) = planned.warnings
    assert (warning.where, warning.field) == ("line 2", "opening_times")
    assert "kept as written" in warning.problem and "Mo-Fr 09:00-17:00" in warning.fix
    store.close()
