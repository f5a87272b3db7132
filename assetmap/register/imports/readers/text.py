"""Bytes to text, and column names to field names, the same way for every format."""

from __future__ import annotations

import re

from assetmap.errors import DataError
from assetmap.register.imports.model import Problem

__all__ = ["column_key", "decode_text", "describe_size"]

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def describe_size(n_bytes: int) -> str:
    return f"{n_bytes / 1_000_000:.1f} MB" if n_bytes >= 100_000 else f"{n_bytes:,} bytes"


def decode_text(data: bytes, name: str, *, allow_windows: bool = True) -> tuple[str, list[Problem]]:
    """UTF-8 text (with or without a byte-order mark); Windows-1252 as a fallback, with a warning.

    Spreadsheets on Windows save "CSV" in Windows-1252 unless told "CSV UTF-8",
    so that fallback is common and usually right; anything else is refused.
    """
    if data.startswith(_UTF16_BOMS):
        raise DataError(
            f"{name}: the file is UTF-16 text. Save it as UTF-8 (in Excel: Save As → "
            "\"CSV UTF-8 (Comma delimited)\") and try again."
        )
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        where = f"line {line}"
        if not allow_windows:
            raise DataError(
                f"{name}: {where}: not UTF-8 text (byte 0x{data[exc.start]:02x}). "
                "Save the file as UTF-8 and try again."
            ) from exc
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{name}: {where}: not UTF-8 text, nor Windows-1252. Save it as UTF-8 (in Excel: "
            "Save As → \"CSV UTF-8 (Comma delimited)\") and try again."
        ) from exc
    warning = Problem(
        where=name, field="", value="",
        problem=f"not UTF-8 (first non-UTF-8 byte on {where}); read as Windows-1252",
        fix="check accented letters and symbols (é, £, ’) came through; to be sure, save the "
        "file as \"CSV UTF-8\"",
    )
    return text, [warning]


def column_key(name: str) -> str:
    """``" Opening times "`` → ``opening_times``: how a column or property names a field."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())
