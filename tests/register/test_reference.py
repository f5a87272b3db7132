"""Reference imports through the register: areas replaced whole, assets re-placed one by one.

``assetmap import parishes`` replaces the community areas and re-codes the
assets that now lie in another area: each such asset through the audited,
version-checked write (action ``import``), in the same transaction as the
tables, so an officer's edit made meanwhile is never overwritten.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assetmap.cli import main
from assetmap.config import PROJECT_ROOT
from assetmap.layers import load_catalog
from assetmap.register.audit import AUDIT_TABLE
from assetmap.register.editing import feature_etag, update_feature
from assetmap.register.imports.apply import ImportConflict
from assetmap.register.reference import (
    apply_reference_import,
    import_reference,
    plan_reference_import,
)
from assetmap.sources.importing import ImportOptions, prepare_import
from assetmap.store import Store, open_store
from tests.sources.parish_files import parish_frame, write_governance

CATALOG = load_catalog(PROJECT_ROOT / "layers")
ASSETS, AREAS = CATALOG["assets"], CATALOG["community_areas"]
# Ashby Parva keeps the code the store has (A1 and A5 lie in it); the others are new codes.
CODES = ["E04999001", "E04999102", "E43999101", "E04999103", "E04999199"]
ACTOR = "cli:tester"


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    backend = open_store(store_location)
    yield backend
    backend.close()


@pytest.fixture
def parishes(tmp_path: Path) -> Path:
    frame = parish_frame()
    frame["PARNCP21CD"] = CODES
    path = tmp_path / "PARNCP_DEC_2021_EW_BGC.gpkg"
    frame.to_file(path, driver="GPKG")
    return path


@pytest.fixture
def options(tmp_path: Path) -> ImportOptions:
    governance = {code: "parish_council" for code in CODES if code.startswith("E04")}
    return ImportOptions(governance=write_governance(tmp_path, governance))


def imports(store: Store) -> list[dict[str, object]]:
    return [dict(row) for row in store.records(AUDIT_TABLE, where={"action": "import"})]


def area_code(store: Store, feature_id: str) -> object:
    feature = store.get(ASSETS, feature_id)
    assert feature is not None
    return feature.properties["community_area_code"]


def test_assets_whose_community_area_changed_are_audited_with_before_and_after(
    store: Store, parishes: Path, options: ImportOptions
) -> None:
    lines = import_reference(store, CATALOG, "parishes", parishes, options, actor=ACTOR)
    assert "  assets: 5 of 5 now carry the code of the community area they lie in" in lines
    assert "  assets: 3 changed area, each audited as import by cli:tester" in lines
    assert lines[-1] == "updated community_areas, assets in the store"
    assert store.read(AREAS)["code"].tolist() == sorted(CODES[:4])
    rows = imports(store)
    assert {(r["feature_id"], r["field"], r["before"], r["after"]) for r in rows} == {
        ("A2", "community_area_code", '"E04999002"', '"E04999102"'),
        ("A3", "community_area_code", '"E43999001"', '"E43999101"'),
        ("A4", "community_area_code", '"E04999003"', '"E04999103"'),
    }
    assert {r["actor"] for r in rows} == {ACTOR} and {r["layer"] for r in rows} == {"assets"}
    assert len({r["change_id"] for r in rows}) == 3  # one write per asset
    assert len({r["at"] for r in rows}) == 1  # one import
    # Unchanged assets are not written at all; nothing else of the changed ones moved.
    assert area_code(store, "A1") == "E04999001" and area_code(store, "A2") == "E04999102"
    a2 = store.get(ASSETS, "A2")
    assert a2 is not None and a2.properties["name"] == "Beeby Church Hall"


def test_an_asset_edited_between_read_and_write_is_not_overwritten(
    store: Store, parishes: Path, options: ImportOptions
) -> None:
    areas_before = store.read(AREAS)["code"].tolist()
    plan = plan_reference_import(
        store, CATALOG, prepare_import(store, CATALOG, "parishes", parishes, options)
    )
    read = store.get(ASSETS, "A3")
    assert read is not None
    update_feature(store, ASSETS, "A3", if_match=feature_etag(read), actor="officer",
                   properties={"name": "Westtown Community Centre"})
    version = store.version()
    with pytest.raises(ImportConflict, match=r"PARNCP_DEC_2021_EW_BGC\.gpkg: assets 'A3' was "
                                             r"changed by someone else after this import read "
                                             r"it; nothing was written"):
        apply_reference_import(store, plan, actor=ACTOR)
    # Nothing of the import landed: not the areas, not the other assets' codes.
    assert store.version() == version
    assert store.read(AREAS)["code"].tolist() == areas_before
    assert area_code(store, "A2") == "E04999002"
    a3 = store.get(ASSETS, "A3")
    assert a3 is not None and a3.properties["name"] == "Westtown Community Centre"
    assert a3.properties["community_area_code"] == "E43999001"
    assert imports(store) == []
    # Imported again, it sees the edit and keeps it.
    import_reference(store, CATALOG, "parishes", parishes, options, actor=ACTOR)
    a3 = store.get(ASSETS, "A3")
    assert a3 is not None and a3.properties["name"] == "Westtown Community Centre"
    assert a3.properties["community_area_code"] == "E43999101"


def test_a_second_identical_import_writes_no_audit_rows(
    store: Store, parishes: Path, options: ImportOptions
) -> None:
    import_reference(store, CATALOG, "parishes", parishes, options, actor=ACTOR)
    audited = store.count_records(AUDIT_TABLE)
    lines = import_reference(store, CATALOG, "parishes", parishes, options, actor=ACTOR)
    assert store.count_records(AUDIT_TABLE) == audited == 3
    assert not any("changed area" in line for line in lines)
    assert store.read(AREAS)["code"].tolist() == sorted(CODES[:4])


def test_a_reference_import_refuses_to_replace_the_register_whole(
    store: Store, parishes: Path, options: ImportOptions
) -> None:
    prepared = prepare_import(store, CATALOG, "parishes", parishes, options)
    prepared.tables["assets"] = store.read(ASSETS)
    with pytest.raises(ValueError, match="may not replace register layers whole"):
        plan_reference_import(store, CATALOG, prepared)


def test_cli_import_parishes_audits_as_the_login(
    tiny_gpkg: Path, parishes: Path, options: ImportOptions,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert options.governance is not None
    assert main(["import", "parishes", str(parishes), "--store", str(tiny_gpkg),
                 "--governance", str(options.governance)]) == 0
    out = capsys.readouterr().out
    assert "assets: 3 changed area, each audited as import by cli:" in out
    store = open_store(str(tiny_gpkg))
    assert {str(r["actor"]).split(":")[0] for r in imports(store)} == {"cli"}
    assert len(imports(store)) == 3
