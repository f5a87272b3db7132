"""How much of a district's coverage rests on records nobody has checked lately.

Coverage is computed twice: with every hub (the gap analysis), and with only the
hubs whose ``last_verified`` date lies within the stale period
(``ASSETMAP_STALE_AFTER_DAYS``, the rule of the officers' ``/stale`` list: a record
is stale when never verified or checked that many days ago or more). The
difference is the residents within a catchment only thanks to stale records:
"12 % of the district's coverage rests on records not checked for 365 days".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

import geopandas as gpd

from assetmap.analysis.access import hub_locations, nearest_hubs

__all__ = ["VERIFIED_COLUMN", "StaleCoverage", "fresh_hubs", "stale_coverage"]

VERIFIED_COLUMN = "last_verified"


@dataclass(frozen=True)
class StaleCoverage:
    """Residents within a catchment, counting every hub and only recently checked ones."""

    days: int
    as_of: dt.date
    covered: float  # residents within a catchment, every hub counted
    covered_fresh: float  # … counting only hubs checked within ``days``
    hubs_in_district: int
    stale_hubs_in_district: int

    @property
    def resting_on_stale(self) -> float:
        return self.covered - self.covered_fresh

    @property
    def share(self) -> float | None:
        """Share of the district's coverage that rests on stale records (None: nobody covered)."""
        return self.resting_on_stale / self.covered if self.covered > 0 else None

    def sentence(self) -> str:
        if self.share is None:
            return "Nobody in the district lives within a hub's catchment, stale or not."
        return (
            f"{self.share:.0%} of the district's coverage ({self.resting_on_stale:,.0f} of the "
            f"{self.covered:,.0f} residents within a catchment) rests on records not checked "
            f"for {self.days:,} days or more (as of {self.as_of.isoformat()}); "
            f"{self.stale_hubs_in_district:,} of the district's {self.hubs_in_district:,} "
            f"hubs are stale."
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "stale_after_days": self.days,
            "as_of": self.as_of.isoformat(),
            "covered_population": round(self.covered),
            "covered_population_fresh_hubs_only": round(self.covered_fresh),
            "resting_on_stale_records": round(self.resting_on_stale),
            "share_resting_on_stale_records": (None if self.share is None
                                               else round(self.share, 4)),
            "hubs_in_district": self.hubs_in_district,
            "stale_hubs_in_district": self.stale_hubs_in_district,
            "summary": self.sentence(),
        }


def fresh_hubs(hubs: pd.DataFrame, as_of: dt.date, days: int) -> np.ndarray:
    """True for hubs checked fewer than ``days`` days before ``as_of`` (never checked: stale)."""
    if VERIFIED_COLUMN not in hubs.columns:
        return np.zeros(len(hubs), dtype=bool)
    checked = pd.to_datetime(hubs[VERIFIED_COLUMN], errors="coerce")
    age = (pd.Timestamp(as_of) - checked).dt.days
    return np.asarray(age.notna() & (age < days), dtype=bool)


def stale_coverage(
    access: pd.DataFrame,
    hubs: gpd.GeoDataFrame,
    in_district: np.ndarray,
    *,
    as_of: dt.date,
    days: int,
) -> StaleCoverage:
    """Coverage of ``access`` (a district's small-area access table) with fresh hubs only.

    ``hubs`` are every hub of the county (people cross district lines) in EPSG:27700;
    ``in_district`` marks those inside the district.
    """
    fresh = fresh_hubs(hubs, as_of, days)
    xy = access[["location_easting", "location_northing"]].to_numpy(dtype=float)
    fresh_xy, _ = hub_locations(hubs[fresh])
    within_fresh = nearest_hubs(xy, fresh_xy, access["catchment_m"].to_numpy(float))
    population = access["population"].to_numpy(dtype=float)
    within = access["within_catchment"].to_numpy(dtype=bool)
    return StaleCoverage(
        days=days,
        as_of=as_of,
        covered=float(population[within].sum()),
        covered_fresh=float(population[within & within_fresh.within_catchment].sum()),
        hubs_in_district=int(np.count_nonzero(in_district)),
        stale_hubs_in_district=int(np.count_nonzero(in_district & ~fresh)),
    )
