"""``assetmap import libraries FILE``: public libraries into the register, through the same
plan and apply as every other import (audited as ``import``, checked against edits made
meanwhile), with the file's licence line recorded in the same transaction."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from assetmap.crs import METRIC_CRS
from assetmap.errors import DataError, ValidationFailed
from assetmap.layers import LayerCatalog
from assetmap.register.imports.apply import apply_import
from assetmap.register.imports.model import ImportPlan
from assetmap.register.imports.plan import plan_table
from assetmap.register.imports.readers.libraries import read_library_table
from assetmap.store.base import Store

__all__ = ["import_libraries"]

_ERRORS_SHOWN = 20


def _ensure_layer(store: Store, catalog: LayerCatalog) -> None:
    """A store made for this import has no assets table yet: create it, empty."""
    from assetmap.sources.importing import typed_for_layer

    layer = catalog["assets"]
    if not store.has_layer(layer):
        empty = gpd.GeoDataFrame({"id": []}, geometry=gpd.GeoSeries([], crs=METRIC_CRS))
        store.replace_tables({layer.table: typed_for_layer(empty, layer)})


def _refuse(path: Path, plan: ImportPlan) -> ValidationFailed:
    shown = "\n".join(f"  {p.line()}" for p in plan.errors[:_ERRORS_SHOWN])
    more = len(plan.errors) - _ERRORS_SHOWN
    return ValidationFailed(
        f"{path}: {plan.summary()}; nothing was written:\n{shown}"
        + (f"\n  … and {more:,} more" if more > 0 else ""),
        details=[p.as_dict() for p in plan.errors[:200]],
    )


def import_libraries(
    store: Store, catalog: LayerCatalog, path: Path, *, actor: str,
    border_km: float = 5.0, attribution: str | None = None,
) -> list[str]:
    """Import a Libraries Hacked CSV into the assets; returns the lines to show. All or nothing:
    an asset someone changed after the file was checked stops it (:class:`ImportConflict`)."""
    libraries, table = read_library_table(store, catalog, path, border_km=border_km,
                                          attribution=attribution)
    if libraries.assets.empty:
        raise DataError(f"{path}: no libraries to import; the store was not changed")
    _ensure_layer(store, catalog)
    plan = plan_table(store, catalog, table)
    if not plan.ok:
        raise _refuse(path, plan)
    result = apply_import(store, plan, actor)
    earlier = len(plan.updates) + len(plan.unchanged) + len(plan.removes)
    others = store.count(catalog["assets"]) - result.created - result.changed - result.unchanged
    lines = [f"{path}: {libraries.report.summary()}",
             f"  replaced {earlier:,} libraries from an earlier import; kept {others:,} other "
             "assets",
             f"  {plan.summary()}"]
    checked_out = plan.skipped - libraries.report.skipped  # e.g. already in the register
    if checked_out:
        lines.append("  skipped by the checks: " + ", ".join(
            f"{n:,} {reason}" for reason, n in checked_out.most_common()))
    lines += [f"warning: {warning}" for warning in libraries.report.warnings]
    lines += [f"warning: {problem.line()}" for problem in plan.warnings]
    if result.created or result.changed or result.removed:
        lines.append(f"updated assets in the store: {result.summary()} (audited as {actor})")
    else:
        lines.append("assets unchanged: the store already holds these libraries")
    return lines
