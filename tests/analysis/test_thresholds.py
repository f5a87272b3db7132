"""Gap thresholds: defaults, validation messages and the flat echo."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from assetmap.analysis import GapThresholds, ScoreWeights


def test_defaults_match_the_published_method() -> None:
    t = GapThresholds()
    assert (t.urban_catchment_m, t.rural_catchment_m) == (800, 3000)
    assert (t.poor_access_share, t.over_capacity_residents_per_hub) == (0.20, 4000)
    assert (t.high_need_share, t.deprived_deciles) == (0.30, 3)
    assert t.urban_density_per_km2 == 1000
    w = t.weights
    assert (w.uncovered, w.distance, w.capacity, w.need) == (0.35, 0.15, 0.30, 0.20)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("urban_catchment_m", -800, "greater than 0"),
        ("rural_catchment_m", 0, "greater than 0"),
        ("poor_access_share", 1.5, "less than or equal to 1"),
        ("high_need_share", -0.1, "greater than or equal to 0"),
        ("over_capacity_residents_per_hub", 0, "greater than 0"),
        ("deprived_deciles", 0, "greater than or equal to 1"),
        ("deprived_deciles", 11, "less than or equal to 10"),
        ("urban_density_per_km2", -1, "greater than 0"),
    ],
)
def test_invalid_values_name_the_setting(field: str, value: float, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        GapThresholds.model_validate({field: value})
    text = str(caught.value)
    assert field in text and message in text


def test_weights_must_sum_to_one() -> None:
    with pytest.raises(ValidationError, match=r"score weights must sum to 1.*= 1\.1"):
        ScoreWeights(uncovered=0.45)
    with pytest.raises(ValidationError, match="must sum to 1"):
        GapThresholds.model_validate(
            {"weights": {"uncovered": 0.5, "distance": 0.5, "capacity": 0.5, "need": 0}}
        )


def test_unknown_settings_are_refused() -> None:
    with pytest.raises(ValidationError, match="catchment_km"):
        GapThresholds.model_validate({"catchment_km": 3})


def test_thresholds_are_frozen() -> None:
    with pytest.raises(ValidationError, match="frozen"):
        GapThresholds().urban_catchment_m = 10


def test_flat_echo_and_round_trip() -> None:
    t = GapThresholds(
        rural_catchment_m=2500,
        weights=ScoreWeights(uncovered=0.4, distance=0.1, capacity=0.3, need=0.2),
    )
    flat = t.as_flat_dict()
    assert flat["rural_catchment_m"] == 2500
    assert flat["weight_uncovered"] == 0.4 and flat["weight_need"] == 0.2
    assert "weights" not in flat
    assert GapThresholds.from_flat_dict(flat) == t
    assert set(GapThresholds.descriptions()) == set(flat)


def test_from_flat_dict_keeps_default_weights_not_given() -> None:
    t = GapThresholds.from_flat_dict({"weight_uncovered": 0.25, "weight_need": 0.30})
    assert t.weights == ScoreWeights(uncovered=0.25, distance=0.15, capacity=0.30, need=0.30)
    with pytest.raises(ValidationError, match="must sum to 1"):
        GapThresholds.from_flat_dict({"weight_need": 0.5})


def test_every_setting_is_documented_for_planners() -> None:
    method = (Path(__file__).resolve().parents[2] / "docs" / "METHOD.md").read_text()
    for name, value in GapThresholds().as_flat_dict().items():
        assert f"`{name}`" in method, f"docs/METHOD.md does not mention the setting {name}"
        assert f"{value:g}" in method.replace(",", ""), f"docs/METHOD.md lacks {name}'s default"
