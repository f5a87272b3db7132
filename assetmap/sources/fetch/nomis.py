"""Nomis API CSV downloads, paged past the 25,000-row guest limit.

Nomis answers a bad query with HTTP 200 and an empty or header-only body, so a
page without the ``OBS_VALUE`` column is an error, not "no data". Paging stops
at the ``RECORD_COUNT`` Nomis reports (when selected) or at a short page.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assetmap.formats.csv import data_csv_bytes
from assetmap.sources.fetch.arcgis import Progress
from assetmap.sources.fetch.errors import FetchError
from assetmap.sources.fetch.http import Check, Downloader, Request, Response

__all__ = ["NomisTable", "fetch_table", "pivot"]

_MAX_PAGES = 400
_SINGLE_AGE = re.compile(r"Aged? (\d{1,3})\+?", re.IGNORECASE)  # "Age 7", "Aged 90+"


@dataclass
class NomisTable:
    header: list[str]
    rows: list[list[str]]
    request: Request
    responses: list[Response] = field(default_factory=list)

    def to_csv(self) -> bytes:
        return data_csv_bytes(self.header, self.rows)


def fetch_table(downloader: Downloader, url: str, params: Sequence[tuple[str, str]], *,
                page_size: int, hint: str, progress: Progress | None = None) -> NomisTable:
    check = _checker(url, hint)
    table = NomisTable([], [], Request(url, list(params)))
    for _ in range(_MAX_PAGES):
        page = Request(url, [*params, ("RecordOffset", str(len(table.rows)))])
        response = downloader.fetch(page, check)
        table.responses.append(response)
        header, rows = _parse(response.content)
        if not table.header:
            table.header = header
        elif header != table.header:
            raise FetchError(f"{url}: pages have different columns; run again with --refresh")
        table.rows.extend(rows)
        if progress is not None:
            progress.update(len(rows))
        expected = _record_count(header, rows)
        done = len(table.rows) >= expected if expected is not None else len(rows) < page_size
        if done or not rows:
            break
    else:
        raise FetchError(f"{url}: still paging after {_MAX_PAGES} pages; {hint}")
    if not table.rows:
        raise FetchError(f"{url}: Nomis returned no rows; {hint}")
    return table


def _parse(content: bytes) -> tuple[list[str], list[list[str]]]:
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    header = next(reader, [])
    return header, [row for row in reader if row]


def _record_count(header: list[str], rows: list[list[str]]) -> int | None:
    if "RECORD_COUNT" not in header or not rows:
        return None
    value = rows[0][header.index("RECORD_COUNT")].strip()
    return int(value) if value.isdigit() else None


def _checker(url: str, hint: str) -> Check:
    def check(content: bytes) -> None:
        try:
            header, _ = _parse(content)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise FetchError(f"{url}: the answer is not CSV ({exc}); {hint}") from exc
        if "OBS_VALUE" not in header:
            start = content[:120].decode("utf-8", "replace").strip() or "an empty body"
            raise FetchError(f"{url}: Nomis answered without data ({start!r}); {hint}")

    return check


def pivot(table: NomisTable, code_column: str, *, hint: str) -> tuple[bytes, int]:
    """One row per area: ``code_column``, ``date``, then one column per age.

    Ages are named as the population importer reads them: "All Ages" stays, single
    years ("Age 7", "Aged 90+") become ``age_7``, ``age_90``.
    """
    url = table.request.url
    index = {name: i for i, name in enumerate(table.header)}
    missing = [c for c in ("GEOGRAPHY_CODE", "C_AGE_NAME", "OBS_VALUE") if c not in index]
    if missing:
        raise FetchError(f"{url}: cannot write one row per area without {', '.join(missing)}; "
                         f"{hint}")
    dates = {row[index["DATE_NAME"]] for row in table.rows} if "DATE_NAME" in index else set()
    if len(dates) > 1:
        raise FetchError(f"{url}: estimates for {len(dates)} dates ({', '.join(sorted(dates))}); "
                         f"ask for one (date: latest); {hint}")
    areas: dict[str, dict[str, str]] = {}
    columns: dict[str, None] = {}
    for row in table.rows:
        code, age = row[index["GEOGRAPHY_CODE"]], _age_column(row[index["C_AGE_NAME"]])
        values = areas.setdefault(code, {})
        if age in values:
            raise FetchError(f"{url}: two values for {code}, {age}: ask for one gender and "
                             f"one measure; {hint}")
        values[age] = row[index["OBS_VALUE"]]
        columns[age] = None
    date = next(iter(dates), "")
    rows = ([code, date, *(values.get(column, "") for column in columns)]
            for code, values in areas.items())
    return data_csv_bytes([code_column, "date", *columns], rows), len(areas)


def _age_column(name: str) -> str:
    match = _SINGLE_AGE.fullmatch(name.strip())
    return f"age_{int(match.group(1))}" if match else name.strip()
