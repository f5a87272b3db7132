"""What closing one asset would do, county-wide: shown where an officer decides.

The residents who would *lose their only hub within reach* are those of small
areas whose catchment holds this hub and no other; :func:`closure_impact` counts
them across the whole county (a hub serves residents across district lines),
with how many live in the method's deprived IMD deciles and in unparished areas.
It reads the county's :class:`~assetmap.analysis.coverage.CoverageIndex`, so it
answers in milliseconds once the index is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from assetmap.analysis.coverage import CoverageIndex
from assetmap.analysis.equality import ResidentsProfile

__all__ = ["ClosureImpact", "closure_impact"]


@dataclass(frozen=True)
class ClosureImpact:
    """Residents left with no hub within reach if ``asset_id`` closed."""

    asset_id: str
    is_hub: bool
    lose_only_hub: ResidentsProfile
    deprived_label: str
    districts: tuple[str, ...] = ()  # names of the districts those residents live in

    @property
    def residents(self) -> int:
        return round(self.lose_only_hub.residents)

    def sentence(self) -> str:
        """One plain sentence for the confirmation page and the audit log."""
        if not self.is_hub:
            return ("This asset does not count as a hub (closed already, or not a hub "
                    "category), so closing it leaves no resident without a hub.")
        p = self.lose_only_hub
        if self.residents == 0:
            return ("No resident would lose their only hub within reach: everyone whose "
                    "catchment holds this hub has another hub within theirs.")
        where = f" in {', '.join(self.districts)}" if self.districts else ""
        return (
            f"{self.residents:,} residents{where} would lose their only hub within reach: "
            f"{round(p.deprived):,} of them in {self.deprived_label} and "
            f"{round(p.unparished):,} in unparished areas."
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "asset_id": self.asset_id,
            "is_hub": self.is_hub,
            "residents_losing_only_hub": self.residents,
            "deprived": round(self.lose_only_hub.deprived),
            "deprived_label": self.deprived_label,
            "unparished": round(self.lose_only_hub.unparished),
            "profile": self.lose_only_hub.as_dict(),
            "districts": list(self.districts),
            "summary": self.sentence(),
        }


def closure_impact(index: CoverageIndex, asset_id: str) -> ClosureImpact:
    """The county-wide impact of closing ``asset_id`` (any asset; a non-hub changes nothing)."""
    column = index.hub_columns.get(str(asset_id))
    lost = np.zeros(len(index.access), dtype=bool)
    if column is not None:
        rows = index.covers[:, column].nonzero()[0]
        lost[rows[index.count[rows] == 1]] = True
    codes = sorted(set(index.access["district_code"].astype(str).to_numpy()[lost]))
    return ClosureImpact(
        asset_id=str(asset_id),
        is_hub=column is not None,
        lose_only_hub=index.profile(lost),
        deprived_label=index.thresholds.deprived_label,
        districts=tuple(index.district_names.get(code, code) for code in codes),
    )
