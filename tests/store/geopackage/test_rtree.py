"""A GeoPackage R-tree packed in one pass holds exactly what SQLite's own inserts would put in
it, passes SQLite's own check, answers window queries the same and takes later edits."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assetmap.store.geopackage.rtree import rebuild_with, rtree_size

RTREE = "rtree_assets_geom"
WINDOW = (f"SELECT id FROM {RTREE} WHERE minx <= 450000 AND maxx >= 440000 "
          "AND miny <= 310000 AND maxy >= 300000 ORDER BY id")


@pytest.fixture
def two_copies(tiny_gpkg: Path, tmp_path: Path) -> Iterator[tuple[sqlite3.Connection, ...]]:
    """The tiny county twice, each open in a transaction."""
    copies = []
    for name in ("packed", "inserted"):
        path = tmp_path / f"{name}.gpkg"
        shutil.copyfile(tiny_gpkg, path)
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("BEGIN")
        copies.append(connection)
    yield tuple(copies)
    for connection in copies:
        connection.execute("ROLLBACK")
        connection.close()


def _entries(count: int) -> np.ndarray:
    """Points and boxes over the county, a few at coordinates no float32 holds exactly."""
    random = np.random.default_rng(count)
    x = random.uniform(430_000.123456, 480_000.987654, count)
    y = random.uniform(290_000.1111, 340_000.7777, count)
    size = random.uniform(0, 500, count) * (random.uniform(size=count) < 0.3)
    bounds = np.column_stack([x, y, x + size, y + size])  # minx, miny, maxx, maxy
    bounds[:2] = [-1.1e-5, -3.3, 1e-40, 7.0]  # negative, tiny: rounded outwards either way
    return bounds


# One leaf, a full one, one over (two levels), and three levels.
@pytest.mark.parametrize("count", [2, 51, 52, 3_000])
def test_packed_tree_holds_what_sqlite_inserts_would(
    two_copies: tuple[sqlite3.Connection, sqlite3.Connection], count: int
) -> None:
    packed, inserted = two_copies
    first = int(packed.execute(f"SELECT max(id) FROM {RTREE}").fetchone()[0]) + 1
    held = rtree_size(packed, RTREE)
    fids = np.arange(first, first + count)
    bounds = _entries(count)
    rebuild_with(packed, RTREE, fids, bounds)
    inserted.executemany(f"INSERT OR REPLACE INTO {RTREE} VALUES (?, ?, ?, ?, ?)",
                         [(int(f), b[0], b[2], b[1], b[3])
                          for f, b in zip(fids, bounds.tolist(), strict=True)])
    everything = f"SELECT * FROM {RTREE} ORDER BY id"
    assert packed.execute(everything).fetchall() == inserted.execute(everything).fetchall()
    assert rtree_size(packed, RTREE) == held + count
    assert packed.execute(WINDOW).fetchall() == inserted.execute(WINDOW).fetchall()
    assert packed.execute(f"SELECT rtreecheck('{RTREE}')").fetchone() == ("ok",)
    # The packed tree takes SQLite's own deletes and inserts afterwards.
    packed.execute(f"DELETE FROM {RTREE} WHERE id % 3 = 0")
    packed.execute(f"INSERT INTO {RTREE} VALUES (99999999, 450000, 450001, 305000, 305001)")
    assert packed.execute(f"SELECT rtreecheck('{RTREE}')").fetchone() == ("ok",)
    assert packed.execute(f"SELECT id FROM {RTREE} WHERE minx >= 449999.9 AND maxx <= 450001.1"
                          " AND miny >= 304999.9 AND maxy <= 305001.1").fetchall() == [(99999999,)]


def test_an_entry_given_again_replaces_the_stored_one_and_empty_bounds_are_left_out(
    two_copies: tuple[sqlite3.Connection, sqlite3.Connection],
) -> None:
    packed, _ = two_copies
    stored = int(packed.execute(f"SELECT min(id) FROM {RTREE}").fetchone()[0])
    held = rtree_size(packed, RTREE)
    rebuild_with(packed, RTREE, np.array([stored, 888_888]),
                 np.array([[1.0, 2.0, 3.0, 4.0], [np.nan] * 4]))
    assert packed.execute(f"SELECT * FROM {RTREE} WHERE id = ?", (stored,)).fetchall() == [
        (stored, 1.0, 3.0, 2.0, 4.0)]
    assert packed.execute(f"SELECT count(*) FROM {RTREE} WHERE id = 888888").fetchone() == (0,)
    assert rtree_size(packed, RTREE) == held
    assert packed.execute(f"SELECT rtreecheck('{RTREE}')").fetchone() == ("ok",)
