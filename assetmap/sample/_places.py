"""Where the synthetic county's people live: its outline, towns, villages and cell seeds.

Small areas are Voronoi cells of the seeds placed here: seeds are dense inside town
footprints (so town cells are small) and sparse in the countryside, clustered around
villages (so rural cells are large and varied).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import shapely
from shapely import affinity
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from assetmap.sample._geometry import Floats, Ints, points_in, star_polygon, thin
from assetmap.sample._names import NameBook
from assetmap.sample._scales import Scale

__all__ = ["Layout", "Town", "Villages", "lay_out"]

URBAN_DISTRICT, LARGE, MARKET = "urban_district", "large", "market"
DENSITY = {URBAN_DISTRICT: 2_500e-6, LARGE: 4_500e-6, MARKET: 3_800e-6}  # people per m²
TOWN_CELL_POP = 350  # mean residents of a town small area (output areas hold ~300)
EDGE_MARGIN = 60.0  # m: seeds keep this far from the county edge
FRINGE_GAP = 250.0  # m: a ring of rural seeds this far outside each town gives it a clean edge
FRINGE_SPACING = 600.0
VILLAGE_SHARE = 0.65  # share of rural cells seeded around villages, the rest scattered
MIN_SEED_GAP = 20.0


@dataclass
class Town:
    kind: str  # URBAN_DISTRICT, LARGE or MARKET
    name: str
    x: float
    y: float
    pop: int
    footprint: BaseGeometry  # the built-up area, clipped to the county


@dataclass
class Villages:
    xy: Floats
    names: list[str]
    governance: list[str]  # "parish_council" or "parish_meeting"
    spacing: float  # typical distance between neighbouring villages, m


@dataclass
class Layout:
    outline: Polygon  # the county's land (with a hole for the city, if any)
    towns: list[Town]
    villages: Villages
    seeds: Floats
    seed_town: Ints  # index into towns, or -1 for a rural seed
    seed_village: Ints  # index into villages, or -1


def lay_out(scale: Scale, rng: np.random.Generator, names: NameBook) -> Layout:
    """Outline, settlements and seeds for ``scale``."""
    outline = _outline(scale, rng)
    towns = _towns(scale, rng, outline, names)
    villages = _villages(scale, rng, outline, towns, names)
    seeds, seed_town, seed_village = _seeds(scale, rng, outline, towns, villages)
    return Layout(outline, towns, villages, seeds, seed_town, seed_village)


def _outline(scale: Scale, rng: np.random.Generator) -> Polygon:
    hole_m2 = scale.city_km2 * 1e6
    outer = star_polygon(rng, scale.centre, scale.area_km2 * 1e6 + hole_m2, roughness=0.3,
                         aspect=scale.aspect, vertices=720, detail=0.025)
    if not hole_m2:
        return outer
    # The city sits a little off-centre, as Leicester does.
    offset = rng.normal(0, 0.04 * np.sqrt(outer.area), 2)
    city = star_polygon(rng, (scale.centre[0] + offset[0], scale.centre[1] + offset[1]),
                        hole_m2, roughness=0.2, vertices=240, detail=0.012)
    return Polygon(outer.exterior.coords, [city.exterior.coords])


def _town_specs(scale: Scale, rng: np.random.Generator) -> list[tuple[str, int]]:
    """(kind, population) of every town, largest first within each kind."""
    def zipf(n: int, top: int) -> list[int]:
        ranks = np.arange(1, n + 1)
        jitter = np.where(ranks == 1, 1.0, rng.uniform(0.9, 1.1, n))
        return [int(p) for p in top * ranks**-0.6 * jitter]

    lo, hi = scale.market_town_pop
    return (
        [(URBAN_DISTRICT, p) for p in zipf(scale.urban_districts, scale.urban_district_max_pop)]
        + [(LARGE, p) for p in zipf(scale.large_towns, scale.large_town_max_pop)]
        + [(MARKET, int(p)) for p in sorted(rng.uniform(lo, hi, scale.town_councils))[::-1]]
    )


def _towns(
    scale: Scale, rng: np.random.Generator, outline: Polygon, names: NameBook
) -> list[Town]:
    specs = _town_specs(scale, rng)
    pool = points_in(rng, outline, min(60_000, 80 * len(specs) + 2_000))
    edge_distance = shapely.distance(outline.exterior, shapely.points(pool))
    hole = Polygon(outline.interiors[0].coords) if outline.interiors else None
    placed: list[tuple[float, float, float]] = []  # x, y, reach of towns (and the city)
    if hole is not None:
        placed.append((hole.centroid.x, hole.centroid.y, _reach(hole, hole.centroid)))
    n_big = scale.urban_districts + scale.large_towns
    spacing = {
        URBAN_DISTRICT: 0.55 * np.sqrt(scale.area_km2 * 1e6 / max(n_big, 1)),
        LARGE: 0.55 * np.sqrt(scale.area_km2 * 1e6 / max(n_big, 1)),
        MARKET: 0.5 * np.sqrt(scale.area_km2 * 1e6 / len(specs)),
    }
    towns = []
    for kind, pop in specs:
        shape = star_polygon(rng, (0.0, 0.0), pop / DENSITY[kind], roughness=0.3, vertices=120)
        reach = _reach(shape, Point(0, 0))
        if kind == URBAN_DISTRICT and hole is not None:
            x, y = _beside(rng, hole, reach)
            shape = _grow_to_fit(shape, x, y, outline)
            reach = _reach(shape, Point(0, 0))
        else:
            x, y = _free_spot(rng, pool, edge_distance, placed, reach, spacing[kind])
        placed.append((x, y, reach))
        footprint = affinity.translate(shape, x, y).intersection(outline)
        towns.append(Town(kind, names.place(market=kind == MARKET), x, y, pop, footprint))
    return towns


def _reach(shape: Polygon, centre: Point) -> float:
    return float(shapely.distance(centre, shapely.points(np.asarray(shape.exterior.coords))).max())


def _grow_to_fit(shape: Polygon, x: float, y: float, outline: Polygon) -> Polygon:
    """Enlarge ``shape`` so that the part left after the city takes its bite keeps its area."""
    target = shape.area
    for _ in range(4):
        kept = affinity.translate(shape, x, y).intersection(outline).area
        factor = np.sqrt(target / kept)
        shape = affinity.scale(shape, factor, factor, origin=(0, 0))
    return shape


def _beside(rng: np.random.Generator, hole: Polygon, reach: float) -> tuple[float, float]:
    """A centre from which a town of ``reach`` overlaps the edge of the city (the hole)."""
    angle = rng.uniform(-0.75, -0.25) * np.pi  # south-west to south-east, like Oadby and Wigston
    c = hole.centroid
    ray = shapely.linestrings([(c.x, c.y), (c.x + 1e6 * np.cos(angle), c.y + 1e6 * np.sin(angle))])
    crossings = shapely.get_coordinates(ray.intersection(hole.exterior))
    x, y = crossings[np.argmax(np.hypot(crossings[:, 0] - c.x, crossings[:, 1] - c.y))]
    return x + 0.6 * reach * np.cos(angle), y + 0.6 * reach * np.sin(angle)


def _free_spot(
    rng: np.random.Generator,
    pool: Floats,
    edge_distance: Floats,
    placed: list[tuple[float, float, float]],
    reach: float,
    spacing: float,
) -> tuple[float, float]:
    """A pool point well inside the county and clear of every town placed so far."""
    gap = 2_000.0
    others = np.array(placed).reshape(-1, 3)
    for _ in range(80):
        candidates = rng.choice(len(pool), size=min(256, len(pool)), replace=False)
        ok = edge_distance[candidates] > reach + gap / 2
        offset = pool[candidates, None, :] - others[None, :, :2]
        d = np.hypot(offset[..., 0], offset[..., 1])
        ok &= (d > np.maximum(spacing, reach + others[:, 2] + gap)).all(axis=1)
        if ok.any():
            x, y = pool[candidates[np.argmax(ok)]]
            return float(x), float(y)
        spacing *= 0.9
    raise RuntimeError("no room left for another town; make the county bigger")


def _villages(
    scale: Scale, rng: np.random.Generator, outline: Polygon, towns: list[Town], names: NameBook
) -> Villages:
    n = scale.parish_councils + scale.parish_meetings
    near_towns = shapely.union_all([t.footprint.buffer(1_200, 8) for t in towns])
    land = outline.buffer(-500).difference(near_towns)
    spacing = 0.75 * np.sqrt(land.area / max(n, 1))
    while True:
        pool = points_in(rng, land, 6 * n)
        kept = pool[thin(pool, spacing)]
        if len(kept) >= n:
            break
        spacing *= 0.85
    kinds = ["parish_meeting"] * scale.parish_meetings + ["parish_council"] * scale.parish_councils
    governance = [kinds[i] for i in rng.permutation(n)]
    return Villages(kept[:n], [names.place() for _ in range(n)], governance, spacing)


def _seeds(
    scale: Scale, rng: np.random.Generator, outline: Polygon, towns: list[Town], villages: Villages
) -> tuple[Floats, Ints, Ints]:
    inner = outline.buffer(-EDGE_MARGIN)
    zones = [t.footprint.buffer(FRINGE_GAP * 0.6, 8) for t in towns]
    rural = inner.difference(shapely.union_all(zones))
    shapely.prepare(rural)

    town_xy = [_town_seeds(rng, t, inner) for t in towns]
    n_town = sum(len(xy) for xy in town_xy)
    rural_budget = scale.small_areas - n_town
    if rural_budget < len(villages.xy):
        raise ValueError(f"scale {scale.name!r}: too few small areas for its towns and villages")
    fringe = _fringe_seeds(towns, rural)
    village_xy, village_of = _village_seeds(rng, villages, rural, int(VILLAGE_SHARE * rural_budget))
    n_background = max(0, rural_budget - len(fringe) - len(village_xy))
    background = points_in(rng, rural, n_background)

    xy = np.concatenate([*town_xy, village_xy, fringe, background])
    seed_town = np.concatenate([np.full(len(p), i) for i, p in enumerate(town_xy)]
                               + [np.full(len(xy) - n_town, -1)]).astype(np.int64)
    seed_village = np.concatenate([np.full(n_town, -1), village_of,
                                   np.full(len(fringe) + n_background, -1)]).astype(np.int64)
    xy = np.round(xy, 1)
    keep = thin(xy, MIN_SEED_GAP)
    return xy[keep], seed_town[keep], seed_village[keep]


def _town_seeds(rng: np.random.Generator, town: Town, inner: BaseGeometry) -> Floats:
    """Seeds for a town: denser towards its centre, so central cells are smallest."""
    region = town.footprint.intersection(inner)
    n = max(3, round(town.pop / TOWN_CELL_POP))
    sigma = 0.5 * np.sqrt(region.area / np.pi)
    x0, y0, x1, y1 = region.bounds

    def propose(k: int) -> Floats:
        central = rng.normal((town.x, town.y), sigma, size=(k, 2))
        anywhere = rng.uniform((x0, y0), (x1, y1), size=(k, 2))
        return np.where(rng.random((k, 1)) < 0.5, central, anywhere)

    return points_in(rng, region, n, propose)


def _fringe_seeds(towns: list[Town], rural: BaseGeometry) -> Floats:
    """Rural seeds in a ring just outside each town, so town cells stop at the town edge."""
    rings = shapely.get_exterior_ring(
        shapely.get_parts([t.footprint.buffer(FRINGE_GAP, 8) for t in towns])
    )
    points = []
    for ring in rings:
        steps = np.arange(0, ring.length, FRINGE_SPACING)
        points.append(shapely.get_coordinates(shapely.line_interpolate_point(ring, steps)))
    xy = np.concatenate(points)
    return np.asarray(xy[shapely.contains_xy(rural, xy[:, 0], xy[:, 1])], dtype=np.float64)


def _village_seeds(
    rng: np.random.Generator, villages: Villages, rural: BaseGeometry, budget: int
) -> tuple[Floats, Ints]:
    """Each village's centre first, then parish-council villages get a Gaussian cluster."""
    is_pc = np.array([g == "parish_council" for g in villages.governance])
    n_villages = len(villages.xy)
    extra_per_pc = max(0.0, (budget - n_villages) / max(is_pc.sum(), 1))
    extra = np.where(is_pc, rng.poisson(extra_per_pc, n_villages), 0)
    owner = np.repeat(np.arange(n_villages), extra)
    sigma = (300.0 * np.sqrt(1 + extra))[owner, None]
    xy = villages.xy[owner] + rng.normal(0, 1, (len(owner), 2)) * sigma
    inside = shapely.contains_xy(rural, xy[:, 0], xy[:, 1])
    return (np.concatenate([villages.xy, xy[inside]]),
            np.concatenate([np.arange(n_villages), owner[inside]]))

