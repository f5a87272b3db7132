"""Synthetic postcodes in the real UK format but an area that does not exist ("LZ").

LZ is no real postcode area, so "LZ12 3AB" can never be mistaken for a real address.
Codes are numbered along a Hilbert curve, so neighbouring postcodes share an outward
code and sector, as real ones do.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import shapely

from assetmap.sample._areas import Areas
from assetmap.sample._geometry import first_inside, hilbert_index
from assetmap.sample._people import People
from assetmap.sample._scales import Scale

__all__ = ["POSTCODE_PATTERN", "make_postcodes"]

POSTCODE_PATTERN = r"^LZ[1-9][0-9]? [0-9][A-Z]{2}$"
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters Royal Mail uses in the inward code
PER_DISTRICT = 500  # postcodes per outward code (like LE1) when there are few
SECTORS = 10  # sectors 0-9 within each outward code


def make_postcodes(
    areas: Areas, people: People, district_codes: list[str], scale: Scale,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Columns postcode, district_code, x, y: about one postcode per 40 residents."""
    rate = _rate(people.population, scale)
    per_cell = np.maximum(1, np.floor(people.population * rate + rng.random(len(people.pwc))))
    order = np.argsort(hilbert_index(people.pwc[:, 0], people.pwc[:, 1]), kind="stable")
    cell = np.repeat(order, per_cell[order].astype(np.int64))
    return pd.DataFrame({
        "postcode": _codes(len(cell), rng),
        "district_code": np.asarray(district_codes)[areas.district[cell]],
        **dict(zip("xy", _points(areas, people, cell, rng).T, strict=True)),
    })


def _rate(population: np.ndarray, scale: Scale) -> float:
    """Postcodes per resident: one per ``residents_per_postcode``, lowered (by bisection)
    when that would exceed ``max_postcodes``, given every small area gets at least one."""
    def expected(rate: float) -> float:
        return float(np.maximum(1.0, population * rate).sum())

    low, high = 0.0, 1 / scale.residents_per_postcode
    if expected(high) <= scale.max_postcodes:
        return high
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (middle, high) if expected(middle) < scale.max_postcodes else (low, middle)
    return low


def _points(areas: Areas, people: People, cell: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Points clustered round each small area's population-weighted centre, inside it."""
    spread = 0.35 * np.sqrt(shapely.area(areas.cells[cell]))[:, None]
    base = people.pwc[cell]
    tries = [base + rng.normal(0, 1, base.shape) * spread for _ in range(6)]
    return first_inside(areas.cells[cell], tries, fallback=base)


def _codes(n: int, rng: np.random.Generator) -> list[str]:
    """``n`` unique codes, in runs that share an outward code and a sector."""
    outward_count = int(np.clip(np.ceil(n / PER_DISTRICT), 1, 99))
    groups = outward_count * SECTORS
    pairs = [a + b for a in UNIT_LETTERS for b in UNIT_LETTERS]
    if n > groups * len(pairs):
        raise ValueError(f"{n:,} postcodes do not fit in the LZ area; lower max_postcodes")
    group = np.arange(n) * groups // n
    unit = np.arange(n) - np.searchsorted(group, group)
    letters = np.asarray(pairs)[rng.permutation(len(pairs))][unit]
    return [f"LZ{g // SECTORS + 1} {g % SECTORS}{unit}"
            for g, unit in zip(group.tolist(), letters, strict=True)]
