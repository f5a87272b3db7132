"""Spreadsheet-bound text: formula-looking cells are defused, everything else is untouched."""

from __future__ import annotations

import pandas as pd
import pytest

from assetmap.formats.csv import (
    data_csv_bytes,
    neutralise,
    neutralise_formulas,
    rows_csv_bytes,
    table_csv_bytes,
)


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_formula_starts_get_a_quote(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Ashby-de-la-Zouch", "Café = meeting place", "", None, -1, 2.5])
def test_other_values_are_unchanged(value: object) -> None:
    assert neutralise(value) == value


def test_neutralise_leaves_numbers_and_plain_text() -> None:
    frame = pd.DataFrame({"n": [-1, 2], "x": [-1.5, 0.5], "text": ["-x", "Ashby-de-la-Zouch"]})
    out = neutralise_formulas(frame)
    assert list(out["n"]) == [-1, 2]
    assert list(out["x"]) == [-1.5, 0.5]
    assert list(out["text"]) == ["'-x", "Ashby-de-la-Zouch"]
    assert list(frame["text"]) == ["-x", "Ashby-de-la-Zouch"], "the input is not changed"


def test_table_bytes_are_excel_safe_utf8_with_bom_and_crlf() -> None:
    frame = pd.DataFrame({"name": ["Café", "=1+1"], "n": [-1, 2]})
    data = table_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf"), "a byte-order mark for Excel"
    assert data.decode("utf-8-sig") == "name,n\r\nCafé,-1\r\n'=1+1,2\r\n"


def test_rows_bytes_defuse_cells_and_write_none_empty() -> None:
    data = rows_csv_bytes(["severity", "value"], [["error", "@SUM(A1)"], ["warning", None]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == "severity,value\r\nerror,'@SUM(A1)\r\nwarning,\r\n"


def test_rows_bytes_quote_commas_and_newlines() -> None:
    data = rows_csv_bytes(["a"], [["x, y"], ["two\nlines"]])
    assert data.decode("utf-8-sig") == 'a\r\n"x, y"\r\n"two\nlines"\r\n'


def test_data_bytes_are_plain_for_importers() -> None:
    data = data_csv_bytes(["code", "value"], [["E1", "-2"], ["E2", None], ["E3", "=x"]])
    assert data == b"code,value\nE1,-2\nE2,\nE3,=x\n", "no BOM, LF, nothing defused"
