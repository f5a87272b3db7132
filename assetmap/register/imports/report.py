"""An import plan as text (the command line), CSV (the error report) or JSON (the API)."""

from __future__ import annotations

from typing import Any

from assetmap.formats.csv import rows_csv_bytes
from assetmap.register.imports.model import ImportPlan, PlannedRow, Problem

__all__ = ["ERROR_COLUMNS", "plan_as_dict", "plan_text", "problems_csv"]

ERROR_COLUMNS = ("severity", "row", "where", "field", "value", "problem", "fix")


def _short(value: Any) -> str:
    text = "" if value is None else str(value)
    return repr(text if len(text) <= 40 else text[:37] + "…")


def _change_line(planned: PlannedRow) -> str:
    parts = [f"{name} {_short(was)} → {_short(now)}"
             for name, (was, now) in planned.changes.items()]
    if planned.moved_m is not None:
        parts.append(f"moved {planned.moved_m:,.0f} m")
    name = planned.properties.get("name", "")
    return f"  {planned.where}: {planned.feature_id} {name}: {'; '.join(parts)}"


def _section(title: str, lines: list[str], limit: int, more: str) -> list[str]:
    if not lines:
        return []
    shown = lines[:limit]
    if len(lines) > limit:
        shown.append(f"  … and {len(lines) - limit:,} more{more}")
    return [f"{title}:", *shown]


def plan_text(plan: ImportPlan, *, limit: int = 50) -> str:
    """The summary, then errors, warnings, skips, new and changed rows (``limit`` of each)."""
    lines = [f"{plan.source} ({plan.format}): {plan.summary()}"]
    lines += _section("errors", [f"  {p.line()}" for p in plan.errors], limit,
                      " (write them all to a file with --errors FILE)")
    lines += _section("warnings", [f"  {p.line()}" for p in plan.warnings], limit, "")
    if plan.skipped:
        lines.append("skipped: " + ", ".join(
            f"{n:,} {reason}" for reason, n in plan.skipped.most_common()
        ))
    lines += _section("new", [
        f"  {p.where}: {p.feature_id} {p.properties.get('name', '')} "
        f"({p.properties.get('category') or p.properties.get('kind', '')})"
        + (f", placed by {p.located_by}" if p.located_by else "")
        for p in plan.creates
    ], limit, "")
    lines += _section("changed", [_change_line(p) for p in plan.updates], limit, "")
    lines += _section("removed (no longer in the file)", [
        f"  {f.id} {f.properties.get('name', '')}" for f in plan.removes
    ], limit, "")
    return "\n".join(lines)


def problems_csv(plan: ImportPlan) -> bytes:
    """Errors then warnings, one per line, for a spreadsheet: UTF-8 with BOM, CRLF lines.

    Values are echoed from the user's file, so any a spreadsheet would run as a
    formula are defused (:mod:`assetmap.formats.csv`).
    """
    return rows_csv_bytes(ERROR_COLUMNS, (
        [severity, *(problem.as_dict()[c] for c in ERROR_COLUMNS[1:])]
        for severity, problems in (("error", plan.errors), ("warning", plan.warnings))
        for problem in problems
    ))


def _planned(planned: PlannedRow) -> dict[str, Any]:
    item: dict[str, Any] = {"row": planned.row, "where": planned.where, "id": planned.feature_id,
                            "name": planned.properties.get("name")}
    if planned.changes:
        item["changes"] = {k: {"before": was, "after": now}
                           for k, (was, now) in planned.changes.items()}
    if planned.moved_m is not None:
        item["moved_m"] = round(planned.moved_m, 1)
    if planned.located_by:
        item["placed_by"] = planned.located_by
    return item


def plan_as_dict(plan: ImportPlan, *, limit: int = 1000) -> dict[str, Any]:
    """The plan for the API: counts, then up to ``limit`` of each list."""

    def problems(items: list[Problem]) -> list[dict[str, Any]]:
        return [p.as_dict() for p in items[:limit]]

    return {
        "source": plan.source,
        "format": plan.format,
        "layer": plan.layer.name,
        "summary": plan.summary(),
        "ok": plan.ok,
        "counts": {
            "rows": plan.rows_read, "new": len(plan.creates), "changed": len(plan.updates),
            "unchanged": len(plan.unchanged), "errors": len(plan.errors),
            "warnings": len(plan.warnings), "skipped": sum(plan.skipped.values()),
            "removed": len(plan.removes),
        },
        "errors": problems(plan.errors),
        "warnings": problems(plan.warnings),
        "skipped": dict(plan.skipped),
        "new": [_planned(p) for p in plan.creates[:limit]],
        "changed": [_planned(p) for p in plan.updates[:limit]],
    }
