"""`assetmap copy`: one store into another, all or nothing (how docker compose seeds PostGIS)."""

from __future__ import annotations

from pathlib import Path

import pytest

from geopandas.testing import assert_geodataframe_equal

from assetmap.cli import main
from assetmap.config import PROJECT_ROOT
from assetmap.layers import load_catalog
from assetmap.store import open_store
from assetmap.store.copying import copy_store

CATALOG = load_catalog(PROJECT_ROOT / "layers")


def assert_same_contents(first: str, second: str) -> None:
    a, b = open_store(first), open_store(second)
    try:
        for layer in CATALOG.values():
            assert a.has_layer(layer) == b.has_layer(layer), layer.name
            assert_geodataframe_equal(a.read(layer), b.read(layer))
        assert a.metadata() == b.metadata()
        assert a.records("assetmap_audit") == b.records("assetmap_audit")
    finally:
        a.close()
        b.close()


def test_copy_to_a_new_geopackage(tiny_gpkg: Path, tmp_path: Path) -> None:
    copied = tmp_path / "copy.gpkg"
    result = copy_store(str(tiny_gpkg), str(copied), CATALOG)
    assert result.counts["assets"] == 5 and result.counts["assetmap_metadata"] == 3
    assert_same_contents(str(tiny_gpkg), str(copied))


def test_copy_to_postgis_and_back_keeps_every_value_and_type(
    riverside_gpkg: Path, postgis_url: str, tmp_path: Path
) -> None:
    copy_store(str(riverside_gpkg), postgis_url, CATALOG)
    # small_areas has int, float and bool fields: they come back with the same dtypes.
    assert_same_contents(str(riverside_gpkg), postgis_url)
    store = open_store(postgis_url)
    with store.transaction() as tx:
        tx.insert_record("assetmap_audit", {"actor": "ann", "action": "add", "feature_id": "X1"})
    store.close()
    back = tmp_path / "back.gpkg"
    result = copy_store(postgis_url, str(back), CATALOG)
    assert result.counts["assetmap_audit"] == 1
    assert_same_contents(postgis_url, str(back))


def test_if_empty_seeds_once_and_then_leaves_the_data_alone(
    tiny_gpkg: Path, riverside_gpkg: Path, postgis_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["copy", str(tiny_gpkg), postgis_url, "--if-empty"]) == 0
    first = capsys.readouterr().out
    assert "copied 7 tables into postgresql://assetmap@" in first and "assets 5" in first
    assert "assetmap:assetmap" not in first  # the password is never printed
    assert main(["copy", str(riverside_gpkg), postgis_url, "--if-empty"]) == 0
    assert "already has data" in capsys.readouterr().out
    assert_same_contents(str(tiny_gpkg), postgis_url)


def test_copy_refuses_the_same_store_and_names_a_missing_source(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["copy", str(tiny_gpkg), str(tiny_gpkg)]) == 2
    assert "same store" in capsys.readouterr().err
    missing = tmp_path / "none.gpkg"
    assert main(["copy", str(missing), str(tmp_path / "out.gpkg")]) == 2
    assert f"{missing} not found" in capsys.readouterr().err
    assert not (tmp_path / "out.gpkg").exists()
