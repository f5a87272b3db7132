"""Postcode importer: Code-Point Open (headed or raw) and ONSPD, bad rows counted, atomic."""

from __future__ import annotations

from pathlib import Path

import pytest

import pyogrio

from assetmap.cli import main
from assetmap.errors import DataError
from assetmap.sources.postcodes import read_postcodes
from tests.conftest import REAL_DATA

CODEPOINT_REAL = REAL_DATA / "postcodes" / "codepoint_open_2014_leics_lei_rut.csv"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.realdata
def test_real_codepoint_open_extract() -> None:
    if not CODEPOINT_REAL.is_file():
        pytest.skip(f"{CODEPOINT_REAL} absent")
    result = read_postcodes(CODEPOINT_REAL)
    assert result.shape == "codepoint"
    assert result.rows_read == 22_617
    assert len(result.postcodes) + sum(result.skipped.values()) == 22_617
    assert len(result.postcodes) > 22_000
    frame = result.postcodes
    assert frame.crs.to_epsg() == 27700
    assert frame["postcode"].is_unique
    assert frame["postcode"].str.fullmatch(r"[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}").all()
    le = frame[frame["postcode"].str.startswith("LE1 ")]
    assert len(le) > 100
    x, y = le.geometry.x.median(), le.geometry.y.median()  # Leicester city centre
    assert 455_000 < x < 462_000 and 300_000 < y < 308_000
    assert frame["district_code"].str.startswith("E0").all()


@pytest.mark.realdata
def test_real_postcodes_import_into_a_store_and_find_hubs(tmp_path: Path) -> None:
    if not CODEPOINT_REAL.is_file():
        pytest.skip(f"{CODEPOINT_REAL} absent")
    from assetmap.config import PROJECT_ROOT

    store = tmp_path / "store.gpkg"
    store.write_bytes((PROJECT_ROOT / "data" / "sample.gpkg").read_bytes())
    assert main(["import", "postcodes", str(CODEPOINT_REAL), "--store", str(store)]) == 0
    assert pyogrio.read_info(store, layer="postcodes")["features"] == 22_617
    assert "assets" in {name for name, _ in pyogrio.list_layers(store)}


def test_raw_codepoint_without_header_and_bad_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "raw.csv",
        '"LE1 1AA",10,458500,304500,"E92000001","E19000001","E18000004","","E06000016","E05001"\n'
        '"LE111AB",10,458600,304600,"E92000001","E19000001","E18000004","","E06000016","E05001"\n'
        '"NOT A CODE",10,458600,304600,"E92000001","","","","E06000016",""\n'
        '"LE1 1AD",90,0,0,"E92000001","","","","E06000016",""\n'
        '"LE1 1AE",10,,,"E92000001","","","","E06000016",""\n'
        '"LE1 1AA",10,458500,304500,"E92000001","","","","E06000016",""\n',
    )
    result = read_postcodes(path)
    assert result.shape == "codepoint" and result.rows_read == 6
    assert result.postcodes["postcode"].tolist() == ["LE1 1AA", "LE11 1AB"]
    assert result.postcodes["district_code"].tolist() == ["E06000016", "E06000016"]
    assert result.skipped == {
        "malformed postcode": 1,
        "grid reference outside Great Britain": 1,
        "no grid reference": 1,
        "duplicate postcode": 1,
    }
    assert "skipped" in result.summary()


def test_onspd_shape_skips_terminated_postcodes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "onspd.csv",
        "pcd,pcd2,pcds,dointr,doterm,oscty,oslaua,osward,oseast1m,osnrth1m,lat,long\n"
        "LE1  1AA,LE1  1AA,LE1 1AA,198001,,E10000018,E06000016,E05,458500,304500,52.63,-1.13\n"
        "LE1  9ZZ,LE1  9ZZ,LE1 9ZZ,198001,200012,E10000018,E06000016,E05,458700,304700,52.6,-1.1\n"
        "LE67 9AB,LE67 9AB,LE67 9AB,198001,,E10000018,E07000134,E05,441000,314000,52.72,-1.36\n",
    )
    result = read_postcodes(path)
    assert result.shape == "onspd"
    assert result.postcodes["postcode"].tolist() == ["LE1 1AA", "LE67 9AB"]
    assert result.postcodes["district_code"].tolist() == ["E06000016", "E07000134"]
    assert result.skipped == {"terminated": 1}


def test_unrecognised_file_names_the_expected_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "other.csv", "name,x,y\nfoo,1,2\n")
    with pytest.raises(DataError, match="oseast1m"):
        read_postcodes(path)
    with pytest.raises(DataError, match="no such file"):
        read_postcodes(tmp_path / "missing.csv")


def test_cli_import_replaces_the_table_and_leaves_store_alone_on_error(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, "good.csv", "postcode,easting,northing,admin_district_code\n"
                 "lz3 1aa,452500,305500,E07999001\n")
    assert main(["import", "postcodes", str(good), "--store", str(tiny_gpkg)]) == 0
    frame = pyogrio.read_dataframe(tiny_gpkg, layer="postcodes")
    assert frame["postcode"].tolist() == ["LZ3 1AA"]
    assert "1 postcodes kept" in capsys.readouterr().out

    before = tiny_gpkg.read_bytes()
    bad = write(tmp_path, "bad.csv", "postcode,easting,northing\nnonsense,1,2\n")
    assert main(["import", "postcodes", str(bad), "--store", str(tiny_gpkg)]) == 2
    assert "no usable postcodes" in capsys.readouterr().err
    assert tiny_gpkg.read_bytes() == before
    assert [p.name for p in tiny_gpkg.parent.glob(".tiny-*")] == []
