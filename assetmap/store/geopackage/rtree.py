"""A GeoPackage layer's R-tree built again in one pass when a bulk insert adds at least as many
entries as it holds: SQLite inserting 100,000 entries one by one (choosing a leaf, splitting
nodes, reinserting) was 0.8 s of a 100,000-row import; packing them is a tenth of that.

The entries (those stored and the new ones) are packed sort-tile-recursive: sorted into
vertical slices by x, each slice by y, then cut into full nodes, level by level up to the
root. The nodes are written straight into the virtual table's shadow tables in SQLite's own
format (sqlite.org/rtree.html, rtree.c; GDAL's GeoPackage driver writes its R-trees so too):
node 1 is the root and its first two bytes the depth of the tree; each node is a two-byte
cell count, then cells of a 64-bit id (a row's fid, or a child node's number) and float32
bounds ``minx, maxx, miny, maxy``, big-endian, padded to the tree's node size; bounds are
rounded outwards as SQLite rounds them. ``_rowid`` maps each entry to its leaf, ``_parent``
each node below the root to its parent. Inside the caller's transaction, like every write.
"""

from __future__ import annotations

import math
import sqlite3

import numpy as np

from assetmap.store.geopackage.sqlite import quote

__all__ = ["rebuild_with", "rtree_size"]

_CELL = np.dtype([("id", ">i8"), ("bounds", ">f4", (4,))])
# rtree.c's factors for rounding a double to the float32 on the outer side of it.
_TOWARDS_ZERO = 1.0 - 1.0 / 8388608.0
_AWAY_FROM_ZERO = 1.0 + 1.0 / 8388608.0


def rtree_size(connection: sqlite3.Connection, rtree: str) -> int:
    """How many entries the R-tree holds (one ``_rowid`` row each)."""
    return int(connection.execute(f"SELECT count(*) FROM {quote(rtree + '_rowid')}")
               .fetchone()[0])


def _float32_down(values: np.ndarray) -> np.ndarray:
    """Each double as the largest float32 not above it (rtree.c's ``rtreeValueDown``)."""
    rounded = values.astype(np.float32)
    above = rounded > values
    factor = np.where(values < 0, _AWAY_FROM_ZERO, _TOWARDS_ZERO)
    rounded[above] = (values[above] * factor[above]).astype(np.float32)
    return rounded


def _float32_up(values: np.ndarray) -> np.ndarray:
    """Each double as the smallest float32 not below it (rtree.c's ``rtreeValueUp``)."""
    rounded = values.astype(np.float32)
    below = rounded < values
    factor = np.where(values < 0, _TOWARDS_ZERO, _AWAY_FROM_ZERO)
    rounded[below] = (values[below] * factor[below]).astype(np.float32)
    return rounded


def _tiled(bounds: np.ndarray, per_node: int) -> np.ndarray:
    """The order that puts neighbours in the same node: slices by x, each slice by y."""
    count = len(bounds)
    nodes = math.ceil(count / per_node)
    per_slice = per_node * math.ceil(nodes / math.ceil(math.sqrt(nodes)))
    centre_x = bounds[:, 0].astype(np.float64) + bounds[:, 1]
    centre_y = bounds[:, 2].astype(np.float64) + bounds[:, 3]
    by_x = np.argsort(centre_x, kind="stable")
    slices = np.arange(count) // per_slice
    return by_x[np.lexsort((centre_y[by_x], slices))]


def _blob(cells: np.ndarray, node_size: int, depth: int = 0) -> bytes:
    """One node: the tree's depth (the root only, else zero), cell count, cells, padding."""
    body = depth.to_bytes(2, "big") + len(cells).to_bytes(2, "big") + cells.tobytes()
    return body + bytes(node_size - len(body))


def _pack(
    ids: np.ndarray, bounds: np.ndarray, per_node: int, node_size: int
) -> tuple[list[tuple[int, bytes]], list[tuple[int, int]], list[tuple[int, int]]]:
    """(nodes, rowids, parents): the shadow tables' rows of the packed tree."""
    nodes: list[tuple[int, bytes]] = []
    rowids: list[tuple[int, int]] = []
    parents: list[tuple[int, int]] = []
    level_ids, level_bounds = ids, bounds
    depth, next_number = 0, 2  # node 1 is the root
    while True:
        order = _tiled(level_bounds, per_node)
        cells = np.empty(len(order), dtype=_CELL)
        cells["id"], cells["bounds"] = level_ids[order], level_bounds[order]
        root = len(cells) <= per_node
        starts = np.arange(0, len(cells), per_node)
        numbers = (np.array([1]) if root
                   else np.arange(next_number, next_number + len(starts)))
        # Each cell's node: an entry's leaf (level 0), else a child node's parent.
        holders = numbers[np.arange(len(cells)) // per_node].tolist()
        (rowids if depth == 0 else parents).extend(zip(cells["id"].tolist(), holders, strict=True))
        if root:
            nodes.append((1, _blob(cells, node_size, depth)))
            return nodes, rowids, parents
        nodes.extend((number, _blob(cells[start:start + per_node], node_size))
                     for number, start in zip(numbers.tolist(), starts.tolist(), strict=True))
        sorted_bounds = cells["bounds"].astype(np.float32)
        level_bounds = np.column_stack([
            np.minimum.reduceat(sorted_bounds[:, 0], starts),
            np.maximum.reduceat(sorted_bounds[:, 1], starts),
            np.minimum.reduceat(sorted_bounds[:, 2], starts),
            np.maximum.reduceat(sorted_bounds[:, 3], starts),
        ])
        level_ids = numbers
        depth, next_number = depth + 1, next_number + len(starts)


def rebuild_with(
    connection: sqlite3.Connection, rtree: str, fids: np.ndarray, bounds: np.ndarray
) -> None:
    """The R-tree holding what it held and ``fids`` with ``bounds`` (``minx, miny, maxx,
    maxy`` rows, as shapely gives them), packed afresh; an entry with no bounds (an empty
    geometry) is left out as GDAL's insert trigger leaves it out."""
    node_size = int(connection.execute(
        f"SELECT length(data) FROM {quote(rtree + '_node')} WHERE nodeno = 1").fetchone()[0])
    per_node = (node_size - 4) // _CELL.itemsize
    stored = np.array(connection.execute(f"SELECT * FROM {quote(rtree)}").fetchall(),
                      dtype=np.float64).reshape(-1, 5)
    fids = np.asarray(fids, np.int64)
    given = ~np.isnan(bounds).any(axis=1)
    new = bounds[given]
    kept = stored[~np.isin(stored[:, 0].astype(np.int64), fids)]  # replaced, as INSERT OR REPLACE
    ids = np.concatenate([kept[:, 0].astype(np.int64), fids[given]])
    boxes = np.concatenate([
        kept[:, 1:].astype(np.float32),  # float32 already: exact
        np.column_stack([_float32_down(new[:, 0]), _float32_up(new[:, 2]),
                         _float32_down(new[:, 1]), _float32_up(new[:, 3])]),
    ])
    for shadow in ("_node", "_rowid", "_parent"):
        connection.execute(f"DELETE FROM {quote(rtree + shadow)}")
    if not len(ids):
        connection.execute(f"INSERT INTO {quote(rtree + '_node')} VALUES (1, ?)",
                           (bytes(node_size),))
        return
    nodes, rowids, parents = _pack(ids, boxes, per_node, node_size)
    connection.executemany(f"INSERT INTO {quote(rtree + '_node')} VALUES (?, ?)", nodes)
    connection.executemany(f"INSERT INTO {quote(rtree + '_rowid')} VALUES (?, ?)", rowids)
    connection.executemany(f"INSERT INTO {quote(rtree + '_parent')} VALUES (?, ?)", parents)
