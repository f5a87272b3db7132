"""GeoPackage files as bytes: always GeoPackage 1.2.

GeoPackage 1.2 is what older GDAL (ogrinfo 3.6) and QGIS read without
warnings; GDAL's default (1.4 since GDAL 3.9) is not. Every GeoPackage the
service writes (stores it creates, layer downloads and report downloads) is
written by :func:`write_layers`; :func:`geopackage_bytes` hands one out as bytes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import pyogrio

__all__ = ["GPKG_VERSION", "GpkgLayer", "geopackage_bytes", "write_layers"]

GPKG_VERSION = "1.2"


@dataclass(frozen=True)
class GpkgLayer:
    """One layer (or attribute-only table) of a GeoPackage and how GDAL writes it.

    ``frame``: a GeoDataFrame (written in its own CRS) or a plain DataFrame (a
    table without geometry). ``geometry_type`` and ``promote_to_multi`` as in
    :func:`pyogrio.write_dataframe`; ``identifier`` and ``description`` become
    the layer's title and abstract (QGIS shows them); ``options`` are further
    GDAL layer creation options (e.g. ``{"FID": "id"}``).
    """

    frame: pd.DataFrame
    geometry_type: str | None = None
    promote_to_multi: bool | None = None
    identifier: str | None = None
    description: str | None = None
    options: Mapping[str, str] = field(default_factory=dict)

    def layer_options(self) -> dict[str, str]:
        options = dict(self.options)
        if self.identifier is not None:
            options["IDENTIFIER"] = self.identifier
        if self.description is not None:
            options["DESCRIPTION"] = self.description
        return options


def write_layers(path: Path, layers: Mapping[str, GpkgLayer | pd.DataFrame]) -> None:
    """Create a GeoPackage 1.2 at ``path`` (which must not exist yet) holding ``layers``.

    Layers are written in the given order; the file is not atomic (see
    :func:`assetmap.formats.files.replacing` for that).
    """
    if not layers:
        raise ValueError("A GeoPackage needs at least one layer")
    for i, (name, layer) in enumerate(layers.items()):
        spec = layer if isinstance(layer, GpkgLayer) else GpkgLayer(layer)
        pyogrio.write_dataframe(
            spec.frame,
            path,
            layer=name,
            driver="GPKG",
            geometry_type=spec.geometry_type,
            promote_to_multi=spec.promote_to_multi,
            # The version is chosen when the file is created, by its first layer.
            dataset_options={"VERSION": GPKG_VERSION} if i == 0 else None,
            layer_options=spec.layer_options() or None,
        )


def geopackage_bytes(layers: Mapping[str, GpkgLayer | pd.DataFrame]) -> bytes:
    """A GeoPackage 1.2 holding ``layers`` (name -> layer, written in that order)."""
    with tempfile.TemporaryDirectory(prefix="assetmap-gpkg-") as folder:
        path = Path(folder) / "data.gpkg"
        write_layers(path, layers)
        return path.read_bytes()
