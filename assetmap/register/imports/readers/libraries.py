"""Public libraries (the Libraries Hacked schema) as asset rows for the common import checks.

The file is parsed by :func:`assetmap.sources.libraries.read_libraries`, the one
library parser (``assetmap build-real`` uses it too): categories from ``Type of
library``, ``closed`` from ``Year closed``, each placed by ``lon``/``lat`` or at its
postcode's centroid from the store's postcodes, and neighbouring authorities'
libraries within ``border_km`` of the districts kept. Here each library becomes a
row placed where that parser put it; the plan then fills its area codes, checks
it and diffs it with the store like any other import.

The file replaces the libraries of an earlier import (ids ``lib-…``): one it no
longer lists is removed, and every other asset is kept. Libraries Hacked says
whether a library exists, not what an officer has learnt since, so an officer's
``at_risk`` is kept while the file says ``open``, and an empty address or web
address in the file never clears one stored.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from assetmap.crs import METRIC_CRS
from assetmap.layers import LayerCatalog
from assetmap.register.imports.model import SourceRow, SourceTable
from assetmap.sources.libraries import LIBRARY_ID_PREFIX, LibraryImport, read_libraries
from assetmap.store.base import Store

__all__ = ["LIBRARY_FORMAT", "read_library_table"]

LIBRARY_FORMAT = "Libraries Hacked CSV"
_ALWAYS = ("id", "name", "category", "status")
_IF_GIVEN = ("address", "postcode", "website")


def _frame(store: Store, catalog: LayerCatalog, name: str) -> gpd.GeoDataFrame | None:
    layer = catalog.get(name)
    if layer is None or not store.has_layer(layer):
        return None
    return store.read(layer)


def read_libraries_for(
    store: Store, catalog: LayerCatalog, path: Path, *, border_km: float
) -> LibraryImport:
    """Read ``path`` against what the store holds: its districts, postcodes, community areas."""
    districts = _frame(store, catalog, "districts")
    codes = set(districts["code"].astype(str)) if districts is not None else set()
    return read_libraries(
        path,
        districts=districts,
        postcodes=_frame(store, catalog, "postcodes"),
        community_areas=_frame(store, catalog, "community_areas"),
        keep_districts=codes or None,
        border_m=border_km * 1000,
    )


def library_table(libraries: LibraryImport, name: str, *, attribution: str | None) -> SourceTable:
    """The parsed libraries as rows for :func:`~assetmap.register.imports.plan_table`."""
    report = libraries.report
    table = SourceTable(
        name=name, format=LIBRARY_FORMAT, rows=[], skipped=report.skipped.copy(),
        skip_unusable=True, keeps_at_risk=True, within_county=False, replaces=LIBRARY_ID_PREFIX,
    )
    frame = libraries.assets
    columns = {c: frame[c].to_numpy(dtype=object) for c in (*_ALWAYS, *_IF_GIVEN)}
    for position, point in enumerate(frame.geometry.to_numpy()):
        values = {c: columns[c][position] for c in _ALWAYS}
        values.update({c: columns[c][position] for c in _IF_GIVEN if columns[c][position]})
        table.rows.append(SourceRow(
            row=position + 1, where=f"library {values['name']!r}", values=values,
            xy=(float(point.x), float(point.y)), crs=METRIC_CRS, coordinates="position",
        ))
    table.metadata["source:libraries"] = " | ".join(
        (name, report.vintage or "not stated", attribution or "not stated")
    )
    table.attribution = attribution
    return table


def read_library_table(
    store: Store, catalog: LayerCatalog, path: Path, *, border_km: float,
    attribution: str | None,
) -> tuple[LibraryImport, SourceTable]:
    """Parse a Libraries Hacked file against the store, and its rows for the plan."""
    libraries = read_libraries_for(store, catalog, path, border_km=border_km)
    return libraries, library_table(libraries, path.name, attribution=attribution)
