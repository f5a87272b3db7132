"""``/api/gaps`` siting objectives and E2SFCA supply, on the hand-worked Riverside county.

Riverside's hubs give no capacity, so each holds the stated default of 100. Hub H1
stands at Northgate's first small area's centroid (2,000 residents) and no other
small area is within reach of it: 100 places ÷ 2,000 residents = 50 per 1,000.
Southbank has no hub within reach at all: 0.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import assert_canonical_error


def gaps(client: TestClient, **params: str) -> dict:  # type: ignore[type-arg]
    response = client.get("/api/gaps", params={"district": "Riverside", **params})
    assert response.status_code == 200, response.text
    body: dict = response.json()  # type: ignore[type-arg]
    return body


def test_default_siting_is_exact_maximal_covering_with_greedy_beside_it(
    gaps_client: TestClient,
) -> None:
    body = gaps(gaps_client)
    siting = body["siting"]
    assert siting["objective"] == "coverage" and siting["status"] == "optimal"
    assert siting["solution_from"] == "solver" and siting["optimality_gap"] == 0
    assert siting["value"] == sum(s["newly_covered_population"] for s in body["sites"])
    assert siting["value"] == siting["best_possible"]
    assert siting["greedy"]["value"] <= siting["value"]
    assert siting["improvement_over_greedy"] == siting["value"] - siting["greedy"]["value"]
    assert siting["equity_weights"]["enabled"] is False
    assert siting["candidates"] == {"existing asset": 1, "small-area centroid": 16}
    assert siting["time_limit_seconds"] == 10


def test_set_cover_and_p_median_objectives(gaps_client: TestClient) -> None:
    body = gaps(gaps_client, objective="set_cover", target_pct="80")
    siting = body["siting"]
    assert siting["objective"] == "set_cover" and siting["target_share"] == 0.8
    assert siting["value"] == len(body["sites"]) >= 1
    assert body["sites"][-1]["uncovered_share_after"] <= 0.2 + 1e-9
    if len(body["sites"]) > 1:  # one fewer site would not reach the target
        assert body["sites"][-2]["uncovered_share_after"] > 0.2
    body = gaps(gaps_client, objective="p_median", sites="2")
    assert body["siting"]["objective"] == "p_median" and len(body["sites"]) == 2
    assert body["siting"]["value"] == pytest.approx(body["sites"][-1]["mean_distance_after_m"])
    assert body["siting"]["value"] <= body["siting"]["greedy"]["value"]


def test_equity_weights_and_planner_points_are_echoed(gaps_client: TestClient) -> None:
    body = gaps(gaps_client, equity_weights="true", equity_unparished="3", points="-1.1,52.62")
    weights = body["siting"]["equity_weights"]
    assert weights == {"enabled": True, "unparished": 3.0, "deprived": 1.5,
                       "deprived_deciles": 3, "combined": "multiplied"}
    assert body["siting"]["candidates"]["planner point"] == 1


def test_supply_per_1000_residents_per_small_area_and_district(gaps_client: TestClient) -> None:
    supply = gaps(gaps_client)["supply"]
    assert supply["measure"] == "hub places per 1,000 residents (E2SFCA)"
    assert supply["decay"] == "gaussian" and supply["default_capacity"] == 100
    assert supply["hubs_with_known_capacity"] == 0
    by_code = {row["code"]: row for row in supply["small_areas"]}
    assert by_code["E43000901-1"]["hub_places_per_1000"] == pytest.approx(50)
    assert all(by_code[f"E43000902-{k}"]["hub_places_per_1000"] == 0 for k in range(1, 5))
    people = sum(row["population"] for row in supply["small_areas"])
    places = sum(row["population"] * row["hub_places_per_1000"] for row in supply["small_areas"])
    assert supply["district_per_1000"] == pytest.approx(places / people)
    stepped = gaps(gaps_client, decay="stepped")["supply"]
    assert stepped["decay"] == "stepped"
    area = {a["code"]: a for a in gaps(gaps_client)["areas"]}
    assert area["E43000902"]["hub_places_per_1000"] == 0  # Southbank: nothing within reach


@pytest.mark.parametrize(
    ("params", "mentions"),
    [
        ({"objective": "cheapest"}, "objective"),
        ({"objective": "set_cover", "target_pct": "101"}, "target_pct"),
        ({"target_pct": "lots"}, "target_pct"),
        ({"equity_weights": "perhaps"}, "equity_weights"),
        ({"equity_unparished": "0.5"}, "equity_unparished"),
        ({"equity_deprived": "nan"}, "equity_deprived"),
        ({"time_limit": "3600"}, "time_limit"),
        ({"points": "52.6,-1.1"}, "point 1"),
        ({"points": "somewhere"}, "point 1"),
        ({"decay": "linear"}, "decay"),
    ],
)
def test_bad_siting_values_are_422(
    gaps_client: TestClient, params: dict[str, str], mentions: str
) -> None:
    response = gaps_client.get("/api/gaps", params={"district": "Riverside", **params})
    assert_canonical_error(response, 422, mentions=mentions)
    page = gaps_client.get("/reports/Riverside", params=params)
    assert_canonical_error(page, 422, mentions=mentions)
