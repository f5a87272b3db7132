"""GeoPackage geometry blobs (OGC 12-128r18, §2.1.3): a small header, then WKB.

Reading and writing blobs ourselves lets the GeoPackage backend use plain
``sqlite3`` transactions while staying byte-compatible with GDAL and QGIS.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

import numpy as np

import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["decode_blobs", "encode_blob", "encode_blobs", "envelope"]

# Doubles in the envelope for each envelope indicator (bits 1-3 of the flags byte).
_ENVELOPE_DOUBLES = {0: 0, 1: 4, 2: 6, 3: 6, 4: 8}
_HEADER = 8  # "GP", version, flags, int32 srs_id
_EMPTY_FLAG = 0b0001_0000


def _wkb_offset(blob: bytes) -> int:
    if blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry blob (missing 'GP' magic)")
    indicator = (blob[3] >> 1) & 0b111
    return _HEADER + 8 * _ENVELOPE_DOUBLES[indicator]


def decode_blobs(blobs: Sequence[bytes | None]) -> np.ndarray:
    """Decode many blobs at once into an array of shapely geometries (None stays None)."""
    wkb = [None if blob is None else blob[_wkb_offset(blob) :] for blob in blobs]
    return np.asarray(shapely.from_wkb(wkb), dtype=object)


def envelope(blob: bytes) -> tuple[float, float, float, float] | None:
    """(minx, maxx, miny, maxy) of a blob, from its header when it has one."""
    if blob[3] & _EMPTY_FLAG:
        return None
    indicator = (blob[3] >> 1) & 0b111
    if indicator:
        order = "<" if blob[3] & 1 else ">"
        minx, maxx, miny, maxy = struct.unpack_from(order + "4d", blob, _HEADER)
        return minx, maxx, miny, maxy
    geometry = shapely.from_wkb(blob[_HEADER:])
    if geometry.is_empty:
        return None
    x0, y0, x1, y1 = geometry.bounds
    return x0, x1, y0, y1


def encode_blob(geometry: BaseGeometry, srs_id: int) -> bytes:
    """Little-endian blob; points carry no envelope (as GDAL writes them)."""
    empty = geometry.is_empty
    with_envelope = not empty and geometry.geom_type != "Point"
    flags = 0b1 | (_EMPTY_FLAG if empty else 0) | ((1 << 1) if with_envelope else 0)
    header = b"GP" + bytes((0, flags)) + struct.pack("<i", srs_id)
    if with_envelope:
        x0, y0, x1, y1 = geometry.bounds
        header += struct.pack("<4d", x0, x1, y0, y1)
    wkb: bytes = shapely.to_wkb(geometry, byte_order=1)
    return header + wkb


def encode_blobs(geometries: Sequence[BaseGeometry], srs_id: int) -> list[bytes]:
    """Many blobs at once: points share one header and their WKB is made in one call."""
    if not all(g.geom_type == "Point" and not g.is_empty for g in geometries):
        return [encode_blob(g, srs_id) for g in geometries]
    header = b"GP" + bytes((0, 0b1)) + struct.pack("<i", srs_id)
    wkb = shapely.to_wkb(np.asarray(geometries, dtype=object), byte_order=1)
    return [header + one for one in wkb]
