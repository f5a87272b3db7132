"""Carve the synthetic county into small areas, districts and community areas.

Small areas are the Voronoi cells of the seeds. Districts and community areas are
grown over the graph of neighbouring cells from their main town or village (a
shortest-path race, so every area is connected and the nesting is exact: each
district and community area is a set of whole small areas).

Crossing into a town from outside costs a fortune, so a town ends up whole in the
district and community area of a source inside it, while its own sources spread
freely out into the countryside (town-council parishes take in their hinterland;
unparished areas are slowed so they hug their towns).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assetmap.sample._geometry import (
    Floats,
    Geoms,
    Ints,
    adjacency,
    fill_unlabelled,
    grow_regions,
    round_coordinates,
    voronoi_cells,
)
from assetmap.sample._names import NameBook
from assetmap.sample._places import LARGE, MARKET, URBAN_DISTRICT, Layout, Town
from assetmap.sample._scales import Scale

__all__ = ["Areas", "Community", "carve"]

WALL = 1e6  # m added for entering a town from outside: only its own sources get in
UNPARISHED_DRAG = 4.0  # unparished areas spread into the countryside this much slower


@dataclass
class Community:
    name: str
    governance: str  # town_council, parish_council, parish_meeting or unparished
    source: int  # the cell it grew from (its centre of population)
    place: str  # the town or village name, for addresses
    town: int  # index into layout.towns, or -1
    village: int  # index into layout.villages, or -1


@dataclass
class Areas:
    cells: Geoms  # small-area polygons, rounded to PRECISION
    edges: Ints  # pairs of neighbouring cells
    district: Ints  # district of each cell
    community: Ints  # community area of each cell
    district_names: list[str]
    district_seats: list[int]  # index into layout.towns of each district's main town
    communities: list[Community]


def carve(layout: Layout, scale: Scale, rng: np.random.Generator, names: NameBook) -> Areas:
    cells, clipped = voronoi_cells(layout.seeds, layout.outline)
    cells = round_coordinates(cells)
    edges = adjacency(layout.seeds, clipped, layout.outline)
    centres = _central_cells(layout.seeds, layout.seed_town,
                             np.array([(t.x, t.y) for t in layout.towns]))
    district, seats = _districts(layout, scale, rng, edges, centres)
    communities = _community_sources(layout, scale, rng, names, centres)
    community = _grow_communities(layout, rng, edges, district, communities)
    district_names = [names.district(layout.towns[s].name) for s in seats]
    return Areas(cells, edges, district, community, district_names, seats, communities)


def _central_cells(seeds: Floats, owner: Ints, centres: Floats) -> Ints:
    """For each group g (towns, villages), its member cell nearest ``centres[g]``."""
    members = np.flatnonzero(owner >= 0)
    d = np.hypot(*(seeds[members] - centres[owner[members]]).T)
    order = np.lexsort((d, owner[members]))
    groups, first = np.unique(owner[members][order], return_index=True)
    if len(groups) != len(centres):
        raise RuntimeError("a town or village has no small area")
    return members[order][first]


def _arcs(
    layout: Layout, rng: np.random.Generator, edges: Ints, drag: Floats | None = None
) -> tuple[Ints, Floats]:
    """Both directions of every edge with a noisy length; entering a town costs WALL.

    ``drag[town]`` multiplies the cost of leaving that town into the countryside.
    """
    arcs = np.concatenate([edges, edges[:, ::-1]])
    a, b = arcs[:, 0], arcs[:, 1]
    length = np.hypot(*(layout.seeds[a] - layout.seeds[b]).T)
    noise = np.tile(rng.lognormal(0.0, 0.35, len(edges)), 2)  # same both ways
    cost = length * noise
    town_a, town_b = layout.seed_town[a], layout.seed_town[b]
    cost[(town_b >= 0) & (town_a != town_b)] += WALL
    if drag is not None:
        leaving = (town_a >= 0) & (town_b < 0)
        cost[leaving] *= drag[town_a[leaving]]
    return arcs, cost


def _districts(
    layout: Layout, scale: Scale, rng: np.random.Generator, edges: Ints, centres: Ints
) -> tuple[Ints, list[int]]:
    """District of each cell, and each district's seat town.

    Urban districts are exactly their town's cells; the others grow from their seat.
    """
    kinds = [t.kind for t in layout.towns]
    urban = [i for i, k in enumerate(kinds) if k == URBAN_DISTRICT]
    seats = [i for i, k in enumerate(kinds) if k == LARGE]
    n_extra = scale.districts - len(urban) - len(seats)
    if n_extra < 0:
        raise ValueError(f"scale {scale.name!r} has more towns than districts")
    markets = [i for i, k in enumerate(kinds) if k == MARKET]
    seats += _spread_out(layout, urban + seats, markets, n_extra)

    n = len(layout.seeds)
    fixed = np.full(n, -1)
    for d, town in enumerate(urban):
        fixed[layout.seed_town == town] = d
    arcs, cost = _arcs(layout, rng, edges)
    free = (fixed[arcs[:, 0]] < 0) & (fixed[arcs[:, 1]] < 0)
    spacing = np.sqrt(layout.outline.area / scale.districts)
    offsets = rng.uniform(0, 0.3 * spacing, len(seats))
    grown = grow_regions(n, arcs[free], cost[free], centres[seats], offsets)
    district = np.where(fixed >= 0, fixed, np.where(grown >= 0, grown + len(urban), -1))
    rural_edges = edges[(fixed[edges[:, 0]] < 0) & (fixed[edges[:, 1]] < 0)]
    district = fill_unlabelled(district, rural_edges, layout.seeds)
    _keep_towns_whole(district, layout.seed_town, set(urban + seats))
    return district, urban + seats


def _spread_out(layout: Layout, chosen: list[int], candidates: list[int], n: int) -> list[int]:
    """Pick ``n`` candidate towns, each as far as possible from those already chosen."""
    xy = np.array([(t.x, t.y) for t in layout.towns])
    picked: list[int] = []
    for _ in range(n):
        taken = xy[chosen + picked]
        left = [c for c in candidates if c not in picked]
        far = [np.hypot(*(taken - xy[c]).T).min() for c in left]
        picked.append(left[int(np.argmax(far))])
    return picked


def _keep_towns_whole(district: Ints, seed_town: Ints, seats: set[int]) -> None:
    """Give each town that is no district's seat wholly to the district holding most of it."""
    for town in np.unique(seed_town[seed_town >= 0]):
        if int(town) in seats:
            continue
        members = seed_town == town
        district[members] = np.bincount(district[members]).argmax()


def _community_sources(
    layout: Layout, scale: Scale, rng: np.random.Generator, names: NameBook, centres: Ints
) -> list[Community]:
    """Unparished parts of the big towns, then town councils, then villages."""
    out: list[Community] = []
    for i, town in enumerate(layout.towns):
        if town.kind == MARKET:
            out.append(Community(town.name, "town_council", int(centres[i]), town.name, i, -1))
        else:
            out += _unparished_parts(layout, scale, rng, names, i)
    village_cells = _central_cells(layout.seeds, layout.seed_village, layout.villages.xy)
    for v, (name, governance) in enumerate(zip(layout.villages.names,
                                               layout.villages.governance, strict=True)):
        out.append(Community(name, governance, int(village_cells[v]), name, -1, v))
    return out


def _unparished_parts(
    layout: Layout, scale: Scale, rng: np.random.Generator, names: NameBook, town_index: int
) -> list[Community]:
    """Split a big town into unparished areas of about ``scale.unparished_area_pop`` people."""
    town = layout.towns[town_index]
    cells = np.flatnonzero(layout.seed_town == town_index)
    k = max(1, min(len(cells), round(town.pop / scale.unparished_area_pop)))
    if k == 1:
        centre = cells[np.argmin(np.hypot(*(layout.seeds[cells] - (town.x, town.y)).T))]
        return [Community(f"{town.name} (unparished)", "unparished", int(centre), town.name,
                          town_index, -1)]
    sources = _kmeans_sources(layout.seeds, cells, k, rng)
    labels = [_compass(layout.seeds[s] - (town.x, town.y), town) for s in sources]
    out = []
    for s, label in zip(sources, labels, strict=True):
        clash = labels.count(label) > 1 or label == ""
        part = names.neighbourhood(town.name) if clash else f"{town.name} {label}"
        out.append(Community(f"{part} (unparished)", "unparished", int(s), town.name,
                             town_index, -1))
    return out


def _kmeans_sources(seeds: Floats, cells: Ints, k: int, rng: np.random.Generator) -> Ints:
    """``k`` distinct cells near the centres of a k-means split of ``cells``."""
    xy = seeds[cells]
    centroids = xy[rng.choice(len(xy), k, replace=False)]
    for _ in range(15):
        nearest = np.argmin(((xy[:, None, :] - centroids[None]) ** 2).sum(-1), axis=1)
        for j in range(k):
            if (nearest == j).any():
                centroids[j] = xy[nearest == j].mean(0)
    chosen: list[int] = []
    for c in centroids:
        order = np.argsort(np.hypot(*(xy - c).T))
        chosen.append(int(next(cells[o] for o in order if cells[o] not in chosen)))
    return np.array(chosen, dtype=np.int64)


def _compass(offset: Floats, town: Town) -> str:
    """"North", "South East" ... for a part of a town, or "Central" near its middle."""
    if np.hypot(*offset) < 0.25 * np.sqrt(town.footprint.area / np.pi):
        return "Central"
    points = ("East", "North East", "North", "North West", "West", "South West", "South",
              "South East")
    return points[int(np.round(np.arctan2(offset[1], offset[0]) / (np.pi / 4))) % 8]


def _grow_communities(
    layout: Layout, rng: np.random.Generator, edges: Ints, district: Ints,
    communities: list[Community],
) -> Ints:
    """Community area of each cell: a race from every source, never crossing a district line."""
    drag = np.array([UNPARISHED_DRAG if t.kind != MARKET else 1.0 for t in layout.towns])
    arcs, cost = _arcs(layout, rng, edges, drag)
    inside = district[arcs[:, 0]] == district[arcs[:, 1]]
    spacing = layout.villages.spacing
    offsets = np.array([_start_delay(c.governance, spacing, rng) for c in communities])
    sources = np.array([c.source for c in communities], dtype=np.int64)
    grown = grow_regions(len(layout.seeds), arcs[inside], cost[inside], sources, offsets)
    same = district[edges[:, 0]] == district[edges[:, 1]]
    return fill_unlabelled(grown, edges[same], layout.seeds, group=district)


def _start_delay(governance: str, spacing: float, rng: np.random.Generator) -> float:
    """How late a source joins the race, in metres: towns start at once, villages a
    little later (so parishes vary in size) and parish meetings later still (they are
    the smallest villages)."""
    if governance in ("unparished", "town_council"):
        return 0.0
    late = 0.5 if governance == "parish_meeting" else 0.0
    return float((late + rng.uniform(0, 0.3)) * spacing)

