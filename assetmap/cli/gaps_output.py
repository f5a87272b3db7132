"""What ``assetmap gaps`` prints: heading, warnings, the ranked table, the candidate sites.

Warnings come before the table (a planner reads them before trusting a rank), the
tables fit the terminal (``cli/text_table.py``), and unknown values read "n/a", as on
the report page. Threshold names stay codes here: they are what ``--set`` takes.
"""

from __future__ import annotations

import textwrap

from assetmap.analysis import DistrictReport
from assetmap.cli.text_table import text_table
from assetmap.reports.siting import siting_lines
from assetmap.reports.tables import HEADLINE_COLUMNS, rank_band_column, ranked_table, sites_table
from assetmap.reports.wording import plain_words

__all__ = ["ranking_lines"]

# The figures first, the candidate's (long) description last, folded to the width left.
_SITE_COLUMNS = ("Rank", "Newly covered residents", "District % outside after", "Postcode",
                 "Grid reference", "Candidate")


def _wrapped(text: str, width: int | None, indent: str = "") -> list[str]:
    if width is None:
        return [indent + text]
    return textwrap.wrap(text, width, initial_indent=indent,
                         subsequent_indent=" " * len(indent)) or [""]


def _left_out(columns: list[str], width: int | None) -> list[str]:
    if not columns:
        return []
    return _wrapped(f"Left out to fit {width} characters: {', '.join(columns)}. Use --wide "
                    "for every column, or --out FILE.csv for the whole table.", width)


def _ranked(report: DistrictReport, width: int | None) -> list[str]:
    table = ranked_table(report)
    if not len(table):
        return ["No community areas to rank."]
    table["Rank"] = rank_band_column(report)
    table["Reasons"] = [plain_words(text) for text in table["Reasons"]]
    details = [c for c in table.columns if c not in HEADLINE_COLUMNS and c != "Flags"]
    shown = text_table(table[[*HEADLINE_COLUMNS, *details]], width, wrap=("Reasons",))
    return shown.lines + _left_out(shown.left_out, width)


def _sites(report: DistrictReport, width: int | None) -> list[str]:
    if not len(report.sites):
        return ["Candidate sites: none would bring anyone new within a catchment."]
    table = sites_table(report)
    shown = text_table(table[list(_SITE_COLUMNS)], width, wrap=("Candidate",))
    lines = [f"Candidate sites, in the order picked (up to {report.n_sites}):", *shown.lines]
    return lines + _left_out(shown.left_out, width)


def ranking_lines(report: DistrictReport, all_areas: bool, width: int | None) -> list[str]:
    """Every line ``gaps`` prints for ``report``, none longer than ``width`` (when given)."""
    focus = "all community areas" if all_areas else "unparished areas"
    focus = report.focus_label if report.fallback_units else focus
    lines = _wrapped(f"Gap analysis: {report.district_name} ({report.district_code}), {focus}",
                     width)
    if report.synthetic:
        lines.append("Synthetic sample data: invented places, people and assets.")
    for warning in report.warnings:
        lines += _wrapped(plain_words(warning), width, "warning: ")
    thresholds = ", ".join(f"{k}={str(v).lower() if isinstance(v, bool) else format(v, 'g')}"
                           for k, v in report.result.thresholds.items())
    lines += _wrapped(f"Thresholds (change with --set NAME=VALUE): {thresholds}", width)
    lines += ["", *_ranked(report, width), ""]
    lines += _sites(report, width)
    for line in siting_lines(report):
        if line:
            lines += _wrapped(plain_words(line), width, "Siting: ")
    if report.attribution:
        for line in report.attribution.splitlines():
            lines += _wrapped(line, width)
    return lines
