"""``/api/gaps`` with ``close=`` and ``open=``, and its equality, stale and stability views."""

from __future__ import annotations

from fastapi.testclient import TestClient

from assetmap.crs import metric_to_lonlat
from tests.conftest import assert_canonical_error


def test_closing_a_hub_answers_against_today(gaps_client: TestClient) -> None:
    body = gaps_client.get("/api/gaps", params={"district": "Riverside", "close": "H2"}).json()
    scenario = body["scenario"]
    assert scenario["close"] == ["H2"] and scenario["open"] == []
    assert scenario["newly_outside"]["residents"] == 10_000
    assert scenario["newly_outside"]["by_imd_band"]["IMD deciles 4–7"] == 10_000
    assert scenario["newly_outside"]["unparished"] == 10_000
    assert (scenario["uncovered_before"], scenario["uncovered_after"]) == (9_000, 19_000)
    (eastwick,) = scenario["flag_changes"]
    assert eastwick["code"] == "E43000903" and eastwick["flags_after"] == "no_hub, poor_access"
    # Today's ranking is unchanged beside it.
    assert [a["code"] for a in body["areas"]] == ["E43000902", "E43000901", "E43000903"]


def test_opening_a_hub_brings_residents_within_reach(gaps_client: TestClient) -> None:
    lon, lat = metric_to_lonlat(461_250, 301_500)
    body = gaps_client.get("/api/gaps", params={"district": "Riverside",
                                                 "open": f"{lon:.7f},{lat:.7f}"}).json()
    assert body["scenario"]["newly_inside"]["residents"] == 2_000
    assert body["scenario"]["newly_inside"]["by_imd_band"]["IMD deciles 1–3"] == 2_000
    assert body["scenario"]["uncovered_change"] == -2_000


def test_unknown_ids_and_points_outside_the_county_are_refused_by_name(
    gaps_client: TestClient,
) -> None:
    error = assert_canonical_error(
        gaps_client.get("/api/gaps", params={"district": "Riverside", "close": "H2,NOPE",
                                              "open": "2.35,48.85"}),
        422, mentions="NOPE")
    assert [(d["field"], d["value"]) for d in error["details"]] == [
        ("close", "NOPE"), ("open", "2.35,48.85")]
    assert "outside every community area" in error["message"]
    assert_canonical_error(
        gaps_client.get("/api/gaps", params={"district": "Riverside", "open": "52.6,-1.1"}),
        422, mentions="LAT,LON")
    # close and open are scenario parameters, never threshold overrides.
    assert "close" not in gaps_client.get(
        "/api/gaps", params={"district": "Riverside"}).json()["thresholds"]


def test_gaps_states_equality_stale_coverage_and_rank_stability(gaps_client: TestClient) -> None:
    body = gaps_client.get("/api/gaps", params={"district": "Riverside"}).json()
    outside = body["equality"]["outside_every_catchment"]
    assert outside["residents"] == 9_000 and outside["by_imd_band"]["IMD deciles 1–3"] == 3_000
    assert body["equality"]["all_residents"]["residents"] == 22_200
    stale = body["stale_coverage"]
    assert stale["stale_after_days"] == 365 and stale["covered_population"] == 13_200
    # Riverside's hubs carry no last_verified: all its coverage rests on unchecked records.
    assert stale["share_resting_on_stale_records"] == 1.0
    first = body["areas"][0]
    assert first["top_share"] == 1.0
    assert first["stability"].startswith("stays in the top 5 under 100% of settings")
    assert body["rank_stability"]["settings"] == 200 and body["rank_stability"]["seed"] == 12
