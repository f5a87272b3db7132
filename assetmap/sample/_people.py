"""Who lives in each synthetic small area: residents, deprivation, age, where they cluster."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.ndimage import gaussian_filter, map_coordinates
from scipy.spatial import cKDTree

from assetmap.sample._areas import Areas
from assetmap.sample._geometry import Floats, Ints, first_inside
from assetmap.sample._places import MARKET, URBAN_DISTRICT, Layout
from assetmap.sample._scales import Scale

__all__ = ["People", "settle", "share_out"]

TOWN_CELL_POP = (250, 450)  # residents of a town small area (like an output area)
RURAL_MIN_POP = 80
POCKET_PEOPLE = 40_000  # a big town has one deprived pocket per this many residents


@dataclass
class People:
    population: Ints
    imd_decile: Ints
    share_65_plus: Floats
    urban: npt.NDArray[np.bool_]
    pwc: Floats  # population-weighted centroid of each small area, (n, 2)
    hub_deserts: Floats  # (x, y, radius) of deprived town pockets that get no hub, (k, 3)


def settle(layout: Layout, areas: Areas, scale: Scale, rng: np.random.Generator) -> People:
    seats = [layout.towns[s] for s in areas.district_seats]
    urban_district = np.array([town.kind == URBAN_DISTRICT for town in seats])
    urban = (layout.seed_town >= 0) | urban_district[areas.district]
    population = _population(layout, areas, scale, rng, urban)
    pockets, deprivation = _deprivation(layout, rng, urban)
    imd = _deciles(deprivation, scale.imd_shares)
    elderly = np.where(urban, 0.18, 0.24) - 0.025 * deprivation + rng.normal(0, 0.04, len(urban))
    pwc = _weighted_centres(layout, areas, rng)
    share_65_plus = np.round(np.clip(elderly, 0.03, 0.6), 3).astype(np.float64)
    return People(population, imd, share_65_plus, urban, pwc, _deserts(pockets, rng))


def _population(
    layout: Layout, areas: Areas, scale: Scale, rng: np.random.Generator,
    urban: npt.NDArray[np.bool_],
) -> Ints:
    """Town cells hold 250-450 people; rural cells share the rest of the county's total."""
    n = len(urban)
    population = np.where(urban, rng.integers(TOWN_CELL_POP[0], TOWN_CELL_POP[1] + 1, n), 0)
    weight = rng.lognormal(0.0, 0.45, n) * np.where(layout.seed_village >= 0, 1.15, 0.85)
    meeting = np.array([c.governance == "parish_meeting" for c in areas.communities])
    weight[meeting[areas.community]] *= 0.6  # parish meetings are the smallest places
    rural = np.flatnonzero(~urban)
    remaining = scale.population - int(population.sum())
    if remaining < 40 * len(rural):
        raise ValueError(f"scale {scale.name!r}: its towns hold nearly everyone; raise population")
    population[rural] = share_out(remaining, weight[rural], floor=RURAL_MIN_POP)
    return population.astype(np.int64)


def share_out(total: int, weight: Floats, floor: float = 0.0) -> Ints:
    """Whole numbers proportional to ``weight``, none below ``floor``, summing to ``total``."""
    exact = weight / weight.sum() * total
    for _ in range(10):  # lift the smallest to the floor and take it from the rest
        low = exact < floor
        if not low.any():
            break
        exact[low] = floor
        exact[~low] *= (total - floor * low.sum()) / exact[~low].sum()
    whole = np.floor(exact).astype(np.int64)
    short = total - int(whole.sum())
    whole[np.argsort(whole - exact, kind="stable")[:short]] += 1  # largest remainders
    return np.asarray(whole, dtype=np.int64)


def _deprivation(
    layout: Layout, rng: np.random.Generator, urban: npt.NDArray[np.bool_]
) -> tuple[Floats, Floats]:
    """A spatially smooth deprivation score per cell (higher = more deprived).

    Smooth noise over the county, a little more in towns, less in villages, and a
    few sharp pockets in parts of the big towns, like real IMD maps.
    """
    xy = layout.seeds
    score = 0.6 * _smooth_noise(xy, rng, 3_000.0) + 0.6 * urban
    score -= 0.3 * (layout.seed_village >= 0)
    pockets = []
    for i, town in enumerate(layout.towns):
        members = np.flatnonzero(layout.seed_town == i)
        if town.kind == MARKET:
            count, strength = int(rng.random() < 0.4), 1.5
        else:
            count, strength = 1 + town.pop // POCKET_PEOPLE, 3.0
        sigma = 0.3 * np.sqrt(town.footprint.area / np.pi)
        for centre in xy[rng.choice(members, min(count, len(members)), replace=False)]:
            d2 = ((xy[members] - centre) ** 2).sum(1)
            score[members] += strength * np.exp(-d2 / (2 * sigma**2))
            if town.kind != MARKET:
                pockets.append((centre[0], centre[1], sigma))
    score += rng.normal(0, 0.35, len(xy))
    return np.array(pockets).reshape(-1, 3), score


def _smooth_noise(xy: Floats, rng: np.random.Generator, length: float) -> Floats:
    """Gaussian-smoothed white noise on a grid, sampled at ``xy``; unit variance."""
    lo = xy.min(0) - 2 * length
    shape = np.ceil((xy.max(0) + 2 * length - lo) / (length / 2)).astype(int)
    grid = gaussian_filter(rng.normal(size=tuple(shape)), sigma=2.0)
    values = map_coordinates(grid, ((xy - lo) / (length / 2)).T, order=1)
    return np.asarray((values - values.mean()) / values.std(), dtype=np.float64)


def _deciles(score: Floats, shares: tuple[float, ...]) -> Ints:
    """IMD-like deciles by rank: the most deprived ``shares[0]`` of cells get decile 1, ..."""
    rank = np.empty(len(score), dtype=np.int64)
    rank[np.argsort(-score, kind="stable")] = np.arange(len(score))
    bounds = np.round(np.cumsum(shares) * len(score))
    return (np.searchsorted(bounds, rank, side="right") + 1).clip(1, 10).astype(np.int64)


def _deserts(pockets: Floats, rng: np.random.Generator) -> Floats:
    """About a third of the big-town pockets (at least one) are left with no hub near them."""
    if len(pockets) == 0:
        return pockets
    chosen = rng.random(len(pockets)) < 1 / 3
    chosen[rng.integers(len(pockets))] = True
    out = pockets[chosen].copy()
    out[:, 2] *= 1.5  # the pocket's core and a margin round it
    return out


def _weighted_centres(layout: Layout, areas: Areas, rng: np.random.Generator) -> Floats:
    """A population-weighted centre for each cell: its seed pulled towards the nearest
    town or village centre (where people cluster), kept strictly inside the cell."""
    settlements = np.concatenate([[(t.x, t.y) for t in layout.towns], layout.villages.xy])
    _, nearest = cKDTree(settlements).query(layout.seeds)
    towards = settlements[nearest] - layout.seeds
    pull = rng.uniform(0.15, 0.6, (len(layout.seeds), 1))
    tries = [layout.seeds + towards * pull * f for f in (1.0, 0.5, 0.25, 0.1)]
    return first_inside(areas.cells, tries, fallback=layout.seeds)
