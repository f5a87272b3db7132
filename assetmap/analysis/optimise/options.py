"""What a planner asks the siting for: the objective, its size, equity weights, a time limit.

Every value is checked here, so a bad request fails at once with a message naming
the value and the fix (``ValidationFailed``: HTTP 422, CLI exit 2).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from assetmap.crs import in_great_britain
from assetmap.errors import ValidationFailed

__all__ = [
    "COVERAGE",
    "DEFAULT_TARGET_SHARE",
    "DEFAULT_TIME_LIMIT_S",
    "MAX_PLANNER_POINTS",
    "MAX_TIME_LIMIT_S",
    "OBJECTIVES",
    "P_MEDIAN",
    "SET_COVER",
    "EquityWeights",
    "Objective",
    "SitingOptions",
    "parse_planner_points",
    "parse_siting_options",
]

Objective = Literal["coverage", "set_cover", "p_median"]
COVERAGE: Objective = "coverage"
SET_COVER: Objective = "set_cover"
P_MEDIAN: Objective = "p_median"
OBJECTIVES: dict[str, str] = {
    COVERAGE: "most residents newly within a catchment for N new hubs (maximal covering)",
    SET_COVER: "fewest new hubs so that a target share of residents is within a catchment "
    "(set covering)",
    P_MEDIAN: "lowest population-weighted mean distance to the nearest hub for N new hubs "
    "(p-median)",
}
DEFAULT_TARGET_SHARE = 0.95
DEFAULT_TIME_LIMIT_S = 10.0
MAX_TIME_LIMIT_S = 60.0
MAX_PLANNER_POINTS = 200
DEFAULT_UNPARISHED_WEIGHT = 1.5
DEFAULT_DEPRIVED_WEIGHT = 1.5
MAX_WEIGHT = 10.0


@dataclass(frozen=True)
class EquityWeights:
    """How much more a resident of an unparished or deprived small area counts.

    A resident counts ``unparished`` times in an unparished area and ``deprived``
    times in a small area of IMD deciles 1..``deprived_deciles``; both multiply.
    Disabled, everyone counts once.
    """

    enabled: bool = False
    unparished: float = DEFAULT_UNPARISHED_WEIGHT
    deprived: float = DEFAULT_DEPRIVED_WEIGHT

    def as_dict(self, deprived_deciles: int) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "unparished": self.unparished if self.enabled else 1.0,
            "deprived": self.deprived if self.enabled else 1.0,
            "deprived_deciles": deprived_deciles,
            "combined": "multiplied",
        }


@dataclass(frozen=True)
class SitingOptions:
    """One siting request. ``sites`` is N for coverage and p-median, the most allowed for
    set covering; ``target_share`` (0–1) is set covering's share of residents to reach;
    ``points`` are planner-supplied candidate sites (easting, northing in EPSG:27700)."""

    objective: Objective = COVERAGE
    sites: int = 5
    target_share: float = DEFAULT_TARGET_SHARE
    equity: EquityWeights = field(default_factory=EquityWeights)
    time_limit_s: float = DEFAULT_TIME_LIMIT_S
    points: tuple[tuple[float, float], ...] = ()

    def key(self) -> tuple[Any, ...]:
        return (self.objective, self.sites, self.target_share, self.equity,
                self.time_limit_s, self.points)


def _number(values: Mapping[str, str], name: str, low: float, high: float,
            default: float) -> float:
    text = values.get(name)
    if text is None or text == "":
        return default
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not low <= value <= high:
        raise ValidationFailed(
            f"{name}={text!r}: give a number from {low:g} to {high:g}.",
            details=[{"field": name, "problem": f"must be a number from {low:g} to {high:g}"}],
        )
    return value


def _flag(values: Mapping[str, str], name: str) -> bool:
    text = (values.get(name) or "false").strip().casefold()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise ValidationFailed(
        f"{name}={values.get(name)!r}: use true or false.",
        details=[{"field": name, "problem": "must be true or false"}],
    )


def parse_siting_options(
    values: Mapping[str, str], sites: int, points: tuple[tuple[float, float], ...] = ()
) -> SitingOptions:
    """Options from text (query string or CLI): ``objective``, ``target_pct`` (0–100),
    ``equity_weights``, ``equity_unparished``, ``equity_deprived``, ``time_limit``."""
    objective = (values.get("objective") or COVERAGE).strip()
    if objective not in OBJECTIVES:
        raise ValidationFailed(
            f"objective={objective!r}: use one of {', '.join(OBJECTIVES)}.",
            details=[{"field": "objective", "problem": f"must be one of {', '.join(OBJECTIVES)}"}],
        )
    target = _number(values, "target_pct", 0, 100, DEFAULT_TARGET_SHARE * 100) / 100
    equity = EquityWeights(
        enabled=_flag(values, "equity_weights"),
        unparished=_number(values, "equity_unparished", 1, MAX_WEIGHT, DEFAULT_UNPARISHED_WEIGHT),
        deprived=_number(values, "equity_deprived", 1, MAX_WEIGHT, DEFAULT_DEPRIVED_WEIGHT),
    )
    limit = _number(values, "time_limit", 0.1, MAX_TIME_LIMIT_S, DEFAULT_TIME_LIMIT_S)
    return SitingOptions(objective=objective, sites=sites, target_share=target,  # type: ignore[arg-type]
                         equity=equity, time_limit_s=limit, points=points)


def parse_planner_points(text: str | None) -> tuple[tuple[float, float], ...]:
    """``"-1.13,52.63;-1.2,52.6"`` (longitude,latitude pairs, WGS 84, in Great Britain)
    as lon/lat tuples."""
    if not text or not text.strip():
        return ()
    points = []
    for n, part in enumerate(p for p in text.split(";") if p.strip()):
        lon_text, sep, lat_text = part.partition(",")
        try:
            lon, lat = float(lon_text), float(lat_text)
        except ValueError:
            lon = lat = math.nan
        if not sep or not in_great_britain(lon, lat):
            raise ValidationFailed(
                f"candidate point {n + 1} ({part.strip()!r}): write LONGITUDE,LATITUDE in "
                f"degrees inside Great Britain, longitude first, points separated by ';', "
                f"e.g. -1.13,52.63;-1.20,52.60.",
                details=[{"field": "points",
                          "problem": f"point {n + 1} is not LON,LAT in Great Britain"}],
            )
        points.append((lon, lat))
    if len(points) > MAX_PLANNER_POINTS:
        raise ValidationFailed(
            f"{len(points)} candidate points given; give at most {MAX_PLANNER_POINTS}.",
            details=[{"field": "points", "problem": f"at most {MAX_PLANNER_POINTS} points"}],
        )
    return tuple(points)
