"""Plain CSV files (IMD, Libraries Hacked) cut down to the county's rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from assetmap.errors import DataError
from assetmap.formats.csv import data_csv_bytes
from assetmap.sources.fetch.errors import FetchError
from assetmap.sources.fetch.http import Check

__all__ = ["checker", "filter_rows"]


def checker(url: str) -> Check:
    def check(content: bytes) -> None:
        try:
            header = next(csv.reader(io.StringIO(content[:65536].decode("utf-8-sig",
                                                                        "replace"))), [])
        except csv.Error as exc:
            raise FetchError(f"{url}: the answer is not CSV ({exc})") from exc
        if len(header) < 2 or header[0].lstrip().startswith("<"):
            raise FetchError(f"{url}: the answer is not a CSV table (starts "
                             f"{content[:60]!r}); the file may have moved")

    return check


def filter_rows(content: bytes, *, url: str, column: str | None,
                keep: Callable[[str], bool] | None, wanted: str) -> tuple[bytes, int]:
    """The CSV (UTF-8, no BOM) with only rows whose ``column`` passes ``keep``, and its rows."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    if not rows:
        raise FetchError(f"{url}: the file is empty")
    header, body = rows[0], [row for row in rows[1:] if row]
    if column is not None and keep is not None:
        if column not in header:
            raise FetchError(
                f"{url}: no column {column!r} (columns: {', '.join(header[:8])}…); the file's "
                "layout changed: update filter_column in the endpoints file"
            )
        index = header.index(column)
        body = [row for row in body if index < len(row) and keep(row[index].strip())]
        if not body:
            raise DataError(f"{url}: no rows where {column!r} is {wanted}; check the county code "
                            "or the filter in the endpoints file")
    return data_csv_bytes(header, body), len(body)
