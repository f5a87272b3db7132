"""What a GeoPackage's layer really is, asked of SQLite before GDAL reads it.

A GeoPackage's own bookkeeping can lie: ``gpkg_ogr_contents`` keeps a feature
count that GDAL trusts (a file claiming 1 feature while holding 150,000 was
imported 1 row long, and slipped past the row limit), and a layer may be a
view — a saved query — that runs whenever it is read (a 72 KB recursive view
took seconds per request). So the layers are listed from ``gpkg_contents``,
a view is refused, the rows are counted here and a count that disagrees with
the declared one is refused. Every query has a time budget.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from assetmap.errors import DataError

__all__ = ["GpkgTable", "count_rows", "inspect_gpkg"]

_BUDGET_S = 5.0  # far more than counting 100,000 rows takes


@dataclass(frozen=True)
class GpkgTable:
    """A layer as stored: its name, whether it is a view, and its rows counted by SQLite."""

    name: str
    is_view: bool
    declared: int | None  # gpkg_ogr_contents.feature_count, when the file keeps one


@contextlib.contextmanager
def _connection(data: bytes, name: str) -> Iterator[sqlite3.Connection]:
    with tempfile.TemporaryDirectory(prefix="assetmap-gpkg-") as folder:
        path = Path(folder) / "upload.gpkg"
        path.write_bytes(data)
        try:
            connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        except sqlite3.Error as exc:
            raise DataError(f"{name}: not a readable GeoPackage ({exc})") from None
        started = time.monotonic()
        connection.set_progress_handler(lambda: int(time.monotonic() - started > _BUDGET_S),
                                        10_000)
        try:
            yield connection
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise DataError(
                    f"{name}: reading the GeoPackage took longer than {_BUDGET_S:g} s, far "
                    "longer than a file of assets needs; re-export it as a plain table "
                    "(ogr2ogr -f GPKG fixed.gpkg FILE)"
                ) from None
            raise DataError(f"{name}: not a readable GeoPackage ({exc})") from None
        except sqlite3.DatabaseError as exc:
            raise DataError(f"{name}: not a readable GeoPackage ({exc})") from None
        finally:
            connection.close()


def _declared_counts(connection: sqlite3.Connection) -> dict[str, int]:
    has_counts = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_ogr_contents'"
    ).fetchone()
    if not has_counts:
        return {}
    rows = connection.execute("SELECT table_name, feature_count FROM gpkg_ogr_contents")
    return {str(table): int(count) for table, count in rows if count is not None}


def inspect_gpkg(data: bytes, name: str) -> list[GpkgTable]:
    """The file's feature and attribute layers, in ``gpkg_contents`` order."""
    with _connection(data, name) as connection:
        kinds = dict(connection.execute("SELECT name, type FROM sqlite_master"))
        if "gpkg_contents" not in kinds:
            raise DataError(f"{name}: not a GeoPackage (it has no gpkg_contents table)")
        declared = _declared_counts(connection)
        listed = [str(row[0]) for row in connection.execute(
            "SELECT table_name FROM gpkg_contents WHERE data_type IN ('features', 'attributes') "
            "ORDER BY rowid")]
        return [GpkgTable(table, kinds.get(table) == "view", declared.get(table))
                for table in listed]


def count_rows(data: bytes, name: str, table: str) -> int:
    """The rows the table holds, counted by SQLite (not the file's own record of them)."""
    quoted = '"' + table.replace('"', '""') + '"'
    with _connection(data, name) as connection:
        return int(connection.execute(f"SELECT COUNT(*) FROM {quoted}").fetchone()[0])
