"""Assets from CSV: one row per asset, placed by longitude/latitude, easting/northing or postcode.

``longitude``/``latitude`` are WGS84 degrees (EPSG:4326) and ``easting``/
``northing`` British National Grid metres (EPSG:27700). A row with neither
is placed at its postcode. Column names are matched ignoring case, spaces
and hyphens ("Opening times" is ``opening_times``).
"""

from __future__ import annotations

import csv
import io

from assetmap.crs import METRIC_CRS, WEB_CRS
from assetmap.errors import DataError
from assetmap.layers import LayerSpec
from assetmap.register.imports.model import Problem, SourceRow, SourceTable
from assetmap.register.imports.readers.text import column_key, decode_text

__all__ = ["COORDINATE_COLUMNS", "parse_number", "read_csv", "read_csv_records"]

# (x column, y column, CRS, what to call them): aliases are matched after column_key().
COORDINATE_COLUMNS = (
    (("longitude", "lon", "lng", "long"), ("latitude", "lat"), WEB_CRS, "longitude/latitude"),
    (("easting", "eastings"), ("northing", "northings"), METRIC_CRS, "easting/northing"),
)


def parse_number(text: str) -> float | None:
    try:
        return float(text.strip().replace("\u2212", "-"))
    except ValueError:
        return None


def read_csv_records(
    data: bytes, name: str, *, max_rows: int
) -> tuple[list[str], list[tuple[int, list[str]]], list[Problem]]:
    """Header, (line number, cells) per non-blank row, and warnings (e.g. the encoding).

    Line numbers count physical lines from 1 (the header), so a cell with a
    line break inside quotes does not shift later rows' numbers.
    """
    text, warnings = decode_text(data, name)
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    records: list[tuple[int, list[str]]] = []
    last_line = 0
    try:
        for cells in reader:
            line, last_line = last_line + 1, reader.line_num
            if not "".join(cells).strip():  # a blank row (one string: C speed)
                continue
            if header is None:
                header = cells
                continue
            if len(records) >= max_rows:
                raise DataError(
                    f"{name}: more than {max_rows:,} rows, the most one import takes "
                    "(ASSETMAP_IMPORT_MAX_ROWS). Split the file and import each part."
                )
            records.append((line, cells))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise DataError(
                f"{name}: line {last_line + 1}: a cell holds more than "
                f"{csv.field_size_limit():,} characters, far more than any field takes "
                "(names 200, text 2,000). Check for an unclosed quote (\") before it, "
                "or shorten the cell."
            ) from None
        raise DataError(f"{name}: line {last_line + 1}: cannot read the CSV ({exc})") from exc
    if header is None:
        raise DataError(f"{name}: the file is empty; expected a header row and one row per asset")
    if len(header) == 1 and ";" in header[0]:
        raise DataError(
            f"{name}: the columns are separated by semicolons; save the file with commas "
            "(in Excel: Save As → \"CSV UTF-8 (Comma delimited)\")"
        )
    return header, records, warnings


def _columns(header: list[str], name: str) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, raw in enumerate(header):
        key = column_key(raw)
        if not key:
            continue
        if key in positions:
            raise DataError(
                f"{name}: columns {positions[key] + 1} and {index + 1} are both called {raw!r}; "
                "rename or remove one"
            )
        positions[key] = index
    return positions


def _coordinate_pairs(positions: dict[str, int], name: str) -> list[tuple[int, int, str, str]]:
    pairs = []
    for x_names, y_names, crs, label in COORDINATE_COLUMNS:
        x = next((positions[n] for n in x_names if n in positions), None)
        y = next((positions[n] for n in y_names if n in positions), None)
        if (x is None) != (y is None):
            have, lack = label.split("/") if x is not None else label.split("/")[::-1]
            raise DataError(f"{name}: there is a {have} column but no {lack} column; add it")
        if x is not None and y is not None:
            pairs.append((x, y, crs, label))
    return pairs


def _position(row: SourceRow, cells: list[str], pairs: list[tuple[int, int, str, str]]) -> None:
    """Set the row's coordinates from the first pair of columns it fills."""
    for x_col, y_col, crs, label in pairs:
        x_text = cells[x_col].strip() if x_col < len(cells) else ""
        y_text = cells[y_col].strip() if y_col < len(cells) else ""
        if not x_text and not y_text:
            continue
        x_name, y_name = label.split("/")
        if not x_text or not y_text:
            empty = x_name if not x_text else y_name
            row.problems.append(Problem(
                where=row.where, row=row.row, field=empty, value="",
                problem=f"is empty but {y_name if empty == x_name else x_name} is not",
                fix=f"give both {x_name} and {y_name}, or neither (the postcode then places it)",
            ))
            return
        x, y = parse_number(x_text), parse_number(y_text)
        for column, text, number in ((x_name, x_text, x), (y_name, y_text, y)):
            if number is None:
                unit = "decimal degrees, e.g. -1.1398" if crs == WEB_CRS else "metres, e.g. 458500"
                row.problems.append(Problem(
                    where=row.where, row=row.row, field=column, value=text,
                    problem="is not a number", fix=f"give {unit}",
                ))
        if x is not None and y is not None:
            row.xy, row.crs, row.coordinates = (x, y), crs, label
        return


def read_csv(data: bytes, name: str, layer: LayerSpec, *, max_rows: int) -> SourceTable:
    header, records, warnings = read_csv_records(data, name, max_rows=max_rows)
    positions = _columns(header, name)
    pairs = _coordinate_pairs(positions, name)
    coordinate_columns = {i for x, y, _, _ in pairs for i in (x, y)}
    fields = {key: index for key, index in positions.items() if key in layer.field_names}
    ignored = [header[i] for key, i in positions.items()
               if key not in fields and i not in coordinate_columns]
    if ignored:
        warnings.append(Problem(
            where=name, field="", value="",
            problem=f"column(s) {', '.join(map(repr, ignored))} are not fields of {layer.name} "
            "and were ignored",
            fix=f"rename them to one of: {', '.join(layer.field_names)}, if they were meant "
            "as one",
        ))
    width = len(header)
    rows = []
    for line, cells in records:
        row = SourceRow(row=line, where=f"line {line}", values={})
        if len(cells) > width:
            row.problems.append(Problem(
                where=row.where, row=line, field="", value="",
                problem=f"has {len(cells)} cells but the header has {width} columns",
                fix="put double quotes around any cell that contains a comma",
            ))
        if len(cells) >= width:
            row.values = {key: cells[index] for key, index in fields.items()}
        else:
            row.values = {key: cells[index] if index < len(cells) else ""
                          for key, index in fields.items()}
        _position(row, cells, pairs)
        rows.append(row)
    return SourceTable(name=name, format="CSV", rows=rows, warnings=warnings)
