"""Plain layers (``geometry_type: none``: organisations, activities) as whole tables.

Both backends keep such a layer as a table without a geometry column (a GeoPackage
"attributes" table, a PostgreSQL table); :meth:`Store.read` still returns a GeoDataFrame, its
geometry column all empty, so callers need no second code path. These helpers turn that frame
back into the plain frame :meth:`Store.replace_tables` makes a plain table from, and make the
empty table a store that predates the layer needs before its first write.
"""

from __future__ import annotations

import pandas as pd

import geopandas as gpd

from assetmap.layers import LayerSpec
from assetmap.store.validation import PANDAS_DTYPES

__all__ = ["empty_table", "table_frame"]


def table_frame(layer: LayerSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """A frame from :meth:`Store.read` as :meth:`Store.replace_tables` should take it back."""
    if layer.is_spatial or not isinstance(frame, gpd.GeoDataFrame):
        return frame
    return pd.DataFrame(frame.drop(columns=frame.geometry.name))


def empty_table(layer: LayerSpec) -> pd.DataFrame:
    """No rows, typed columns: creates a plain layer's table in a store that lacks it."""
    return pd.DataFrame(
        {f.name: pd.Series([], dtype=PANDAS_DTYPES.get(f.type, "object")) for f in layer.fields}
    )
