"""``/api/gaps`` on the hand-worked Riverside county (report pages: ``pages/test_reports.py``)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import assert_canonical_error


def test_gaps_ranks_unparished_areas_with_reasons(gaps_client: TestClient) -> None:
    body = gaps_client.get("/api/gaps", params={"district": "riverside"}).json()
    assert body["district"] == {"code": "E07000901", "name": "Riverside"}
    assert [a["code"] for a in body["areas"]] == ["E43000902", "E43000901", "E43000903"]
    assert [a["rank"] for a in body["areas"]] == [1, 2, 3]
    southbank = body["areas"][0]
    assert southbank["no_hub"] is True and southbank["high_need"] is True
    assert "no hub" in southbank["reasons"]
    assert body["synthetic"] is True
    # Riverside has no libraries, and the figures say so.
    assert body["view"].endswith(
        "access view: community-managed library and council library not loaded")
    assert body["thresholds"]["urban_catchment_m"] == 800
    assert body["sites"] and body["sites"][0]["rank"] == 1
    assert -2 < body["sites"][0]["lon"] < 0 and 52 < body["sites"][0]["lat"] < 53
    assert body["summary"]["population"] == sum(a["population"] for a in body["areas"]) + 1200


def test_all_areas_and_threshold_overrides_are_echoed(gaps_client: TestClient) -> None:
    body = gaps_client.get(
        "/api/gaps",
        params={
            "district": "E07000901",
            "all_areas": "true",
            "over_capacity_residents_per_hub": "20000",
        },
    ).json()
    assert "E04000901" in [a["code"] for a in body["areas"]]
    assert body["thresholds"]["over_capacity_residents_per_hub"] == 20000
    assert not any(a["over_capacity"] for a in body["areas"])
    csv_link = next(link["href"] for link in body["links"]
                    if link.get("title") == "Ranked areas (CSV)")
    assert "over_capacity_residents_per_hub=20000" in csv_link and "district=" not in csv_link


def test_unknown_district_lists_valid_ones(gaps_client: TestClient) -> None:
    error = assert_canonical_error(
        gaps_client.get("/api/gaps", params={"district": "Nowhere"}), 404, mentions="Nowhere"
    )
    assert "Riverside (E07000901)" in error["message"]
    assert "Hillside (E07000902)" in error["message"]
    assert_canonical_error(gaps_client.get("/api/gaps"), 422, mentions="district")


@pytest.mark.parametrize(
    ("params", "mentions"),
    [
        ({"urban_catchment_m": "-5"}, "urban_catchment_m"),
        ({"poor_access_share": "1.5"}, "poor_access_share"),
        ({"weight_need": "0.9"}, "sum to 1"),
        ({"colour": "red"}, "unknown threshold"),
        ({"sites": "99"}, "sites"),
    ],
)
def test_invalid_thresholds_are_422(
    gaps_client: TestClient, params: dict[str, str], mentions: str
) -> None:
    response = gaps_client.get("/api/gaps", params={"district": "Riverside", **params})
    assert_canonical_error(response, 422, mentions=mentions)
    page = gaps_client.get("/reports/Riverside", params=params)
    assert_canonical_error(page, 422, mentions=mentions)




def test_gaps_json_carries_rank_bands_and_site_names(gaps_client: TestClient) -> None:
    body = gaps_client.get("/api/gaps", params={"district": "riverside"}).json()
    assert [a["rank_band"] for a in body["areas"]] == ["1", "2", "3"]
    assert [a["rank"] for a in body["areas"]] == [1, 2, 3]  # kept for compatibility
    for site in body["sites"]:
        assert site["grid_reference"].startswith("SK ") and "postcode" in site
        assert not site["name"].startswith("Centre of small area")
    small = [s for s in body["sites"] if s["kind"] == "small-area centroid"]
    assert small and all(s["name"].startswith("near ") for s in small)
