"""The real Leicestershire build (``assetmap build-real``) checked against the source files.

Every expected figure is computed here from the CSVs and GeoJSONs with plain
pandas/geopandas, or taken from PROVENANCE.md, never from the importers. The
store is built once per session (``real_build`` in tests/conftest.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

import geopandas as gpd
import pyogrio
import shapely

from assetmap.api import create_app
from assetmap.cli import main
from assetmap.config import PROJECT_ROOT, Settings
from assetmap.layers import load_catalog
from assetmap.provenance import NO_PARISHES
from assetmap.sources.boundaries import read_boundaries
from assetmap.sources.libraries import read_libraries
from assetmap.store import open_store
from tests.conftest import REAL_DATA

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(not REAL_DATA.is_dir(), reason=f"real data folder {REAL_DATA} is absent"),
]
COUNTY = [f"E070001{n}" for n in range(29, 36)]  # E07000129 … E07000135
CATALOG = load_catalog(PROJECT_ROOT / "layers")
# PROVENANCE.md, "Open (not closed) libraries by district": (CRL, LAL).
OPEN_LIBRARIES = {
    "E07000129": (10, 2), "E07000130": (9, 4), "E07000132": (7, 2), "E07000134": (4, 2),
    "E07000131": (3, 3), "E07000133": (1, 1), "E07000135": (0, 2),
}  # fmt: skip


def read(build: Any, layer: str) -> gpd.GeoDataFrame:
    return open_store(str(build.path)).read(CATALOG[layer])


@pytest.fixture(scope="module")
def population_csv() -> pd.DataFrame:
    return pd.read_csv(REAL_DATA / "stats" / "oa11_population_mid2015_sya_leics_lei_rut.csv")


def test_build_time_and_what_was_read(real_build: Any) -> None:
    print(f"\nreal build: {real_build.seconds:.2f} s")
    print("\n".join(real_build.lines()))
    assert real_build.seconds < 60
    reports = real_build.reports
    assert (reports["districts"].rows_read, reports["districts"].kept) == (9, 7)
    assert reports["oa"].rows_read == 3_170
    assert reports["lookup"].rows_read == 3_170 and reports["population"].rows_read == 3_170
    assert reports["imd"].rows_read == 611 and reports["ruc"].rows_read == 611
    assert reports["postcodes"].rows_read == 22_617
    assert reports["libraries"].rows_read == 74


def test_lsoa_file_has_611_lsoas_in_nine_districts() -> None:
    lsoas = read_boundaries(REAL_DATA / "boundaries" / "lsoa11_leics_lei_rut.geojson", "lsoa")
    assert lsoas.report.rows_read == 611 and len(lsoas.table) == 611
    assert lsoas.vintages == {"LSOA": 2011, "LAD": None}
    assert lsoas.table["district_code"].nunique() == 9
    assert lsoas.table.crs.to_epsg() == 27700
    assert (lsoas.table.geom_type == "MultiPolygon").all()


def test_districts_are_the_seven_of_the_county(real_build: Any) -> None:
    districts = read(real_build, "districts")
    assert districts["code"].tolist() == COUNTY
    assert "Leicester" not in districts["name"].tolist()
    assert "Rutland" not in districts["name"].tolist()
    area_km2 = dict(zip(districts["name"], districts.area / 1e6, strict=True))
    assert area_km2["Harborough"] == pytest.approx(592.7, abs=0.1)  # PROVENANCE's check


def test_population_per_district_equals_the_csv(
    real_build: Any, population_csv: pd.DataFrame
) -> None:
    small = read(real_build, "small_areas")
    county = population_csv[population_csv["LAD17CD"].isin(COUNTY)]
    expected = county.groupby("LAD17CD")["All Ages"].sum()
    got = small.groupby("district_code")["population"].sum()
    print("\nmid-2015 residents per district:\n" + got.to_string())
    assert got.to_dict() == expected.to_dict()
    assert len(small) == len(county) == 2_085
    assert int(got.sum()) == int(county["All Ages"].sum())


def test_every_output_area_lies_in_exactly_one_district(real_build: Any) -> None:
    small, districts = read(real_build, "small_areas"), read(real_build, "districts")
    points = shapely.point_on_surface(small.geometry.to_numpy())
    inside = np.column_stack([shapely.contains(d, points) for d in districts.geometry])
    assert (inside.sum(axis=1) == 1).all()
    assert (districts["code"].to_numpy()[inside.argmax(axis=1)] == small["district_code"]).all()


def test_share_65_plus_and_deprivation_come_from_the_source_rows(
    real_build: Any, population_csv: pd.DataFrame
) -> None:
    small = read(real_build, "small_areas").set_index("code")
    ages = population_csv.set_index("OA11CD")
    older = ages[[f"age_{n}" for n in range(65, 91)]].sum(axis=1)
    everyone = ages[[f"age_{n}" for n in range(91)]].sum(axis=1)
    expected = (older / everyone).reindex(small.index)
    assert small["share_65_plus"].to_numpy(float) == pytest.approx(expected.to_numpy(), abs=1e-12)
    imd = pd.read_csv(REAL_DATA / "stats" / "imd2019_domains_lsoa11_leics_lei_rut.csv")
    decile = imd.set_index("LSOA code (2011)")[
        "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
    ]
    lookup = pd.read_csv(
        REAL_DATA / "stats" / "oa11_lsoa11_msoa11_lad17_oac11_lookup_leics_lei_rut.csv"
    )
    lsoa_of = lookup.set_index("OA11CD")["LSOA11CD"].reindex(small.index)
    assert (small["lsoa_code"] == lsoa_of).all()
    assert (small["imd_decile"].astype(int) == decile.reindex(lsoa_of).to_numpy()).all()
    # Urban or rural from the 2011 RUC of each OA's LSOA: A-C urban, D-E rural (PROVENANCE
    # counts: 476 C1, 78 D1, 57 E1 LSOAs in LLR). No centroids: left empty for the analysis.
    ruc = pd.read_csv(REAL_DATA / "stats" / "ruc11_lsoa11_leics_lei_rut.csv")
    assert ruc["RUC11CD"].value_counts().to_dict() == {"C1": 476, "D1": 78, "E1": 57}
    urban = ruc.set_index("LSOA11CD")["RUC11CD"].str[0].isin(["A", "B", "C"])
    assert (small["urban"].astype(bool) == urban.reindex(lsoa_of).to_numpy()).all()
    assert small["urban"].notna().all() and small["pwc_easting"].isna().all()


def _open_by_district(assets: pd.DataFrame) -> dict[str, tuple[int, int]]:
    open_ = assets[assets["status"] == "open"]
    return {
        code: (int(((group["category"] == "community_library")).sum()),
               int((group["category"] == "council_library").sum()))
        for code, group in open_.groupby("district_code")
        if code in COUNTY
    }


def test_libraries_in_the_store_match_provenance(real_build: Any) -> None:
    assets = read(real_build, "assets")
    county = assets[assets["district_code"].isin(COUNTY)]
    assert len(county) == 53
    assert int((county["status"] == "closed").sum()) == 3
    assert _open_by_district(assets) == OPEN_LIBRARIES
    # Neighbours' libraries within 5 km are kept with their own authority's code.
    others = assets[~assets["district_code"].isin(COUNTY)]
    assert set(others["district_code"]) == {"E06000016", "E06000017"}
    assert len(others[others["district_code"] == "E06000016"]) == 17
    assert {"Ketton", "Ryhall"}.isdisjoint(set(others["name"]))  # ~15 km beyond the county


def test_libraries_located_by_postcode_alone(real_build: Any, tmp_path: Path) -> None:
    source = pd.read_csv(
        REAL_DATA / "facilities" / "public_libraries_leics_lei_rut_librarieshacked.csv"
    )
    no_coordinates = tmp_path / "libraries.csv"
    source.drop(columns=["lon", "lat"]).to_csv(no_coordinates, index=False)
    lads = read_boundaries(REAL_DATA / "boundaries" / "lad13_leics_lei_rut.geojson", "districts")
    result = read_libraries(no_coordinates, districts=lads.table,
                            postcodes=read(real_build, "postcodes"))
    assets = result.assets
    assert len(assets) == 74 and not result.report.skipped
    leicestershire = source["Local authority"] == "Leicestershire County Council"
    placed = assets[assets["district_code"].isin(COUNTY)]
    assert len(placed) == int(leicestershire.sum()) == 53
    assert _open_by_district(assets) == OPEN_LIBRARIES
    # Each placed at its postcode's centroid: the same point the CSV's lon/lat gives.
    given = gpd.GeoSeries(gpd.points_from_xy(source["lon"], source["lat"]), crs=4326).to_crs(27700)
    by_postcode = assets.set_index("postcode").geometry
    gaps = [by_postcode[p].distance(g) for p, g in zip(source["Postcode"], given, strict=True)]
    assert max(gaps) < 5  # metres: lon/lat were computed from the same centroids


def test_metadata_carries_the_exact_licence_lines(real_build: Any) -> None:
    metadata = open_store(str(real_build.path)).metadata()
    assert metadata["synthetic"] == "false" and metadata["title"]
    provenance = (REAL_DATA / "PROVENANCE.md").read_text(encoding="utf-8")
    section = provenance.split("**Required attribution for redistribution:**")[1].split("---")[0]
    required = [" ".join(q.split()) for q in re.findall(r'"([^"]+)"', section)]
    assert len(required) == 3
    lines = metadata["attribution"].split("\n")
    for text in required:
        pattern = re.escape(text).replace(re.escape("[year]"), r"\d{4}")
        assert any(re.fullmatch(pattern, line) for line in lines), text
    assert any("Libraries Hacked" in line for line in lines)
    assert all(key in metadata for key in ("source:Population", "source:Deprivation"))
    assert all(key in metadata for key in ("source:Parishes", "source:Unparished areas"))
    # Section 6: the parish shapes' own licence line, with its own year.
    assert ("Source: Office for National Statistics licensed under the Open Government Licence "
            "v3.0. Contains OS data © Crown copyright and database right 2011.") in lines
    assert pyogrio.list_layers(real_build.path)[:, 0].tolist().count("community_areas") == 1


@pytest.fixture(scope="module")
def app_client(real_build: Any):  # type: ignore[no-untyped-def]
    with TestClient(create_app(Settings(store=str(real_build.path)))) as client:
        yield client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def test_officer_map_says_parish_names_are_missing_and_credits_the_data(app_client: Any) -> None:
    page = app_client.get("/")
    assert page.status_code == 200
    text = _text(page.text)
    assert NO_PARISHES not in text  # the parish shapes are loaded now
    assert "the source lost their names and codes: 179 of 192 are shown as" in text
    assert "Parished (council type not known)" in text  # the legend's new category
    assert "Contains Royal Mail data © Royal Mail copyright and database right 2014" in text
    assert 'class="am-attribution"' in page.text and "<br>" in page.text


def test_finder_on_a_real_postcode(app_client: Any) -> None:
    page = app_client.get("/find", params={"q": "le13 0uj"})  # Melton Mowbray library
    assert page.status_code == 200
    text = _text(page.text)
    first = re.search(r'href="/hubs/([^"]+)"', page.text)
    assert first is not None
    # The numbered list, after the map: number 1 is the library at that postcode.
    listed = page.text[page.text.index('id="results-list"'):]
    nearest = re.search(r'<span class="fd-number">1</span> <a href="/hubs/[^"]+">([^<]+)</a>',
                        listed)
    assert nearest is not None and nearest.group(1).startswith("Melton Mowbray")
    assert first.group(1) in nearest.group(0)
    assert "English Indices of Deprivation 2019, MHCLG" in text
    assert "cannot search by parish name" not in text
    hub = app_client.get(f"/hubs/{first.group(1)}")
    assert hub.status_code == 200 and "Libraries Hacked" in _text(hub.text)


def test_district_report_ranks_the_unparished_town(app_client: Any) -> None:
    page = app_client.get("/reports/Melton")
    assert page.status_code == 200
    text = _text(page.text)
    assert "fallback units" not in text and NO_PARISHES not in text
    assert "Melton Mowbray" in text
    assert "Unparished (no local council)" in text
    assert "179 of 192 are shown as" in text  # the notice travels into the report
    # Urban or rural came from the loaded RUC for every resident of the district.
    assert re.search(r"all [\d,]+ small areas had an urban flag \(50,912 residents\)", text)
    assert "classed by the density rule" not in text
    # Only libraries are loaded: the title, chart and every download say what the figures see.
    view = ("community-managed library and council library access view: community hub, "
            "village hall, community centre and church hall not loaded")
    assert f"Gap report: Melton ({view})" in text
    assert f"Summary These figures are a {view}." in text  # above the summary cards
    assert f"Residents outside every catchment, by community area: Melton ({view})" in text
    rows = app_client.get("/reports/Melton.csv").text.splitlines()
    assert rows[0].endswith(",Data note,Attribution") and view in rows[1]
    geojson = app_client.get("/reports/Melton.geojson").json()
    assert geojson["name"] == f"Gap report: Melton ({view})"
    assert "Open Government Licence v3.0" in text
    overview = app_client.get("/reports").text
    index = _text(overview)
    assert NO_PARISHES not in index and re.search(r"\d Harborough [\d,]+ \d", index)
    assert 'href="/reports/E07000131' in overview  # each district links to its report
    assert "E06000016" not in overview and "Rutland" not in index  # Leicester city is not ours


def test_gaps_api_on_the_real_build(app_client: Any) -> None:
    body = app_client.get("/api/gaps", params={"district": "Melton"}).json()
    summary = body["summary"]
    print(f"\nMelton: {summary}\ntop areas: "
          + "; ".join(f"{a['rank']} {a['name']}: {a['reasons']}" for a in body["areas"][:5]))
    assert body["fallback_units"] is None and body["synthetic"] is False
    assert body["view"].startswith("community-managed library and council library access view")
    assert summary["population"] == 50_912  # PROVENANCE / docs/METHOD.md
    # Unparished areas are the default focus: Melton's one, Melton Mowbray.
    assert [(a["name"], a["governance"]) for a in body["areas"]] == [
        ("Melton Mowbray", "unparished")]
    assert summary["community_areas"] == 26  # 25 parish shapes and the town
    assert summary["hubs"] == 2
    assert "179 of 192" in body["notice"]
    assert body["attribution"][0].startswith("Source: Office for National Statistics")
    every = app_client.get("/api/gaps", params={"district": "Melton", "all_areas": "true"}).json()
    kinds = {a["governance"] for a in every["areas"]}
    assert kinds == {"unparished", "parish_type_unknown"} and len(every["areas"]) == 26
    names = {a["name"] for a in every["areas"]}
    assert {"Ab Kettleby", "Grimston", "Melton parish 2 (name not known)"} <= names


def test_cli_build_real_refuses_an_incomplete_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "real.gpkg"
    assert main(["build-real", "--from", str(tmp_path), "--out", str(out)]) == 2
    assert "lacks" in capsys.readouterr().err
    assert not out.exists()


def test_harborough_sites_are_named_after_real_places(app_client: Any, real_build: Any) -> None:
    body = app_client.get("/api/gaps", params={"district": "Harborough"}).json()
    sites = body["sites"]
    print("\nHarborough sites: " + "; ".join(f"{s['rank']} {s['name']}" for s in sites))
    assert sites, "the real build proposes sites in Harborough"
    places = set(read(real_build, "places")["name"]) | set(
        read(real_build, "community_areas")["name"].dropna())
    postcodes = set(read(real_build, "postcodes")["postcode"])
    for site in sites:
        assert not site["name"].startswith("Centre of small area")
        assert site["locality"] in places and site["postcode"] in postcodes
        assert re.fullmatch(r"S[KP] \d{3} \d{3}", site["grid_reference"])  # Harborough's squares
        if site["kind"] == "small-area centroid":
            assert site["name"] == (f"near {site['locality']}, {site['postcode']} "
                                    f"({site['grid_reference']})")
    assert all(re.fullmatch(r"\d+(–\d+)?", a["rank_band"]) for a in body["areas"])
    page = app_client.get("/reports/Harborough").text
    assert 'id="site-1"' in page and "Centre of small area" not in page
    rows = app_client.get("/reports/Harborough.csv").text.splitlines()
    header = rows[0].lstrip("\ufeff").split(",")
    assert header[:3] == ["Rank", "Community area", "Score (0–100)"] and "Rank band" in header
