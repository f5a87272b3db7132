"""Who the residents are: IMD decile bands, share aged 65+, unparished areas.

An equality assessment of a service change cites these figures for a group of
residents (those outside every catchment, those a closure would leave without a
hub); :func:`residents_profile` gives them for any group, :func:`equality_view`
for a district's residents outside every catchment, beside the district as a whole.
Every figure is a count of residents (small-area populations summed), never of
small areas; residents aged 65+ are estimated from each small area's
``share_65_plus``, and residents whose small area has no decile or share are
counted as "not known", never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from assetmap.analysis.thresholds import GapThresholds

__all__ = [
    "DecileBand",
    "EqualityView",
    "ResidentsProfile",
    "SmallAreaTraits",
    "decile_bands",
    "equality_view",
    "residents_profile",
    "small_area_traits",
]

UNKNOWN_BAND = "IMD decile not known"


@dataclass(frozen=True)
class DecileBand:
    label: str
    low: int
    high: int


def _band_label(low: int, high: int) -> str:
    return f"IMD decile {low}" if low == high else f"IMD deciles {low}–{high}"


def decile_bands(deprived_deciles: int = 3) -> tuple[DecileBand, ...]:
    """The method's deprived deciles (1–N), then up to 7, then 8–10 (1–3, 4–7, 8–10 by default)."""
    edges = [(1, deprived_deciles)]
    if deprived_deciles < 7:
        edges.append((deprived_deciles + 1, 7))
    if max(deprived_deciles, 7) < 10:
        edges.append((max(deprived_deciles, 7) + 1, 10))
    return tuple(DecileBand(_band_label(low, high), low, high) for low, high in edges)


@dataclass(frozen=True)
class ResidentsProfile:
    """A group of residents: how many, by IMD decile band, aged 65+, in unparished areas.

    ``aged_65_plus`` and ``share_65_plus`` are None when no small area of the group
    has a known share; ``share_65_plus`` is over the residents whose share is known.
    """

    residents: float
    small_areas: int
    by_imd_band: tuple[tuple[str, float], ...]
    aged_65_plus: float | None
    share_65_plus: float | None
    unparished: float

    @property
    def deprived(self) -> float:
        """Residents of the first band (the method's deprived deciles)."""
        return self.by_imd_band[0][1] if self.by_imd_band else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "residents": round(self.residents),
            "small_areas": self.small_areas,
            "by_imd_band": {label: round(value) for label, value in self.by_imd_band},
            "aged_65_plus": None if self.aged_65_plus is None else round(self.aged_65_plus),
            "share_65_plus": None if self.share_65_plus is None else round(self.share_65_plus, 4),
            "unparished": round(self.unparished),
        }


@dataclass(frozen=True)
class SmallAreaTraits:
    """Per small area, the columns a profile needs, as arrays (NaN where not known)."""

    population: np.ndarray
    imd_decile: np.ndarray
    share_65_plus: np.ndarray
    unparished: np.ndarray  # bool


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return np.asarray(pd.to_numeric(frame[column], errors="coerce"), dtype=float)


def small_area_traits(access: pd.DataFrame, unparished_codes: set[str]) -> SmallAreaTraits:
    """The traits of each row of a small-area access table with ``community_area_code``."""
    codes = access.get("community_area_code")
    unparished = (
        np.zeros(len(access), dtype=bool) if codes is None
        else np.asarray(codes.astype(object).isin(unparished_codes), dtype=bool)
    )
    return SmallAreaTraits(
        population=access["population"].to_numpy(dtype=float),
        imd_decile=_numbers(access, "imd_decile"),
        share_65_plus=_numbers(access, "share_65_plus"),
        unparished=unparished,
    )


def residents_profile(
    traits: SmallAreaTraits, mask: np.ndarray, bands: tuple[DecileBand, ...]
) -> ResidentsProfile:
    """The profile of the residents of the small areas where ``mask`` is true."""
    pop = np.where(mask, traits.population, 0.0)
    decile = traits.imd_decile
    by_band = [
        (band.label, float(pop[(decile >= band.low) & (decile <= band.high)].sum()))
        for band in bands
    ]
    by_band.append((UNKNOWN_BAND, float(pop[~np.isfinite(decile)].sum())))
    share = traits.share_65_plus
    known = np.isfinite(share) & (pop > 0)
    known_pop = float(pop[known].sum())
    older = float((pop[known] * share[known]).sum()) if known.any() else None
    return ResidentsProfile(
        residents=float(pop.sum()),
        small_areas=int(np.count_nonzero(mask)),
        by_imd_band=tuple(by_band),
        aged_65_plus=older,
        share_65_plus=(older / known_pop) if older is not None and known_pop > 0 else None,
        unparished=float(pop[traits.unparished].sum()),
    )


@dataclass(frozen=True)
class EqualityView:
    """A district's residents outside every catchment, beside all its residents."""

    outside: ResidentsProfile
    everyone: ResidentsProfile

    def as_dict(self) -> dict[str, Any]:
        return {"outside_every_catchment": self.outside.as_dict(),
                "all_residents": self.everyone.as_dict()}


def equality_view(
    access: pd.DataFrame, unparished_codes: set[str], thresholds: GapThresholds
) -> EqualityView:
    """The equality view of a district's small-area access table (``within_catchment``)."""
    traits = small_area_traits(access, unparished_codes)
    bands = decile_bands(thresholds.deprived_deciles)
    outside = ~access["within_catchment"].to_numpy(dtype=bool)
    return EqualityView(
        outside=residents_profile(traits, outside, bands),
        everyone=residents_profile(traits, np.ones(len(access), dtype=bool), bands),
    )
