"""Load one store into another (``assetmap copy``): GeoPackage to PostGIS and back.

Everything the contract can read is copied — every declared layer the source
has, its metadata and the register's record tables with rows — and the
destination takes it in one ``replace_tables`` call, so it changes all or
nothing. A destination GeoPackage that does not exist yet is created.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from assetmap.errors import ValidationFailed
from assetmap.layers import LayerCatalog
from assetmap.store import location_label, open_store
from assetmap.store.base import RECORD_TABLES, Store
from assetmap.store.gpkg_write import write_geopackage
from assetmap.store.plain import table_frame

__all__ = ["CopyResult", "copy_store", "is_empty", "read_tables"]

_METADATA_TABLE = "assetmap_metadata"


@dataclass(frozen=True)
class CopyResult:
    """What ``copy_store`` did: rows per table, or why it wrote nothing."""

    destination: str  # fit to print: a URL loses its password
    counts: dict[str, int]
    skipped: str | None = None


def read_tables(source: Store, catalog: LayerCatalog) -> dict[str, pd.DataFrame]:
    """Every table of ``source`` the contract knows, as frames ``replace_tables`` takes."""
    tables: dict[str, pd.DataFrame] = {}
    for layer in catalog.values():
        if source.has_layer(layer):
            tables[layer.table] = table_frame(layer, source.read(layer))
    metadata = source.metadata()
    if metadata:
        tables[_METADATA_TABLE] = pd.DataFrame(
            {"key": list(metadata), "value": list(metadata.values())}
        )
    for table, columns in RECORD_TABLES.items():
        rows = source.records(table)
        if rows:
            tables[table] = pd.DataFrame(rows, columns=["id", *columns])
    return tables


def is_empty(store: Store, catalog: LayerCatalog) -> bool:
    """True when no declared layer has a feature (a fresh database, say)."""
    return all(store.count(layer) == 0 for layer in catalog.values())


def copy_store(
    source: str, dest: str, catalog: LayerCatalog, *, if_empty: bool = False
) -> CopyResult:
    """Copy ``source`` into ``dest`` (store locations as in ``ASSETMAP_STORE``)."""
    if source.strip() == dest.strip():
        raise ValidationFailed("SOURCE and DEST are the same store; name two different stores")
    new_file = _new_geopackage(dest)
    reader = open_store(source)
    try:
        if new_file is None:
            writer = open_store(dest)
            try:
                label = location_label(dest)
                if if_empty and not is_empty(writer, catalog):
                    return CopyResult(label, {}, skipped=f"{label} already has data")
                tables = read_tables(reader, catalog)
                writer.replace_tables(tables)
            finally:
                writer.close()
        else:
            label = str(new_file)
            tables = read_tables(reader, catalog)
            write_geopackage(new_file, tables)
    finally:
        reader.close()
    return CopyResult(label, {name: len(frame) for name, frame in tables.items()})


def _new_geopackage(location: str) -> Path | None:
    """The path when ``location`` names a GeoPackage that does not exist yet."""
    if location.startswith(("postgresql://", "postgres://")):
        return None
    path = Path(location.removeprefix("gpkg:"))
    return path if path.suffix.lower() == ".gpkg" and not path.exists() else None
