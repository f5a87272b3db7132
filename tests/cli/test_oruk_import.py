"""``assetmap import oruk``: a broken feed exits 2 with JSON paths and writes nothing; a good one
is planned, written and audited; without the profile's schemas the command says how to get them."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from assetmap.cli import main
from assetmap.config import PROJECT_ROOT
from assetmap.crs import metric_to_lonlat
from assetmap.layers import load_catalog
from assetmap.store import open_store
from tests.oruk.conftest import PROFILE, example, example_path, profile_schemas


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _activity_ids(store_path: Path) -> set[str]:
    store = open_store(str(store_path))
    try:
        frame = store.read(load_catalog(PROJECT_ROOT / "layers")["activities"])
        return set(frame["id"].astype(str))
    finally:
        store.close()


def test_a_feed_that_breaks_the_profile_exits_2_naming_paths(
        tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile_schemas()
    broken = copy.deepcopy(example("service_full.json"))
    broken["cost_options"][0]["amount"] = "thirty-five"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    before = _activity_ids(tiny_gpkg)
    code, out, err = run(capsys, "import", "oruk", str(path), "--schemas", str(PROFILE),
                         "--category", "mental_wellbeing", "--store", str(tiny_gpkg))
    assert code == 2 and out == ""
    assert "broken.json does not follow the Open Referral UK 3.0 schemas" in err
    assert "broken.json $.cost_options[0].amount: 'thirty-five' is not of type 'number'" in err
    assert _activity_ids(tiny_gpkg) == before


def test_the_profiles_example_is_read_and_planned(
        tiny_gpkg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile_schemas()
    code, out, _ = run(capsys, "import", "oruk", str(example_path("service_full.json")),
                       "--schemas", str(PROFILE), "--category", "mental_wellbeing",
                       "--store", str(tiny_gpkg), "--dry-run")
    assert code == 0
    assert "service_full.json (Open Referral UK 3.0): 1 services read" in out
    assert "location 'MyCity Civic Center': location: is not in the register" in out
    assert "dry run: nothing was written" in out


def test_a_feed_in_the_county_is_written(tiny_gpkg: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    profile_schemas()
    service = copy.deepcopy(example("service_full.json"))
    location = service["service_at_locations"][0]["location"]
    location["longitude"], location["latitude"] = metric_to_lonlat(453_500, 306_500)
    path = tmp_path / "feed.json"
    path.write_text(json.dumps({"total_items": 1, "total_pages": 1, "page_number": 1, "size": 1,
                                "first_page": True, "last_page": True, "empty": False,
                                "contents": [service]}), encoding="utf-8")
    code, out, err = run(capsys, "import", "oruk", str(path), "--schemas", str(PROFILE),
                         "--category", "mental_wellbeing", "--new-places", "community_centre",
                         "--store", str(tiny_gpkg), "--actor", "j.smith")
    assert code == 0, err
    assert "imported feed.json into activities: 1 created" in out
    assert "(audited as j.smith)" in out
    assert "oruk-ac148810-d857-441c-9679-408f346de14b" in _activity_ids(tiny_gpkg)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "ASSETMAP_ORUK_SCHEMAS"),
        (["--schemas", str(PROFILE), "--category", "knitting"], "not an activity category"),
        (["--schemas", str(PROFILE), "--new-places", "castle"], "not an asset category"),
        (["--schemas", "/nonexistent"], "does not hold the Open Referral UK profile"),
    ],
)
def test_options_that_cannot_work_exit_2_saying_why(
        tiny_gpkg: Path, capsys: pytest.CaptureFixture[str], extra: list[str],
        message: str) -> None:
    code, _, err = run(capsys, "import", "oruk", "feed.json", "--store", str(tiny_gpkg), *extra)
    assert code == 2 and message in err
