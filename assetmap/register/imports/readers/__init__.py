"""Pick the reader by file name, after the guard rails on size."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from assetmap.errors import DataError, PayloadTooLarge
from assetmap.layers import LayerSpec
from assetmap.register.imports.gc_pause import collection_paused
from assetmap.register.imports.model import SourceTable
from assetmap.register.imports.readers.csv import read_csv
from assetmap.register.imports.readers.geojson import read_geojson
from assetmap.register.imports.readers.gpkg import read_gpkg
from assetmap.register.imports.readers.text import describe_size

__all__ = ["DEFAULT_LIMITS", "FileTooLarge", "ImportLimits", "check_size", "read_asset_file"]


class FileTooLarge(PayloadTooLarge):
    """A file over ``import_max_bytes``, refused before it is read."""


@dataclass(frozen=True)
class ImportLimits:
    """The largest file and the most rows one import takes (settings ``import_max_*``)."""

    max_bytes: int = 20_000_000
    max_rows: int = 100_000


DEFAULT_LIMITS = ImportLimits()


def check_size(n_bytes: int, name: str, limits: ImportLimits) -> None:
    """Refuse a file over the limit before reading a byte of it."""
    if n_bytes > limits.max_bytes:
        raise FileTooLarge(
            f"{name} is {describe_size(n_bytes)}; the largest file one import takes is "
            f"{describe_size(limits.max_bytes)} (ASSETMAP_IMPORT_MAX_BYTES). Split it into "
            "smaller files and import each."
        )
    if n_bytes == 0:
        raise DataError(f"{name}: the file is empty")


@collection_paused()
def read_asset_file(
    data: bytes,
    filename: str,
    layer: LayerSpec,
    *,
    limits: ImportLimits = DEFAULT_LIMITS,
    source_layer: str | None = None,
) -> SourceTable:
    """Read a CSV, GeoJSON or GeoPackage file of assets into rows (nothing checked yet)."""
    name = PurePath(filename).name or "upload"
    check_size(len(data), name, limits)
    suffix = PurePath(name).suffix.lower()
    if suffix == ".csv":
        return read_csv(data, name, layer, max_rows=limits.max_rows)
    if suffix in (".geojson", ".json"):
        return read_geojson(data, name, layer, max_rows=limits.max_rows)
    if suffix == ".gpkg":
        return read_gpkg(data, name, layer, max_rows=limits.max_rows, source_layer=source_layer)
    raise DataError(
        f"{name}: unknown kind of file {suffix or '(no extension)'}; import a .csv, .geojson "
        "or .gpkg file"
    )
