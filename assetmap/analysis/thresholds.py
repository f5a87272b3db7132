"""Gap-analysis thresholds: the settings a planner must be able to read and defend.

Every value has a default from the county's method (docs/METHOD.md) and is
validated, so a bad setting fails at once with a message saying which value is
wrong and why. :meth:`GapThresholds.as_flat_dict` echoes the settings into
every output (CSV, report, API response).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["GapThresholds", "ScoreWeights", "parse_thresholds"]

_WEIGHT_PREFIX = "weight_"


class ScoreWeights(BaseModel):
    """Published weights of the four score components; they must sum to 1."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    uncovered: float = Field(
        default=0.35, ge=0, le=1, description="share of residents outside every catchment"
    )
    distance: float = Field(
        default=0.15, ge=0, le=1, description="mean distance to the nearest hub, per catchment"
    )
    capacity: float = Field(
        default=0.30, ge=0, le=1, description="residents per hub (no hub counts as the maximum)"
    )
    need: float = Field(
        default=0.20, ge=0, le=1, description="share of residents in the most deprived deciles"
    )

    @model_validator(mode="after")
    def _sum_to_one(self) -> ScoreWeights:
        total = self.uncovered + self.distance + self.capacity + self.need
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            raise ValueError(
                f"score weights must sum to 1, but uncovered={self.uncovered} + "
                f"distance={self.distance} + capacity={self.capacity} + need={self.need} "
                f"= {total:g}; adjust them so they add up to 1"
            )
        return self


class GapThresholds(BaseModel):
    """Thresholds and weights of the gap analysis (distances in metres, shares 0–1)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    urban_catchment_m: float = Field(
        default=800, gt=0, description="catchment radius of a hub for urban small areas (m)"
    )
    rural_catchment_m: float = Field(
        default=3000, gt=0, description="catchment radius of a hub for rural small areas (m)"
    )
    poor_access_share: float = Field(
        default=0.20,
        ge=0,
        le=1,
        description="poor_access when more than this share of residents is outside every catchment",
    )
    over_capacity_residents_per_hub: float = Field(
        default=4000, gt=0, description="over_capacity when residents per hub exceed this"
    )
    high_need_share: float = Field(
        default=0.30,
        ge=0,
        le=1,
        description="high_need when more than this share of residents is in a deprived decile",
    )
    deprived_deciles: int = Field(
        default=3, ge=1, le=10, description="IMD deciles 1..N count as deprived"
    )
    urban_density_per_km2: float = Field(
        default=1000,
        gt=0,
        description=(
            "a small area with no urban flag is urban when it has at least this many "
            "residents per km² (see docs/METHOD.md for why 1,000)"
        ),
    )
    activity_weighting: bool = Field(
        default=False,
        description=(
            "count each hub by its activity (sessions a week of its running activities) in "
            "residents per hub; off: every hub counts as one"
        ),
    )
    activity_full_sessions: float = Field(
        default=3, gt=0,
        description="with activity_weighting, the sessions a week at which a hub counts as one",
    )
    weights: ScoreWeights = Field(default_factory=ScoreWeights)

    @property
    def deprived_label(self) -> str:
        """``"IMD deciles 1–3"`` (``"IMD decile 1"`` when only the first counts)."""
        n = self.deprived_deciles
        return "IMD decile 1" if n == 1 else f"IMD deciles 1–{n}"

    def as_flat_dict(self) -> dict[str, float | int]:
        """Every setting as one flat mapping, weights as ``weight_<component>``."""
        flat: dict[str, float | int] = {
            name: value for name, value in self.model_dump().items() if name != "weights"
        }
        for component, weight in self.weights.model_dump().items():
            flat[f"{_WEIGHT_PREFIX}{component}"] = weight
        return flat

    @classmethod
    def from_flat_dict(cls, values: Mapping[str, Any]) -> GapThresholds:
        """Build from the flat form (``weight_need=0.3`` …), e.g. CLI options or query strings.

        Weights not given keep their defaults, so changing one weight means
        changing another too (they must still sum to 1).
        """
        plain = {k: v for k, v in values.items() if not k.startswith(_WEIGHT_PREFIX)}
        weights = {
            k[len(_WEIGHT_PREFIX) :]: v for k, v in values.items() if k.startswith(_WEIGHT_PREFIX)
        }
        if weights:
            plain["weights"] = {**ScoreWeights().model_dump(), **weights}
        return cls.model_validate(plain)

    @classmethod
    def descriptions(cls) -> dict[str, str]:
        """What each flat setting means, for the report's thresholds table."""
        described = {
            name: field.description or ""
            for name, field in cls.model_fields.items()
            if name != "weights"
        }
        for name, field in ScoreWeights.model_fields.items():
            described[f"{_WEIGHT_PREFIX}{name}"] = f"score weight: {field.description}"
        return described


def parse_thresholds(
    values: Mapping[str, Any], defaults: GapThresholds | None = None
) -> GapThresholds:
    """Thresholds from flat text values (query string, CLI ``--set``) over ``defaults``.

    Unknown names and invalid values raise ``ValidationFailed`` naming each one.
    """
    from pydantic import ValidationError

    from assetmap.errors import ValidationFailed

    base = (defaults or GapThresholds()).as_flat_dict()
    unknown = sorted(set(values) - set(base))
    if unknown:
        raise ValidationFailed(
            f"Unknown threshold(s): {', '.join(unknown)}. Known: {', '.join(base)}.",
            details=[{"field": name, "problem": "unknown threshold"} for name in unknown],
        )
    try:
        return GapThresholds.from_flat_dict({**base, **values})
    except ValidationError as exc:
        details = []
        for error in exc.errors():
            name = ".".join(str(part) for part in error["loc"]) or "weights"
            details.append({"field": name, "problem": error["msg"].removeprefix("Value error, ")})
        summary = "; ".join(f"{d['field']}: {d['problem']}" for d in details)
        raise ValidationFailed(f"Invalid thresholds: {summary}", details=details) from None
