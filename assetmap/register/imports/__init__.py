"""Every bulk write to a layer: read a file into rows, check every row, then write all or none.

>>> plan = plan_import(store, catalog, data, "halls.csv")   # nothing written
>>> print(plan_text(plan))                                  # summary, errors with fixes
>>> apply_import(store, plan, actor="j.smith")              # one transaction, audited

``readers/`` turn a file into a :class:`SourceTable` (CSV, GeoJSON, GeoPackage,
OpenStreetMap, a council's register through a mapping file, Libraries Hacked);
:func:`plan_table` checks it against the layer and the store (``checks``,
``coordinates``, ``positions``, ``duplicates``) and records what it saw of each
feature; :func:`apply_import` writes it in one transaction that re-reads each
feature and refuses the whole import if someone changed one since. ``report``
gives the plan as text, CSV or JSON; ``libraries`` runs ``assetmap import
libraries``.
"""

from __future__ import annotations

from assetmap.layers import LayerCatalog
from assetmap.register.imports.apply import ImportConflict, apply_import
from assetmap.register.imports.coordinates import COUNTY_TOLERANCE_M
from assetmap.register.imports.model import (
    ImportPlan,
    ImportResult,
    PlannedRow,
    Problem,
    SourceRow,
    SourceTable,
)
from assetmap.register.imports.plan import plan_table
from assetmap.register.imports.readers import (
    DEFAULT_LIMITS,
    FileTooLarge,
    ImportLimits,
    check_size,
    read_asset_file,
)
from assetmap.register.imports.report import plan_as_dict, plan_text, problems_csv
from assetmap.store.base import Store

__all__ = [
    "COUNTY_TOLERANCE_M",
    "DEFAULT_LIMITS",
    "FileTooLarge",
    "ImportConflict",
    "ImportLimits",
    "ImportPlan",
    "ImportResult",
    "PlannedRow",
    "Problem",
    "SourceRow",
    "SourceTable",
    "apply_import",
    "check_size",
    "plan_as_dict",
    "plan_import",
    "plan_table",
    "plan_text",
    "problems_csv",
    "read_asset_file",
]


def plan_import(
    store: Store,
    catalog: LayerCatalog,
    data: bytes,
    filename: str,
    *,
    layer_name: str = "assets",
    limits: ImportLimits = DEFAULT_LIMITS,
    source_layer: str | None = None,
) -> ImportPlan:
    """Read a file of assets (by its name's extension) and check every row; writes nothing."""
    table = read_asset_file(data, filename, catalog[layer_name], limits=limits,
                            source_layer=source_layer)
    return plan_table(store, catalog, table, layer_name=layer_name)
