"""Replace one whole table inside an open GeoPackage transaction (``Transaction.replace_table``).

:meth:`GeoPackageStore.replace_tables` writes a copy of the file and moves it
into place; inside a transaction the file cannot be swapped, so the table is
replaced in the file itself. GDAL (through pyogrio) first writes the frame,
alone, to a scratch GeoPackage, exactly as ``replace_tables`` would have
written it; then, on the transaction's connection, the old table, its R-tree
index and triggers and its rows in the ``gpkg_*`` registry tables are dropped
and the scratch file's are copied in: table definition, rows, R-tree entries,
indexes, triggers, ``gpkg_contents`` (stamped now, which changes the store's
version), ``gpkg_geometry_columns``, ``gpkg_extensions`` and
``gpkg_ogr_contents``. The scratch file is written at the store file's
GeoPackage version, so the triggers copied are the ones that version uses. The
result is the file GDAL would have written, so ``ogrinfo``, GDAL's
``validate_gpkg.py`` and QGIS accept it as before.
"""

from __future__ import annotations

import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import pandas as pd

import geopandas as gpd
import pyogrio

from assetmap.crs import to_metric
from assetmap.formats.gpkg import GPKG_VERSION
from assetmap.store.geopackage.sqlite import last_change_now, quote, table_columns
from assetmap.store.gpkg_write import layer_options

__all__ = ["replace_table_in_file"]

# Registry tables holding one or more rows per user table (GeoPackage 1.2 and GDAL's own).
_REGISTRIES = ("gpkg_contents", "gpkg_geometry_columns", "gpkg_extensions", "gpkg_ogr_contents",
               "gpkg_data_columns", "gpkg_metadata_reference")
_BATCH = 5_000


def replace_table_in_file(connection: sqlite3.Connection, name: str, frame: pd.DataFrame) -> None:
    """Replace (or create) table ``name`` on ``connection``, which is inside ``BEGIN IMMEDIATE``."""
    if isinstance(frame, gpd.GeoDataFrame):
        frame = to_metric(frame, name)
    with tempfile.TemporaryDirectory(prefix="assetmap-table-") as folder:
        scratch = Path(folder) / "table.gpkg"
        pyogrio.write_dataframe(frame, scratch, layer=name, driver="GPKG",
                                dataset_options={"VERSION": _version_of(connection)},
                                layer_options=layer_options(name))
        with closing(sqlite3.connect(scratch)) as source:
            _drop(connection, name)
            _copy(source, connection, name)


def _version_of(connection: sqlite3.Connection) -> str:
    """The file's GeoPackage version ("1.2"), so the copied triggers are the ones it uses."""
    (number,) = connection.execute("PRAGMA user_version").fetchone()
    major, minor = divmod(int(number) // 100, 100)
    return f"{major}.{minor}" if major == 1 and minor in (2, 3, 4) else GPKG_VERSION


def _rtrees(connection: sqlite3.Connection, name: str) -> list[str]:
    if not table_columns(connection, "gpkg_extensions"):
        return []
    rows = connection.execute(
        "SELECT column_name FROM gpkg_extensions WHERE lower(table_name) = lower(?) "
        "AND extension_name = 'gpkg_rtree_index'", (name,)
    ).fetchall()
    return [f"rtree_{name}_{column}" for (column,) in rows]


def _drop(connection: sqlite3.Connection, name: str) -> None:
    """The table, its R-tree (triggers and indexes go with the table) and its registry rows."""
    for rtree in _rtrees(connection, name):
        connection.execute(f"DROP TABLE IF EXISTS {quote(rtree)}")
    connection.execute(f"DROP TABLE IF EXISTS {quote(name)}")
    for registry in _REGISTRIES:
        if table_columns(connection, registry):
            connection.execute(
                f"DELETE FROM {registry} WHERE lower(table_name) = lower(?)", (name,)
            )


def _schema(source: sqlite3.Connection, kind: str, table: str) -> list[str]:
    rows = source.execute(
        "SELECT sql FROM sqlite_master WHERE type = ? AND tbl_name = ? AND sql IS NOT NULL "
        "ORDER BY rowid", (kind, table),
    ).fetchall()
    return [sql for (sql,) in rows]


def _copy_rows(source: sqlite3.Connection, target: sqlite3.Connection, table: str,
               where: str = "", parameters: tuple[str, ...] = (), verb: str = "INSERT") -> None:
    # By name: a registry table in an older file may order its columns differently.
    names = [n for n in table_columns(source, table) if n in set(table_columns(target, table))]
    listed = ", ".join(quote(n) for n in names)
    cursor = source.execute(f"SELECT {listed} FROM {quote(table)} {where}", parameters)
    insert = f"{verb} INTO {quote(table)} ({listed}) VALUES ({', '.join('?' * len(names))})"
    while rows := cursor.fetchmany(_BATCH):
        target.executemany(insert, rows)


def _copy(source: sqlite3.Connection, target: sqlite3.Connection, name: str) -> None:
    # Table and rows first, the R-tree filled from the scratch file's, triggers last: as GDAL
    # builds a new layer, and without running the R-tree triggers once per row.
    for statement in _schema(source, "table", name):
        target.execute(statement)
    _copy_rows(source, target, name)
    for rtree in _rtrees(source, name):
        (statement,) = source.execute(
            "SELECT sql FROM sqlite_master WHERE name = ?", (rtree,)
        ).fetchone()
        target.execute(statement)
        _copy_rows(source, target, rtree)
    for kind in ("index", "trigger"):
        for statement in _schema(source, kind, name):
            target.execute(statement)
    srs = source.execute(
        "SELECT srs_id FROM gpkg_contents WHERE table_name = ?", (name,)
    ).fetchone()
    if srs is not None and srs[0] is not None:
        _copy_rows(source, target, "gpkg_spatial_ref_sys", "WHERE srs_id = ?", (srs[0],),
                   verb="INSERT OR IGNORE")
    for registry in _REGISTRIES:
        if not table_columns(source, registry):
            continue
        if not table_columns(target, registry):  # e.g. a store with no spatial index yet
            for statement in _schema(source, "table", registry):
                target.execute(statement)
        _copy_rows(source, target, registry, "WHERE lower(table_name) = lower(?)", (name,))
    target.execute("UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?",
                   (last_change_now(), name))
