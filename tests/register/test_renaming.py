"""Features stored with unsafe ids before issue 15 are listed and renamed by an admin: the
feature, its pending suggestions and its history follow; both backends."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest

from assetmap.cli import main
from assetmap.config import PROJECT_ROOT
from assetmap.errors import Conflict, ValidationFailed
from assetmap.layers import load_catalog
from assetmap.register.audit import audit_entries
from assetmap.register.corrections import CORRECTIONS_TABLE, submit_correction
from assetmap.register.renaming import rename_feature, suggested_id, unsafe_ids
from assetmap.store import Store, open_store
from tests.conftest import tiny_tables

CATALOG = load_catalog(PROJECT_ROOT / "layers")
ASSETS = CATALOG["assets"]
OLD_IDS = {"A1": "../../etc/passwd", "A2": "a/b"}


@pytest.fixture
def unsafe_store(store_location: str) -> Iterator[str]:
    """The tiny county as an older release could have stored it: two ids no route reaches,
    one of them with a name the text rules refuse."""
    tables = tiny_tables()
    assets = tables["assets"]
    assets["id"] = assets["id"].replace(OLD_IDS)
    assets.loc[assets["id"] == "a/b", "name"] = "\u202eLLAH"
    store = open_store(store_location)
    store.replace_tables({"assets": assets})
    store.close()
    yield store_location


@pytest.fixture
def store(unsafe_store: str) -> Iterator[Store]:
    opened = open_store(unsafe_store)
    yield opened
    opened.close()


def test_unsafe_ids_are_listed_with_a_safe_suggestion(store: Store) -> None:
    found = {item.feature_id: item for item in unsafe_ids(store, CATALOG)}
    assert set(found) == {"../../etc/passwd", "a/b"}
    assert "not a usable id" in found["a/b"].problem
    assert found["../../etc/passwd"].suggestion.startswith("etc-passwd-")
    assert found["a/b"].suggestion.startswith("a-b-")


def test_a_rename_moves_the_feature_its_suggestions_and_is_audited(store: Store) -> None:
    old = "../../etc/passwd"
    before = store.get(ASSETS, old)
    assert before is not None
    submit_correction(store, ASSETS, old, {"phone": "0116 496 0123"}, None, None, "c1",
                      dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
    after = rename_feature(store, ASSETS, old, "ashby-hall", actor="adam.admin")
    assert after.id == "ashby-hall" and store.get(ASSETS, old) is None
    assert {k: v for k, v in after.properties.items() if k != "id"} == {
        k: v for k, v in before.properties.items() if k != "id"}
    assert after.geometry is not None and after.geometry.equals(before.geometry)
    [suggestion] = store.records(CORRECTIONS_TABLE)
    assert suggestion["feature_id"] == "ashby-hall"
    for feature_id in (old, "ashby-hall"):
        [entry] = audit_entries(store, where={"feature_id": feature_id})
        assert (entry["action"], entry["field"], entry["before"], entry["after"],
                entry["actor"]) == ("rename", "id", json.dumps(old), '"ashby-hall"',
                                    "adam.admin")


def test_a_rename_fixes_other_refused_values_when_told_and_refuses_bad_new_ids(
    store: Store,
) -> None:
    with pytest.raises(ValidationFailed, match="text-direction control"):
        rename_feature(store, ASSETS, "a/b", "beeby-hall", actor="adam.admin")
    assert store.get(ASSETS, "a/b") is not None  # nothing half-done
    with pytest.raises(ValidationFailed, match="not a usable id"):
        rename_feature(store, ASSETS, "a/b", "c/d", actor="adam.admin")
    with pytest.raises(Conflict, match="already has a feature 'A3'"):
        rename_feature(store, ASSETS, "a/b", "A3", actor="adam.admin",
                       changes={"name": "Beeby Hall"})
    renamed = rename_feature(store, ASSETS, "a/b", "beeby-hall", actor="adam.admin",
                             changes={"name": "Beeby Hall"})
    assert renamed.properties["name"] == "Beeby Hall"
    assert unsafe_ids(store, CATALOG)[0].feature_id == "../../etc/passwd"


def test_the_command_lists_then_applies_the_suggestions(
    unsafe_store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["repair-ids", "--store", unsafe_store,
                 "--rename", "a/b", "beeby-hall", "--set", "name=Beeby Hall"]) == 0
    assert main(["repair-ids", "--store", unsafe_store]) == 0
    listed = capsys.readouterr().out
    assert "assets '../../etc/passwd': is not a usable id" in listed
    assert "1 unsafe id(s); rename them with --apply" in listed
    assert main(["repair-ids", "--store", unsafe_store, "--apply", "--actor", "adam"]) == 0
    assert "renamed 1 feature(s) (audited as adam)" in capsys.readouterr().out
    assert main(["repair-ids", "--store", unsafe_store]) == 0
    assert "every stored id is safe" in capsys.readouterr().out
    store = open_store(unsafe_store)
    assert store.get(ASSETS, suggested_id("../../etc/passwd", set())) is not None
    store.close()


def test_a_bad_set_is_one_error_line(unsafe_store: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["repair-ids", "--store", unsafe_store, "--rename", "a/b", "b1",
                 "--set", "name"]) == 2
    assert capsys.readouterr().err.startswith("error: --set 'name': write it as FIELD=VALUE")
