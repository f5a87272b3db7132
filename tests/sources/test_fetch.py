"""`assetmap fetch`: paging, retries, cache, offline and all-or-nothing, on recorded answers.

Every test replays files from ``recorded/fetch/`` through ``httpx.MockTransport``
(see ``recorded_server.py``); nothing touches the network.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from assetmap.cli import main
from assetmap.errors import ConfigError, DataError, ValidationFailed
from assetmap.sources import fetch
from assetmap.sources.fetch import FetchError, OfflineError, fetch_county, load_endpoints, nomis
from assetmap.sources.fetch.arcgis import query_all
from assetmap.sources.fetch.http import Downloader, Request, RetryPolicy
from tests.sources.recorded_server import RECORDED, RecordedServer, recorded

COUNTY = "E10000018"
LEICESTERSHIRE = ["E07000129", "E07000130", "E07000131", "E07000132", "E07000133", "E07000134",
                  "E07000135"]
ONS_OS = ("Source: Office for National Statistics licensed under the Open Government Licence "
          "v3.0. Contains OS data © Crown copyright and database right 2024.")


@pytest.fixture
def endpoints() -> fetch.Endpoints:
    return load_endpoints()


@pytest.fixture
def server(endpoints: fetch.Endpoints) -> RecordedServer:
    return RecordedServer(endpoints)


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def run(tmp_path: Path, endpoints: fetch.Endpoints, server: RecordedServer,
        waits: list[float]) -> Callable[..., fetch.FetchSummary]:
    def go(**options: Any) -> fetch.FetchSummary:
        settings: dict[str, Any] = {
            "endpoints": endpoints, "cache_dir": tmp_path / "cache",
            "transport": server.transport(), "sleep": waits.append, "progress": False,
        }
        return fetch_county(COUNTY, tmp_path / "out", **{**settings, **options})

    return go


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def no_partial_folders(tmp_path: Path) -> bool:
    return not list(tmp_path.glob(".out.partial-*"))


def test_fetch_writes_every_dataset_and_a_manifest_with_attribution(
    run: Callable[..., fetch.FetchSummary], server: RecordedServer, tmp_path: Path
) -> None:
    summary = run()
    out = tmp_path / "out"
    assert set(files_under(out)) == {
        "manifest.json", "lookups/lad_to_county.csv", "boundaries/county.geojson",
        "boundaries/districts.geojson", "boundaries/parishes_and_unparished.geojson",
        "boundaries/oa11.geojson", "boundaries/lsoa11.geojson", "lookups/oa11_lsoa11_lad11.csv",
        "stats/population_oa11.csv", "stats/imd2019_lsoa11.csv", "facilities/libraries.csv",
        "facilities/osm_community.geojson", "places/ipn_gb_2024.csv",
    }
    assert no_partial_folders(tmp_path)
    assert summary.county.name == "Leicestershire"
    assert sorted(summary.county.districts) == LEICESTERSHIRE

    # The district layer came in two pages (the server capped the first at 4): all 7 kept.
    districts = json.loads((out / "boundaries/districts.geojson").read_text(encoding="utf-8"))
    assert sorted(f["properties"]["LAD24CD"] for f in districts["features"]) == LEICESTERSHIRE
    pages = [r.url.params for r in server.requests_for("districts")
             if "resultOffset" in r.url.params]
    assert [p["resultOffset"] for p in pages] == ["0", "4"]
    assert pages[0]["where"] == "LAD24CD IN ('" + "','".join(LEICESTERSHIRE) + "')"
    assert (pages[0]["outFields"], pages[0]["outSR"], pages[0]["f"]) == ("*", "4326", "geojson")

    # Areas without a LAD code are selected by the county's envelope.
    parish_query = server.requests_for("parishes")[-1].url.params
    assert parish_query["geometry"] == "-1.597000,52.392000,-0.664000,52.977000"
    assert parish_query["geometryType"] == "esriGeometryEnvelope"
    assert parish_query["inSR"] == "4326"

    assert server.requests_for("oa")[-1].url.params["where"].startswith("LAD11CD IN ('E07000129'")
    lookup = read_csv(out / "lookups/oa11_lsoa11_lad11.csv")
    assert sorted(r["LAD11CD"] for r in lookup) == LEICESTERSHIRE and "LSOA11CD" in lookup[0]

    # Nomis pages (6 rows past a cap of 4) become one row per output area.
    population = server.requests_for("population")
    assert [r.url.params["RecordOffset"] for r in population] == ["0", "4"]
    assert population[0].url.params["geography"] == ",".join(f"{c}TYPE299"
                                                             for c in LEICESTERSHIRE)
    assert (out / "stats/population_oa11.csv").read_text(encoding="utf-8").splitlines() == [
        "OA11CD,date,All Ages,age_0,age_90", "E00069001,2020,301,4,3", "E00069002,2020,288,2,5",
    ]

    imd = read_csv(out / "stats/imd2019_lsoa11.csv")
    assert [r["LSOA code (2011)"] for r in imd] == ["E01025600", "E01025700", "E01025800"]
    assert not (out / "stats/imd2019_lsoa11.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    libraries = read_csv(out / "facilities/libraries.csv")
    assert {r["Local authority"] for r in libraries} == {"Leicestershire County Council"}
    assert len(libraries) == 2

    overpass = server.requests_for("osm")[0]
    query = dict(httpx.QueryParams(overpass.content.decode()))["data"]
    assert overpass.method == "POST"
    assert 'area["ref:gss"="E10000018"]["boundary"="administrative"]->.county;' in query
    assert 'nwr["amenity"="village_hall"](area.county);' in query and "out center" in query
    osm = json.loads((out / "facilities/osm_community.geojson").read_text(encoding="utf-8"))
    assert [f["properties"]["@id"] for f in osm["features"]] == ["node/101", "way/202",
                                                                 "relation/303"]
    assert osm["features"][1]["geometry"] == {"type": "Point", "coordinates": [-1.3101, 52.6312]}
    assert osm["timestamp"] == "2025-01-01T00:00:00Z"  # the OpenStreetMap data's own date

    assert all(r.headers["User-Agent"].startswith("assetmap/") for r in server.requests)

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["county"]["code"] == COUNTY and manifest["county"]["name"] == "Leicestershire"
    entries = {entry["dataset"]: entry for entry in manifest["files"]}
    assert entries["districts"]["attribution"] == ONS_OS
    assert entries["districts"]["licence"] == "Open Government Licence v3.0"
    assert "ODbL" in entries["osm"]["licence"] and "OpenStreetMap contributors" in \
        entries["osm"]["attribution"]
    assert "MHCLG" in entries["imd"]["attribution"]
    assert ONS_OS in manifest["attribution"]
    assert (entries["districts"]["count"], entries["districts"]["count_unit"]) == (7, "features")
    assert (entries["imd"]["count"], entries["libraries"]["count"]) == (3, 2)
    assert (entries["population"]["count"], entries["population"]["count_unit"]) == (2, "areas")
    assert entries["districts"]["source_url"].startswith(
        "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services/"
        "Local_Authority_Districts_December_2024_Boundaries_UK_BGC/FeatureServer/0/query?where=")
    for entry in manifest["files"]:
        data = (out / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["retrieved_at"] and entry["from_cache"] is False


def test_paging_steps_over_an_empty_page_that_still_says_exceeded() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        if params.get("returnCountOnly"):
            return httpx.Response(200, json={"count": 3})
        pages = {"0": ([1, 2], True), "2": ([], True), "12": ([3], False)}
        ids, exceeded = pages[params["resultOffset"]]
        features = [{"type": "Feature", "id": i, "geometry": None, "properties": {"n": i}}
                    for i in ids]
        return httpx.Response(200, json={"type": "FeatureCollection", "features": features,
                                         "properties": {"exceededTransferLimit": exceeded}})

    seen: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.params.get("resultOffset", "-"))
        return answer(request)

    transport = httpx.MockTransport(record)
    with Downloader("assetmap/test", transport=transport) as downloader:
        result = query_all(downloader, "https://services1.arcgis.com/x/query", [("where", "1=1")],
                           geojson=True, page_size=10, hint="")
    assert [f["id"] for f in result.features] == [1, 2, 3]
    assert seen == ["-", "0", "2", "12"]


def test_a_count_that_the_pages_do_not_reach_is_an_error(
    run: Callable[..., fetch.FetchSummary], server: RecordedServer, tmp_path: Path
) -> None:
    server.script("districts", httpx.Response(200, json={"count": 8}))
    with pytest.raises(FetchError, match=r"counted 8 features but the pages held 7"):
        run()
    assert not (tmp_path / "out").exists()


def test_arcgis_error_body_with_http_200_names_the_service_and_the_fix(
    run: Callable[..., fetch.FetchSummary], server: RecordedServer, tmp_path: Path,
    endpoints: fetch.Endpoints,
) -> None:
    server.script("districts", recorded("arcgis", "error_invalid_url.json"))
    with pytest.raises(FetchError) as failure:
        run()
    message = failure.value.message
    assert "Local_Authority_Districts_December_2024_Boundaries_UK_BGC" in message
    assert "400 Invalid URL" in message
    assert f"datasets.districts.service in {endpoints.source_path}" in message
    assert len(server.requests_for("districts")) == 1  # not retried: it will not pass
    assert not (tmp_path / "out").exists() and no_partial_folders(tmp_path)
    # The error body was not cached: the next run asks again and succeeds.
    assert run().files[2].count == 7


def test_arcgis_busy_error_in_the_body_is_retried(
    run: Callable[..., fetch.FetchSummary], server: RecordedServer, waits: list[float]
) -> None:
    server.script("parishes", recorded("arcgis", "error_busy.json"))
    summary = run()
    assert waits == [1.0]
    assert {f.dataset: f.count for f in summary.files}["parishes"] == 3


def test_503_is_retried_with_growing_waits_then_succeeds(
    run: Callable[..., fetch.FetchSummary], server: RecordedServer, waits: list[float]
) -> None:
    server.script("county", httpx.Response(503), httpx.Response(503))
    summary = run()
    assert waits == [1.0, 2.0]
    assert len(server.requests_for("county")) == 4  # count ×3, then the one page
    assert summary.county.envelope == (-1.597, 52.392, -0.664, 52.977)


def test_retries_are_bounded_and_nothing_is_written(
    run: Callable[..., fetch.FetchSummary], server: RecordedServer, waits: list[float],
    tmp_path: Path,
) -> None:
    server.script("imd", *[httpx.Response(503) for _ in range(10)])
    with pytest.raises(FetchError, match=r"gave up after 5 attempts \(HTTP 503\)"):
        run()
    assert len(server.requests_for("imd")) == 5
    assert waits == [1.0, 2.0, 4.0, 8.0]
    assert not (tmp_path / "out").exists() and no_partial_folders(tmp_path)


def test_429_waits_as_long_as_retry_after_says_up_to_the_cap(
    run: Callable[..., fetch.FetchSummary], server: RecordedServer, waits: list[float]
) -> None:
    server.script("osm", httpx.Response(429, headers={"Retry-After": "7"}),
                  httpx.Response(429, headers={"Retry-After": "9999"}))
    summary = run()
    assert waits == [7.0, 120.0]
    assert summary.files[-1].count == 3


def test_a_second_run_reads_the_cache_and_makes_no_request(
    run: Callable[..., fetch.FetchSummary], tmp_path: Path
) -> None:
    first = run()
    before = files_under(tmp_path / "out")

    def no_network(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"unexpected request {request.url}")

    second = run(transport=httpx.MockTransport(no_network))
    assert second.network_requests == 0
    assert all(f.from_cache for f in second.files)
    assert [f.retrieved_at for f in second.files] == [f.retrieved_at for f in first.files]
    after = files_under(tmp_path / "out")
    assert {k: v for k, v in after.items() if k != "manifest.json"} == \
        {k: v for k, v in before.items() if k != "manifest.json"}


def test_refresh_asks_every_endpoint_again(
    run: Callable[..., fetch.FetchSummary], endpoints: fetch.Endpoints
) -> None:
    run()
    again = RecordedServer(endpoints)
    summary = run(transport=again.transport(), refresh=True)
    assert not any(f.from_cache for f in summary.files)
    assert {again.dataset_of(r) for r in again.requests} == set(endpoints.datasets)


def test_offline_prints_one_clear_message_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    attempts: list[httpx.Request] = []

    def no_dns(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution",
                                 request=request)

    monkeypatch.setattr(fetch, "fetch_county", functools.partial(
        fetch_county, transport=httpx.MockTransport(no_dns), sleep=lambda s: None))
    out = tmp_path / "out"
    code = main(["fetch", "--county", COUNTY, "--out", str(out), "--cache",
                 str(tmp_path / "cache"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: cannot reach services1.arcgis.com: this machine appears to be "
                          "offline")
    assert "run fetch where there is internet, or import files you already hold with " \
           "`assetmap import …`" in err
    assert len(attempts) == 1  # a name that does not resolve is not retried
    assert not out.exists() and no_partial_folders(tmp_path)


def test_refused_connections_are_retried_then_reported_as_offline(
    run: Callable[..., fetch.FetchSummary], waits: list[float]
) -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    with pytest.raises(OfflineError, match=r"cannot reach services1\.arcgis\.com") as failure:
        run(transport=httpx.MockTransport(refused))
    assert "after 5 attempts" in failure.value.message
    assert len(waits) == 4


def test_a_failure_late_in_the_fetch_leaves_out_as_it_was(
    run: Callable[..., fetch.FetchSummary], server: RecordedServer, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    (out / "boundaries").mkdir(parents=True)
    (out / "boundaries" / "districts.geojson").write_text("from an earlier fetch")
    (out / "manifest.json").write_text("{}")
    before = files_under(out)
    server.script("osm", recorded("overpass", "runtime_error.json"))  # the last dataset
    with pytest.raises(FetchError, match="Query timed out"):
        run()
    assert files_under(out) == before
    assert no_partial_folders(tmp_path)


def test_unknown_county_says_how_to_fix_it(
    run: Callable[..., fetch.FetchSummary], server: RecordedServer
) -> None:
    empty = json.loads((RECORDED / "arcgis" / "county_lookup.0.json").read_text()) | {
        "features": []}
    server.script("county_lookup", httpx.Response(200, json={"count": 0}),
                  httpx.Response(200, json=empty))
    with pytest.raises(DataError, match=r"no districts found for county E10000018 .*E10000018 "
                                        r"for Leicestershire"):
        run()


def test_csv_without_the_filter_column_names_it(
    run: Callable[..., fetch.FetchSummary], server: RecordedServer
) -> None:
    server.script("imd", httpx.Response(200, text="lsoa,decile\nE01025600,7\n"))
    with pytest.raises(FetchError, match=r"no column 'Local Authority District code \(2019\)'.*"
                                         r"filter_column"):
        run()


def test_cli_fetch_prints_each_file_and_the_attribution(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    server: RecordedServer,
) -> None:
    monkeypatch.setattr(fetch, "fetch_county",
                        functools.partial(fetch_county, transport=server.transport()))
    code = main(["fetch", "--county", "e10000018", "--out", str(tmp_path / "leics"), "--cache",
                 str(tmp_path / "cache"), "--quiet"])
    out = capsys.readouterr().out
    assert code == 0
    assert "boundaries/districts.geojson" in out and "7 features" in out
    assert "from services1.arcgis.com" in out
    assert "for Leicestershire (E10000018, 7 districts)" in out
    assert "© OpenStreetMap contributors" in out and ONS_OS in out
    assert (tmp_path / "leics" / "manifest.json").is_file()
    districts = tmp_path / "leics" / "boundaries" / "districts.geojson"
    assert f"  assetmap import districts {districts} --attribution '{ONS_OS}'" in out
    assert "assetmap import county_lookup" not in out  # no importer reads it: no command


def test_the_importers_read_what_fetch_writes(
    run: Callable[..., fetch.FetchSummary], server: RecordedServer, tmp_path: Path
) -> None:
    statistics = pytest.importorskip("assetmap.sources.statistics")
    boundaries = pytest.importorskip("assetmap.sources.boundaries")
    run()
    out = tmp_path / "out"
    population = statistics.read_population(out / "stats/population_oa11.csv")
    assert population.table["population"].tolist() == [301, 288]
    imd = statistics.read_imd(out / "stats/imd2019_lsoa11.csv")
    assert imd.table["imd_decile"].tolist() == [7, 2, 8]
    lookup = statistics.read_lookup(out / "lookups/oa11_lsoa11_lad11.csv")
    assert sorted(lookup.table["district_code"]) == LEICESTERSHIRE
    districts = boundaries.read_boundaries(out / "boundaries/districts.geojson", "districts")
    assert districts.report.kept == 7
    # The Index of Place Names, asked for the county's districts, is what `import places` reads.
    places_query = server.requests_for("places")[-1].url.params
    assert places_query["where"].startswith("lad24cd IN ('E07000129'")
    places = pytest.importorskip("assetmap.sources.places").read_places(
        out / "places/ipn_gb_2024.csv", districts.table)
    assert places.table.sort_values("name")[["name", "kind"]].values.tolist() == [
        ["Asfordby", "town"], ["Burbage", "town"], ["Enderby", "town"],
        ["Lutterworth", "town"], ["Shepshed", "town"], ["Whitwick", "town"],
        ["Wigston Magna", "locality"]]
    assert places.report.skipped == {"not a town, village, locality, parish or ward": 1}
    osm = pytest.importorskip("assetmap.register.imports.readers.osm.elements")
    found = osm.read_osm_elements((out / "facilities/osm_community.geojson").read_bytes(),
                                  "osm_community.geojson", max_rows=100)
    assert [(e.xy, e.tags.get("name")) for e in found.elements][1] == (
        (-1.3101, 52.6312), "Example Community Library")


def test_nomis_rows_for_several_dates_cannot_become_one_row_per_area() -> None:
    table = nomis.NomisTable(
        ["DATE_NAME", "GEOGRAPHY_CODE", "C_AGE_NAME", "OBS_VALUE"],
        [["2019", "E00069001", "All Ages", "300"], ["2020", "E00069001", "All Ages", "301"]],
        Request("https://www.nomisweb.co.uk/api/v01/dataset/NM_2010_1.data.csv"),
    )
    with pytest.raises(FetchError, match=r"2 dates \(2019, 2020\); ask for one \(date: latest\)"):
        nomis.pivot(table, "OA11CD", hint="")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--county", "Leicestershire"], "give a county's GSS code, e.g. E10000018"),
        (["--county", COUNTY, "--endpoints", "missing.yaml"], "missing.yaml: no such endpoints"),
    ],
)
def test_cli_fetch_errors_name_the_fix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], message: str
) -> None:
    code = main(["fetch", *argv, "--out", str(tmp_path / "out"), "--quiet"])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_setting_names_the_endpoints_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "endpoints.yaml"
    shipped = fetch.DEFAULT_ENDPOINTS.read_text(encoding="utf-8")
    bad.write_text(shipped.replace("    service: Local_Authority_Districts_December_2024"
                                   "_Boundaries_UK_BGC\n", ""), encoding="utf-8")
    monkeypatch.setenv("ASSETMAP_FETCH_ENDPOINTS", str(bad))
    code = main(["fetch", "--county", COUNTY, "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{bad}: datasets.districts.arcgis.service: Field required" in err


def test_endpoints_must_learn_the_county_before_using_it(tmp_path: Path) -> None:
    config = yaml.safe_load(fetch.DEFAULT_ENDPOINTS.read_text(encoding="utf-8"))
    # Ask for parishes (by the county's envelope) before the county boundary is known.
    datasets = config["datasets"]
    first = ("county_lookup", "parishes")
    order = [*first, *[n for n in datasets if n not in first]]
    config["datasets"] = {name: datasets[name] for name in order}
    swapped = tmp_path / "endpoints.yaml"
    swapped.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"datasets.parishes uses the county's envelope, which no "
                                          r"earlier dataset provides: put an arcgis dataset with "
                                          r"select: county before it"):
        load_endpoints(swapped)


def test_the_shipped_endpoints_are_valid_and_attributed(endpoints: fetch.Endpoints) -> None:
    assert endpoints.arcgis_base_url == (
        "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services")
    kinds = {dataset.kind for dataset in endpoints.datasets.values()}
    assert kinds == {"arcgis", "nomis", "csv", "overpass"}
    assert all(d.licence and d.attribution for d in endpoints.datasets.values())


def test_retry_policy_waits() -> None:
    policy = RetryPolicy(retries=4, backoff_s=1.0, max_wait_s=5.0)
    assert [policy.wait(n, None) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 5.0]
    assert policy.wait(1, 3.0) == 3.0


def test_county_code_is_checked_before_any_request(tmp_path: Path) -> None:
    def no_network(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request expected")

    with pytest.raises(ValidationFailed):
        fetch_county("E1000", tmp_path / "out", transport=httpx.MockTransport(no_network),
                     progress=False)


def test_out_must_be_a_folder(tmp_path: Path) -> None:
    out = tmp_path / "leics.geojson"
    out.write_text("{}")
    with pytest.raises(ValidationFailed, match="is a file; give a folder"):
        fetch_county(COUNTY, out, progress=False)
    assert out.read_text() == "{}"
