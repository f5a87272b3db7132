"""Population, IMD and lookup readers, and building small areas from them in a store."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import geopandas as gpd
from shapely.geometry import box

from assetmap.cli import main
from assetmap.config import PROJECT_ROOT
from assetmap.errors import DataError
from assetmap.layers import load_catalog
from assetmap.sources.statistics import read_imd, read_lookup, read_population, read_ruc
from assetmap.store import open_store

CATALOG = load_catalog(PROJECT_ROOT / "layers")
IMD_DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
IMD_RANK = "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def ages_row(code: str, lsoa: str, counts: dict[int, int]) -> str:
    values = [counts.get(age, 0) for age in range(91)]
    return ",".join([code, lsoa, str(sum(values)), *map(str, values)])


def population_file(path: Path, rows: list[str]) -> Path:
    header = ",".join(["OA11CD", "LSOA11CD", "All Ages", *(f"age_{n}" for n in range(91))])
    return write(path, "\n".join([header, *rows]) + "\n")


def test_population_with_single_years_of_age(tmp_path: Path) -> None:
    path = population_file(tmp_path / "pop.csv", [
        ages_row("E00000001", "E01000001", {30: 60, 64: 20, 65: 10, 90: 10}),
        ages_row("E00000002", "E01000001", {}),
    ])
    result = read_population(path)
    assert result.level == "OA" and result.vintages == {"OA": 2011, "LSOA": 2011}
    table = result.table.set_index("code")
    assert table.loc["E00000001", "population"] == 100
    assert table.loc["E00000001", "share_65_plus"] == pytest.approx(0.2)  # 65 and 90+
    assert pd.isna(table.loc["E00000002", "share_65_plus"])  # nobody lives there
    assert table.loc["E00000001", "lsoa_code"] == "E01000001"


def test_population_problems_name_the_row_and_field(tmp_path: Path) -> None:
    bad = population_file(tmp_path / "bad.csv", [
        ages_row("E00000001", "E01000001", {30: 5}),
        "E00000002,E01000001,lots," + ",".join(["0"] * 91),
    ])
    with pytest.raises(DataError, match=r"`All Ages` must be a whole number.*row 3 \('lots'\)"):
        read_population(bad)
    dupes = population_file(tmp_path / "dupes.csv", [
        ages_row("E00000001", "E01000001", {30: 5}), ages_row("E00000001", "E01000001", {})
    ])
    with pytest.raises(DataError, match=r"E00000001 ×2"):
        read_population(dupes)
    with pytest.raises(DataError, match="no OAyyCD or LSOAyyCD column"):
        read_population(write(tmp_path / "x.csv", "area,people\nA,1\n"))


def test_census_2021_lsoa_totals_without_ages(tmp_path: Path) -> None:
    path = write(tmp_path / "ts001.csv", "LSOA21CD,Total\nE01000001,1500\nE01000002,1,600\n"
                 .replace("1,600", "\"1,600\""))
    result = read_population(path)
    assert result.level == "LSOA" and result.vintages == {"LSOA": 2021}
    assert result.table["population"].tolist() == [1500, 1600]
    assert "share_65_plus" not in result.table.columns
    assert any("no single-year age columns" in w for w in result.report.warnings)


def test_imd_deciles_ranks_and_optional_scores(tmp_path: Path) -> None:
    header = f"LSOA code (2011),LSOA name (2011),{IMD_RANK},{IMD_DECILE},Income Decile\n"
    path = write(tmp_path / "imd.csv", header + "E01000001,Somewhere 001A,1928,1,3\n")
    result = read_imd(path)
    assert result.table.to_dict("records") == [{
        "code": "E01000001", "imd_decile": 1, "imd_rank": 1928, "lsoa_name": "Somewhere 001A"
    }]
    assert result.vintages == {"LSOA": 2011}
    assert any("no IMD score column" in w for w in result.report.warnings)
    scored = write(tmp_path / "scores.csv", "lsoa11cd,IMD_Decile,IMD_Score\nE01000001,2,31.5\n")
    assert read_imd(scored).table.loc[0, "imd_score"] == 31.5
    bad = write(tmp_path / "bad.csv", header + "E01000001,Somewhere 001A,1928,11,3\n")
    with pytest.raises(DataError, match=r"from 1 to 10.*row 2 \('11'\)"):
        read_imd(bad)


def test_lookup_reads_codes_of_every_vintage(tmp_path: Path) -> None:
    path = write(tmp_path / "lookup.csv",
                 "OA11CD,LSOA21CD,LSOA21NM,LAD22CD\nE00000001,E01000001,Somewhere 001A,"
                 "E07999001\n")
    result = read_lookup(path)
    assert result.vintages == {"OA": 2011, "LSOA": 2021, "LAD": 2022}
    assert result.table.loc[0, "district_code"] == "E07999001"


@pytest.fixture
def oa_file(tmp_path: Path) -> Path:
    """Four Output Areas in the tiny county (no district field: placed by location)."""
    frame = gpd.GeoDataFrame(
        {"OA11CD": ["E00000001", "E00000002", "E00000003", "E00000099"]},
        geometry=[box(450_000, 300_000, 452_000, 302_000), box(452_000, 300_000, 454_000, 302_000),
                  box(462_000, 300_000, 464_000, 302_000), box(490_000, 300_000, 491_000, 301_000)],
        crs="EPSG:27700",
    )
    path = tmp_path / "oa.gpkg"
    frame.to_file(path, driver="GPKG")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_small_areas_built_from_their_parts_in_a_store(
    tiny_gpkg: Path, oa_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = ["--store", str(tiny_gpkg)]
    code, out, _ = run(capsys, "import", "oa", str(oa_file), *store)
    assert code == 0
    assert "4 rows read, 3 output areas kept (OA 2011); skipped 1 outside the store's" in out
    assert "3 small areas have no population yet" in out

    imd = write(tmp_path / "imd.csv", f"LSOA code (2011),{IMD_DECILE}\nE01000001,2\n"
                f"E01000002,9\n")
    before = tiny_gpkg.read_bytes()
    code, _, err = run(capsys, "import", "imd", str(imd), *store)
    assert code == 2 and "Import the OA→LSOA lookup first" in err
    assert tiny_gpkg.read_bytes() == before

    lookup = write(tmp_path / "lookup.csv", "OA11CD,LSOA11CD,LSOA11NM\n"
                   "E00000001,E01000001,West 001A\nE00000002,E01000001,West 001A\n"
                   "E00000003,E01000002,East 001A\n")
    assert run(capsys, "import", "lookup", str(lookup), *store)[0] == 0
    assert run(capsys, "import", "imd", str(imd), *store)[0] == 0
    population = population_file(tmp_path / "pop.csv", [
        ages_row("E00000001", "E01000001", {70: 50, 20: 50}),
        ages_row("E00000002", "E01000001", {20: 80}),
        ages_row("E00000003", "E01000002", {40: 300}),
        ages_row("E00000777", "E01000777", {40: 5}),
    ])
    code, out, _ = run(capsys, "import", "population", str(population), *store)
    assert code == 0 and "a population given to 3 of 3 small areas" in out
    assert "1 rows of the file are for areas not in the store" in out

    small = open_store(str(tiny_gpkg)).read(CATALOG["small_areas"]).set_index("code")
    assert small["population"].tolist() == [100, 80, 300]
    assert small["district_code"].tolist() == ["E07999001", "E07999001", "E07999002"]
    assert small["imd_decile"].tolist() == [2, 2, 9]
    assert small["lsoa_name"].tolist() == ["West 001A", "West 001A", "East 001A"]
    assert small.loc["E00000001", "share_65_plus"] == pytest.approx(0.5)

    # Re-importing the boundaries keeps what the other files gave.
    assert run(capsys, "import", "oa", str(oa_file), *store)[0] == 0
    again = open_store(str(tiny_gpkg)).read(CATALOG["small_areas"]).set_index("code")
    assert again["population"].tolist() == [100, 80, 300]
    assert again["imd_decile"].tolist() == [2, 2, 9]


def test_mixed_vintages_are_warned(
    tiny_gpkg: Path, oa_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = ["--store", str(tiny_gpkg)]
    assert run(capsys, "import", "oa", str(oa_file), *store)[0] == 0
    lookup = write(tmp_path / "lookup.csv", "OA11CD,LSOA21CD\nE00000001,E01000001\n")
    code, out, _ = run(capsys, "import", "lookup", str(lookup), *store)
    assert code == 0
    assert "mixes census geographies of different years (OA 2011, LSOA 2021)" in out
    imd = write(tmp_path / "imd.csv", f"LSOA code (2011),{IMD_DECILE}\nE01000001,2\n")
    code, out, _ = run(capsys, "import", "imd", str(imd), *store)
    assert "LSOA codes here are the 2011 vintage but the store's are 2021" in out


RUC_HEADER = "LSOA11CD,LSOA11NM,RUC11CD,RUC11\n"


def test_rural_urban_classification_of_lsoas_and_oas(tmp_path: Path) -> None:
    lsoas = read_ruc(write(tmp_path / "ruc.csv", RUC_HEADER
                           + "E01000001,West 001A,C1,Urban city and town\n"
                           + "E01000002,East 001A,e1,Rural village and dispersed\n"))
    assert lsoas.level == "LSOA" and lsoas.vintages == {"LSOA": 2011, "RUC": 2011}
    assert lsoas.table.set_index("code")["urban"].to_dict() == {"E01000001": True,
                                                                "E01000002": False}
    assert lsoas.table["ruc_code"].tolist() == ["C1", "E1"]
    oas = read_ruc(write(tmp_path / "oa.csv", "OA11CD,RUC11CD\nE00000001,F2\nE00000002,A1\n"))
    assert oas.level == "OA" and oas.table["urban"].tolist() == [False, True]
    with pytest.raises(DataError, match=r"`RUC11CD` must be a Rural-Urban Classification 2011 "
                                        r"code .*row 3 \('UN1'\)"):
        read_ruc(write(tmp_path / "bad.csv", "OA11CD,RUC11CD\nE00000001,A1\nE00000002,UN1\n"))


def test_cli_import_ruc_fills_urban_and_refuses_another_vintage(
    tiny_gpkg: Path, oa_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = ["--store", str(tiny_gpkg)]
    assert run(capsys, "import", "oa", str(oa_file), *store)[0] == 0
    lookup = write(tmp_path / "lookup.csv", "OA11CD,LSOA11CD\nE00000001,E01000001\n"
                   "E00000002,E01000001\nE00000003,E01000002\n")
    assert run(capsys, "import", "lookup", str(lookup), *store)[0] == 0
    ruc = write(tmp_path / "ruc.csv", RUC_HEADER + "E01000001,West 001A,C1,Urban\n"
                "E01000002,East 001A,D1,Rural town and fringe\n")
    code, out, _ = run(capsys, "import", "ruc", str(ruc), *store)
    assert code == 0, out
    assert "an urban or rural class given to 3 of 3 small areas" in out
    assert "2 urban, 1 rural (Rural-Urban Classification 2011)" in out
    small = open_store(str(tiny_gpkg)).read(CATALOG["small_areas"]).set_index("code")
    assert small["urban"].tolist() == [True, True, False]
    assert open_store(str(tiny_gpkg)).metadata()["source:ruc"].startswith("ruc.csv | LSOA 2011")

    before = tiny_gpkg.read_bytes()
    newer = write(tmp_path / "ruc21.csv", "LSOA21CD,LSOA21NM,RUC21CD,RUC21NM\n"
                  "E01000001,West 001A,UN1,Urban: Nearer to a major town or city\n")
    code, _, err = run(capsys, "import", "ruc", str(newer), *store)
    assert code == 2
    assert "this Rural-Urban Classification is for 2021 LSOAs (LSOA21CD)" in err
    assert "the store's small areas are 2011 geography" in err
    assert "Rural Urban Classification (2011) of LSOAs" in err  # the fix: the file to use
    assert tiny_gpkg.read_bytes() == before
