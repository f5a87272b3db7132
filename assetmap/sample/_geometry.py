"""Vectorised geometry for the synthetic sample: outlines, Voronoi cells, regions, dissolves.

Everything works on numpy arrays of coordinates (British National Grid metres) and
arrays of shapely geometries, so the England-sized sample (about 190,000 cells)
builds in seconds.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import Delaunay, cKDTree
from tqdm import tqdm

import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Geoms = npt.NDArray[np.object_]

PRECISION = 0.1  # metres: coordinates are rounded to this grid

__all__ = [
    "PRECISION",
    "adjacency",
    "as_multipolygons",
    "dissolve",
    "fill_unlabelled",
    "first_inside",
    "grow_regions",
    "hilbert_index",
    "points_in",
    "round_coordinates",
    "star_polygon",
    "thin",
    "voronoi_cells",
]


def star_polygon(
    rng: np.random.Generator,
    centre: tuple[float, float],
    area: float,
    roughness: float,
    aspect: float = 1.0,
    vertices: int = 360,
    detail: float = 0.0,
) -> Polygon:
    """An irregular blob of the given area (m²): a circle whose radius wobbles smoothly.

    The radius is ``exp(sum of a few cosine harmonics)``, so it stays positive and the
    polygon never crosses itself; ``aspect`` > 1 stretches it north-south and
    ``detail`` adds small high-frequency wiggles (like a boundary following streams).
    """
    theta = np.linspace(0.0, 2 * np.pi, vertices, endpoint=False)
    harmonics = np.arange(2, 13 if not detail else min(vertices // 6, 90))
    broad, fine = roughness / harmonics**1.3, detail * (12 / harmonics) ** 1.5
    amplitude = np.where(harmonics < 13, broad, fine)
    amplitude = amplitude * rng.normal(size=harmonics.size)
    phase = rng.uniform(0, 2 * np.pi, harmonics.size)
    log_r = (amplitude[:, None] * np.cos(harmonics[:, None] * theta + phase[:, None])).sum(0)
    r = np.exp(log_r)
    x, y = r * np.cos(theta) / np.sqrt(aspect), r * np.sin(theta) * np.sqrt(aspect)
    unit = Polygon(np.column_stack([x, y]))
    k = np.sqrt(area / unit.area)
    return Polygon(np.column_stack([centre[0] + k * x, centre[1] + k * y]))


def points_in(
    rng: np.random.Generator,
    region: BaseGeometry,
    n: int,
    propose: Callable[[int], Floats] | None = None,
) -> Floats:
    """``n`` points inside ``region``, drawn by ``propose(k)`` (uniform in its box by default)."""
    if n <= 0:
        return np.empty((0, 2))
    x0, y0, x1, y1 = region.bounds
    if propose is None:
        def propose(k: int) -> Floats:
            return rng.uniform((x0, y0), (x1, y1), size=(k, 2))
    shapely.prepare(region)
    kept: list[Floats] = []
    found, tries = 0, 0
    while found < n:
        tries += 1
        if tries > 200:
            raise RuntimeError("could not place points inside a region; is it empty?")
        batch = propose(max(64, 2 * (n - found)))
        batch = batch[shapely.contains_xy(region, batch[:, 0], batch[:, 1])]
        kept.append(batch)
        found += len(batch)
    return np.concatenate(kept)[:n]


def thin(xy: Floats, min_distance: float) -> npt.NDArray[np.bool_]:
    """Mask keeping each point unless an earlier kept point lies within ``min_distance``."""
    keep = np.ones(len(xy), dtype=bool)
    pairs = cKDTree(xy).query_pairs(min_distance, output_type="ndarray")
    if len(pairs) == 0:
        return keep
    pairs = pairs[np.lexsort((pairs[:, 0], pairs[:, 1]))]  # by later point, then earlier
    for i, j in pairs:  # i < j; only close pairs, so this loop is short
        if keep[i]:
            keep[j] = False
    return keep


def voronoi_cells(xy: Floats, outline: Polygon) -> tuple[Geoms, npt.NDArray[np.bool_]]:
    """Voronoi cells of ``xy`` (in input order) clipped to ``outline``, and which were clipped."""
    x0, y0, x1, y1 = outline.bounds
    frame = shapely.box(x0, y0, x1, y1).buffer(max(x1 - x0, y1 - y0))
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=frame, ordered=True)
    )
    if len(cells) != len(xy):
        raise RuntimeError("Voronoi cells do not match their seeds (duplicate seeds?)")
    shapely.prepare(outline)
    clipped = ~shapely.contains_properly(outline, cells)
    cells[clipped] = shapely.intersection(cells[clipped], outline)
    return cells, clipped


def adjacency(xy: Floats, clipped: npt.NDArray[np.bool_], outline: Polygon) -> Ints:
    """Pairs (i, j), i < j, of cells sharing an edge, from the Delaunay triangulation.

    Where clipping may have cut two neighbours apart (a bay of the outline, the city
    hole), the pair is kept only if the straight line between the seeds stays inside.
    """
    simplices = Delaunay(xy).simplices
    edges = np.sort(np.concatenate([simplices[:, [0, 1]], simplices[:, [1, 2]],
                                    simplices[:, [0, 2]]]), axis=1).astype(np.int64)
    key = np.unique(edges[:, 0] * len(xy) + edges[:, 1])  # one row per pair, sorted
    edges = np.column_stack([key // len(xy), key % len(xy)])
    doubtful = clipped[edges[:, 0]] | clipped[edges[:, 1]]
    lines = shapely.linestrings(np.stack([xy[edges[doubtful, 0]], xy[edges[doubtful, 1]]], 1))
    shapely.prepare(outline)
    keep = np.ones(len(edges), dtype=bool)
    keep[doubtful] = shapely.covered_by(lines, outline)
    return edges[keep].astype(np.int64)


def grow_regions(
    n_nodes: int, arcs: Ints, weights: Floats, sources: Ints, offsets: Floats
) -> Ints:
    """Label each node with the source nearest along directed ``arcs`` (-1 if unreachable).

    A source with a larger offset starts later, so it claims a smaller region. The
    shortest-path forest makes every region connected. Each source keeps its own node.
    """
    k = len(sources)
    virtual = np.arange(n_nodes, n_nodes + k)
    rows = np.concatenate([arcs[:, 0], virtual])
    cols = np.concatenate([arcs[:, 1], sources])
    data = np.concatenate([weights, offsets + 1.0])  # +1 m: explicit zeros are not edges
    size = n_nodes + k
    graph = coo_matrix((data, (rows, cols)), shape=(size, size)).tocsr()
    _, _, origin = dijkstra(
        graph, directed=True, indices=virtual, min_only=True, return_predecessors=True
    )
    labels = np.where(origin[:n_nodes] >= n_nodes, origin[:n_nodes] - n_nodes, -1)
    labels[sources] = np.arange(k)
    return labels.astype(np.int64)


def fill_unlabelled(
    labels: Ints, edges: Ints, xy: Floats, group: Ints | None = None
) -> Ints:
    """Give unlabelled nodes (-1) a neighbour's label, else the nearest labelled node's
    (of the same ``group`` when given, e.g. the same district)."""
    labels = labels.copy()
    while (labels < 0).any():
        a, b = labels[edges[:, 0]], labels[edges[:, 1]]
        grow = np.concatenate([edges[(a < 0) & (b >= 0)], edges[(b < 0) & (a >= 0)][:, ::-1]])
        if len(grow) == 0:
            _label_by_nearest(labels, xy, group)
            break
        # column 0 is unlabelled, column 1 labelled; the first listed neighbour wins
        target, first = np.unique(grow[:, 0], return_index=True)
        labels[target] = labels[grow[first, 1]]
    return labels


def _label_by_nearest(labels: Ints, xy: Floats, group: Ints | None) -> None:
    groups = np.zeros(len(labels), dtype=np.int64) if group is None else group
    for g in np.unique(groups[labels < 0]):
        unknown = np.flatnonzero((labels < 0) & (groups == g))
        known = np.flatnonzero((labels >= 0) & (groups == g))
        if len(known) == 0:
            known = np.flatnonzero(labels >= 0)
        _, nearest = cKDTree(xy[known]).query(xy[unknown])
        labels[unknown] = labels[known[nearest]]


def dissolve(cells: Geoms, labels: Ints, n_groups: int, progress: bool = False) -> Geoms:
    """Union the cells of each label 0..n_groups-1 (cells must form an exact coverage)."""
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(n_groups + 1))
    out = np.empty(n_groups, dtype=object)
    for g in tqdm(range(n_groups), desc="dissolving", disable=not progress, leave=False):
        out[g] = shapely.coverage_union_all(cells[order[bounds[g] : bounds[g + 1]]])
    bad = ~shapely.is_valid(out)
    out[bad] = shapely.make_valid(out[bad])
    return as_multipolygons(out)


def as_multipolygons(geoms: Geoms) -> Geoms:
    """Every geometry as a MultiPolygon (keeping only polygon parts; order preserved)."""
    parts, index = shapely.get_parts(geoms, return_index=True)
    polygonal = shapely.get_type_id(parts) == 3
    multi = shapely.multipolygons(parts[polygonal], indices=index[polygonal])
    if len(multi) != len(geoms):
        raise RuntimeError("a geometry has no polygon part")
    return np.asarray(multi, dtype=object)


def round_coordinates(geoms: Geoms) -> Geoms:
    """Snap every vertex to the PRECISION grid.

    Plain rounding keeps a coverage exact (a vertex shared by two cells lands on the
    same grid point in both); the rare geometry it spoils is repaired by GEOS's
    precision reducer. ``shapely.set_precision`` on everything is several times slower.
    """
    rounded = shapely.transform(geoms, lambda c: np.round(c / PRECISION) * PRECISION)
    bad = ~shapely.is_valid(rounded)
    rounded[bad] = shapely.set_precision(geoms[bad], PRECISION)
    return np.asarray(rounded, dtype=object)


def first_inside(cells: Geoms, candidates: list[Floats], fallback: Floats) -> Floats:
    """Per cell, the first candidate point (rounded to 0.1 m) strictly inside it, else fallback."""
    chosen = np.round(fallback / PRECISION) * PRECISION
    todo = np.ones(len(cells), dtype=bool)
    for xy in candidates:
        xy = np.round(xy / PRECISION) * PRECISION
        ok = todo & shapely.contains_xy(cells, xy[:, 0], xy[:, 1])
        chosen[ok] = xy[ok]
        todo &= ~ok
    return chosen


def hilbert_index(x: Floats, y: Floats, order: int = 16) -> Ints:
    """Position of each point along a Hilbert curve over their bounding box.

    Sorting by it keeps neighbours together, so serial codes (like real ONS and
    postcode numbering) run through the map rather than jumping about.
    """
    n = 1 << order
    span = max(np.ptp(x), np.ptp(y), 1.0)
    xi = ((x - x.min()) / span * (n - 1)).astype(np.int64)
    yi = ((y - y.min()) / span * (n - 1)).astype(np.int64)
    d = np.zeros(len(x), dtype=np.int64)
    s = n // 2
    while s > 0:
        rx = (xi & s) > 0
        ry = (yi & s) > 0
        d += s * s * ((3 * rx.astype(np.int64)) ^ ry.astype(np.int64))
        flip = ~ry & rx
        xi[flip], yi[flip] = n - 1 - xi[flip], n - 1 - yi[flip]
        swap = ~ry
        xi[swap], yi[swap] = yi[swap], xi[swap]
        s //= 2
    return d
