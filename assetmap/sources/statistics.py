"""Small-area statistics from CSV: population, IMD 2019 deciles, OA→LSOA→district lookups,
and the ONS Rural-Urban Classification (RUC) of OAs or LSOAs.

Columns are found by pattern whatever the vintage in their names (``OA11CD``,
``OA21CD``, ``LSOA code (2011)``…). Each reader checks every row and fails
naming the row and field, so nothing half-read reaches a store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from assetmap.errors import DataError
from assetmap.sources.checks import (
    Field,
    ImportReport,
    examples,
    find_field,
    read_csv_table,
    reject_duplicates,
)

__all__ = ["RUC_URBAN", "StatisticsImport", "read_imd", "read_lookup", "read_population",
           "read_ruc"]

_OA = (r"OA(?P<yy>\d{2})CD", r"OA code \((?P<yyyy>\d{4})\)")
_LSOA = (r"LSOA(?P<yy>\d{2})CD", r"LSOA code \((?P<yyyy>\d{4})\)", r"LSOA_CODE")
_LSOA_NAME = (r"LSOA(?P<yy>\d{2})NM", r"LSOA name \((?P<yyyy>\d{4})\)")
_LAD = (r"LAD(?P<yy>\d{2})CD", r"LTLA(?P<yy>\d{2})CD",
        r"Local Authority District code \((?P<yyyy>\d{4})\)", r"LAD_CD")
_POPULATION = (r"All Ages", r"All_Ages", r"Total population.*", r"All usual residents",
               r"population", r"Total")
_AGE = re.compile(r"(?:age_?)?(\d{1,3})\+?", re.IGNORECASE)
_IMD_DECILE = (r"Index of Multiple Deprivation \(IMD\) Decile.*", r"IMD_?Decile.*",
               r"imd_decile")
_IMD_RANK = (r"Index of Multiple Deprivation \(IMD\) Rank.*", r"IMD_?Rank.*", r"imd_rank")
_IMD_SCORE = (r"Index of Multiple Deprivation \(IMD\) Score", r"IMD_?Score.*", r"imd_score")
OLDER_AGE = 65
_RUC_CODE = (r"RUC(?P<yy>\d{2})CD", r"RUC(?P<yy>\d{2})_?code", r"RUC_?code")
# Urban or rural from an RUC code: 2011 (OA: A1 … F2, LSOA: A1 … E2; A–C urban, D–F rural)
# and 2021 (UN1, UF1 urban; RLN1, RLF1, RSN1, RSF1 rural).
RUC_URBAN = {
    2011: {"A1": True, "B1": True, "C1": True, "C2": True, "D1": False, "D2": False,
           "E1": False, "E2": False, "F1": False, "F2": False},
    2021: {"UN1": True, "UF1": True, "RLN1": False, "RLF1": False, "RSN1": False,
           "RSF1": False},
}


@dataclass
class StatisticsImport:
    """A table read from CSV, keyed by ``code``; ``level`` is ``OA`` or ``LSOA``."""

    table: pd.DataFrame
    report: ImportReport
    level: str
    vintages: dict[str, int | None] = field(default_factory=dict)

    def summary(self) -> str:
        return self.report.summary()


def _require(columns: list[str], patterns: tuple[str, ...], path: Path, what: str) -> Field:
    chosen, _ = find_field(columns, patterns)
    if chosen is None:
        wanted = " or ".join(
            re.sub(r"\(\?P<(y+)>[^)]*\)", r"\1", p).replace("\\", "") for p in patterns[:3]
        )
        raise DataError(f"{path}: no {what} column (expected {wanted}); found {', '.join(columns)}")
    return chosen


def _whole_numbers(values: pd.Series, path: Path, column: str, *, low: int = 0,
                   high: int | None = None) -> np.ndarray:
    """Integers in [low, high]; any other value is an error naming its rows."""
    text = values.astype(str).str.strip().str.replace(",", "", regex=False)
    numbers = pd.to_numeric(text, errors="coerce")
    whole = numbers.notna() & (numbers == numbers.round()) & (numbers >= low)
    if high is not None:
        whole &= numbers <= high
    bad = ~whole.to_numpy(bool)
    if bad.any():
        rows = [f"row {i + 2} ({values.iloc[i]!r})" for i in np.flatnonzero(bad)]
        limits = f"from {low} to {high}" if high is not None else f"of {low} or more"
        raise DataError(
            f"{path}: `{column}` must be a whole number {limits}; "
            f"{int(bad.sum()):,} rows are not ({examples(rows)})."
        )
    return np.asarray(numbers.to_numpy(dtype=np.int64), dtype=np.int64)


def _codes(table: pd.DataFrame, column: str, path: Path, what: str) -> pd.Series:
    codes = table[column].str.strip()
    blank = (codes == "").to_numpy()
    if blank.any():
        rows = [f"row {i + 2}" for i in np.flatnonzero(blank)]
        raise DataError(f"{path}: `{column}` is empty in {examples(rows)}; every row needs "
                        f"its {what} code.")
    reject_duplicates(codes, path, what)
    return codes


def _by_area(path: Path) -> tuple[pd.DataFrame, list[str], Field | None, Field | None,
                                   Field, str]:
    """A CSV keyed by OA (else LSOA): table, columns, OA and LSOA fields, the key and level."""
    table = read_csv_table(path)
    columns = list(table.columns)
    oa, _ = find_field(columns, _OA)
    lsoa, _ = find_field(columns, _LSOA)
    key = oa or lsoa
    if key is None:
        raise DataError(f"{path}: no OAyyCD or LSOAyyCD column to say which area each row is; "
                        f"found {', '.join(columns[:12])}")
    return table, columns, oa, lsoa, key, "OA" if oa is not None else "LSOA"


def read_population(path: Path) -> StatisticsImport:
    """Residents per OA or LSOA (census or mid-year estimates), and the share aged 65+.

    The code column is ``OAyyCD`` (or else ``LSOAyyCD`` / ``LSOA code (yyyy)``); the
    total is ``All Ages``, ``Total population…`` or ``population``. Single-year age
    columns (``age_0`` … ``age_90`` or ``0`` … ``90+``) give ``share_65_plus``.
    """
    table, columns, oa, lsoa, key, level = _by_area(path)
    total = _require(columns, _POPULATION, path, "population total")
    report = ImportReport("areas", rows_read=len(table), vintage=f"{level} {key.vintage}")
    out = pd.DataFrame({"code": _codes(table, key.column, path, level).to_numpy()})
    out["population"] = _whole_numbers(table[total.column], path, total.column)
    if oa is not None and lsoa is not None:
        out["lsoa_code"] = table[lsoa.column].str.strip().replace("", None).to_numpy()
    ages = {int(m.group(1)): c for c in columns if (m := _AGE.fullmatch(c)) and c != total.column}
    if ages and max(ages) >= OLDER_AGE:
        counts = np.column_stack([
            _whole_numbers(table[column], path, column) for column in ages.values()
        ])
        older = counts[:, [age >= OLDER_AGE for age in ages]].sum(axis=1)
        summed = counts.sum(axis=1)
        differs = summed != out["population"].to_numpy()
        if differs.any():
            report.warnings.append(
                f"{path}: in {int(differs.sum()):,} rows the age columns do not add up to "
                f"`{total.column}` ({examples(out['code'][differs])}); the share aged "
                f"{OLDER_AGE}+ is taken over the sum of the age columns."
            )
        with np.errstate(invalid="ignore", divide="ignore"):
            out["share_65_plus"] = np.where(summed > 0, older / np.maximum(summed, 1), np.nan)
    else:
        report.warnings.append(f"{path}: no single-year age columns, so no share aged "
                               f"{OLDER_AGE}+.")
    report.kept = len(out)
    vintages = {level: key.year}
    if oa is not None and lsoa is not None:
        vintages["LSOA"] = lsoa.year
    return StatisticsImport(out, report, level, vintages)


def read_imd(path: Path) -> StatisticsImport:
    """IMD 2019 by LSOA: decile (1 = most deprived 10 %) and rank, score when given.

    Reads the ranks-and-deciles file (IoD2019 File 2) or any file with an LSOA code
    and an IMD decile column; ``imd_score`` comes only from files that have it.
    """
    table = read_csv_table(path)
    columns = list(table.columns)
    key = _require(columns, _LSOA, path, "LSOA code")
    decile = _require(columns, _IMD_DECILE, path, "IMD decile")
    report = ImportReport("LSOAs", rows_read=len(table), vintage=f"LSOA {key.vintage}")
    out = pd.DataFrame({"code": _codes(table, key.column, path, "LSOA").to_numpy()})
    out["imd_decile"] = _whole_numbers(table[decile.column], path, decile.column, low=1, high=10)
    rank, _ = find_field(columns, _IMD_RANK)
    if rank is not None:
        out["imd_rank"] = _whole_numbers(table[rank.column], path, rank.column, low=1)
    score, _ = find_field(columns, _IMD_SCORE)
    if score is not None:
        values = pd.to_numeric(table[score.column].str.strip(), errors="coerce")
        if values.isna().any():
            rows = [f"row {i + 2}" for i in np.flatnonzero(values.isna().to_numpy())]
            raise DataError(f"{path}: `{score.column}` must be a number ({examples(rows)})")
        out["imd_score"] = values.to_numpy(float)
    else:
        report.warnings.append(f"{path}: no IMD score column; deciles and ranks only.")
    name, _ = find_field(columns, _LSOA_NAME)
    if name is not None:
        out["lsoa_name"] = table[name.column].str.strip().to_numpy()
    report.kept = len(out)
    return StatisticsImport(out, report, "LSOA", {"LSOA": key.year})


def read_lookup(path: Path) -> StatisticsImport:
    """An OA → LSOA (→ district) lookup: ``code`` (the OA), ``lsoa_code``, ``lsoa_name``,
    ``district_code`` where the file has them."""
    table = read_csv_table(path)
    columns = list(table.columns)
    oa = _require(columns, _OA, path, "Output Area code")
    lsoa = _require(columns, _LSOA, path, "LSOA code")
    report = ImportReport("OAs", rows_read=len(table), vintage=f"OA {oa.vintage}")
    out = pd.DataFrame({
        "code": _codes(table, oa.column, path, "OA").to_numpy(),
        "lsoa_code": table[lsoa.column].str.strip().to_numpy(),
    })
    vintages: dict[str, int | None] = {"OA": oa.year, "LSOA": lsoa.year}
    name, _ = find_field(columns, _LSOA_NAME)
    if name is not None:
        out["lsoa_name"] = table[name.column].str.strip().to_numpy()
    lad, _ = find_field(columns, _LAD)
    if lad is not None:
        out["district_code"] = table[lad.column].str.strip().to_numpy()
        vintages["LAD"] = lad.year
    report.kept = len(out)
    return StatisticsImport(out, report, "OA", vintages)


def read_ruc(path: Path) -> StatisticsImport:
    """The ONS Rural-Urban Classification of OAs or LSOAs: ``code``, ``ruc_code``, ``urban``.

    The area column is ``OAyyCD`` or ``LSOAyyCD``; the class is ``RUCyyCD`` (2011:
    ``A1`` … ``F2``; 2021: ``UN1`` … ``RSF1``). ``vintages`` gives the areas' year
    and the classification's (``RUC``), which :func:`apply_ruc` checks against the store.
    """
    table, columns, _, _, key, level = _by_area(path)
    ruc = _require(columns, _RUC_CODE, path, "Rural-Urban Classification code")
    codes = table[ruc.column].str.strip().str.upper()
    year = ruc.year or key.year
    known = RUC_URBAN.get(year or 0) or {**RUC_URBAN[2011], **RUC_URBAN[2021]}
    unknown = ~codes.isin(list(known)).to_numpy()
    if unknown.any():
        rows = [f"row {i + 2} ({table[ruc.column].iloc[i]!r})" for i in np.flatnonzero(unknown)]
        raise DataError(
            f"{path}: `{ruc.column}` must be a Rural-Urban Classification "
            f"{year or ''} code ({', '.join(known)}); {int(unknown.sum()):,} rows are not "
            f"({examples(rows)})."
        )
    report = ImportReport(f"{level}s", rows_read=len(table), vintage=f"{level} {key.vintage}")
    out = pd.DataFrame({"code": _codes(table, key.column, path, level).to_numpy(),
                        "ruc_code": codes.to_numpy()})
    out["urban"] = codes.map(known).to_numpy(dtype=bool)
    report.kept = len(out)
    return StatisticsImport(out, report, level, {level: key.year, "RUC": ruc.year})
