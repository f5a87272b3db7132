"""Bulk writes to a GeoPackage inside the caller's ``BEGIN IMMEDIATE``: many features with one
``executemany``, their R-tree entries and feature count written directly, record rows likewise.

GDAL's insert triggers call back into Python once per row (``ST_MinX`` …): for 100,000
rows that is most of the time. They are dropped for the insert and recreated from their own
SQL before the transaction ends, so a rollback (or ``kill -9``) restores them with the data.
A batch at least as large as the layer's R-tree has it packed afresh (``rtree.py``); a smaller
one has its entries inserted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

import numpy as np

import shapely

from assetmap.layers import LayerSpec
from assetmap.store.bulk import CleanBatch
from assetmap.store.geopackage.blob import encode_blobs
from assetmap.store.geopackage.rtree import rebuild_with, rtree_size
from assetmap.store.geopackage.sqlite import quote

__all__ = ["existing_ids", "insert_features", "insert_records"]


def existing_ids(connection: sqlite3.Connection, layer: LayerSpec, ids: Sequence[str]) -> set[str]:
    # One scan of the id column beats one unindexed lookup per id.
    sql = f"SELECT {quote(layer.id_field)} FROM {quote(layer.table)}"
    stored = {str(row[0]) for row in connection.execute(sql)}
    return stored.intersection(ids)


def _insert_triggers(connection: sqlite3.Connection, table: str, rtree: str) -> dict[str, str]:
    """The triggers this module does the work of: the R-tree's and the feature count's."""
    names = (f"{rtree}_insert", f"trigger_insert_feature_count_{table}")
    placeholders = ", ".join("?" * len(names))
    rows = connection.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? "
        f"AND name IN ({placeholders})", (table, *names),
    )
    return {str(name): str(sql) for name, sql in rows}


def insert_features(
    connection: sqlite3.Connection, layer: LayerSpec, batch: CleanBatch,
    geometry_column: str | None, srs_id: int,
) -> None:
    if not batch.rows:
        return
    if geometry_column is None:  # a plain layer: no geometry, no R-tree
        _insert_plain(connection, layer, batch)
        return
    table = layer.table
    rtree = f"rtree_{table}_{geometry_column}"
    triggers = _insert_triggers(connection, table, rtree)
    for name in triggers:
        connection.execute(f"DROP TRIGGER {quote(name)}")
    first = _next_fid(connection, table)
    fids = range(first, first + len(batch.rows))
    geometries = [g for g in batch.geometries if g is not None]
    blobs = encode_blobs(geometries, srs_id)
    names = ["fid", *batch.names, geometry_column]
    connection.executemany(
        f"INSERT INTO {quote(table)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join('?' * len(names))})",
        ((fid, *row, blob) for fid, row, blob in zip(fids, batch.rows, blobs, strict=True)),
    )
    if f"{rtree}_insert" in triggers:
        bounds = shapely.bounds(np.asarray(geometries, dtype=object))
        if len(bounds) >= rtree_size(connection, rtree):  # packing all beats inserting these
            rebuild_with(connection, rtree, np.asarray(fids), bounds)
        else:
            _insert_entries(connection, rtree, fids, bounds)
    if f"trigger_insert_feature_count_{table}" in triggers:
        connection.execute(
            "UPDATE gpkg_ogr_contents SET feature_count = feature_count + ? "
            "WHERE lower(table_name) = lower(?)", (len(batch.rows), table),
        )
    for sql in triggers.values():
        connection.execute(sql)


def _insert_entries(
    connection: sqlite3.Connection, rtree: str, fids: range, bounds: np.ndarray
) -> None:
    """One R-tree entry per new feature, as GDAL's insert trigger writes it."""
    connection.executemany(
        f"INSERT OR REPLACE INTO {quote(rtree)} VALUES (?, ?, ?, ?, ?)",
        ((fid, b[0], b[2], b[1], b[3]) for fid, b in zip(fids, bounds.tolist(), strict=True)),
    )


def _next_fid(connection: sqlite3.Connection, table: str) -> int:
    """The fid SQLite would give next: past every fid used, deleted ones too (AUTOINCREMENT)."""
    largest = int(connection.execute(f"SELECT coalesce(max(fid), 0) FROM {quote(table)}")
                  .fetchone()[0])
    has_sequence = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone()
    if has_sequence:
        used = connection.execute("SELECT seq FROM sqlite_sequence WHERE name = ?",
                                  (table,)).fetchone()
        largest = max(largest, int(used[0]) if used else 0)
    return largest + 1


def _insert_plain(connection: sqlite3.Connection, layer: LayerSpec, batch: CleanBatch) -> None:
    """A plain table has no R-tree; its triggers, if any, are cheap SQL and stay."""
    connection.executemany(
        f"INSERT INTO {quote(layer.table)} ({', '.join(quote(n) for n in batch.names)}) "
        f"VALUES ({', '.join('?' * len(batch.names))})",
        batch.rows,
    )


def insert_records(
    connection: sqlite3.Connection, table: str, columns: Sequence[str],
    rows: Iterable[Sequence[str | None]],
) -> None:
    connection.executemany(
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})",
        rows,
    )
