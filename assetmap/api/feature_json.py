"""One saved feature as the write routes answer it: GeoJSON (EPSG:4326) with its ETag."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Response

import geopandas as gpd

from assetmap.formats.geojson import feature
from assetmap.layers import LayerSpec
from assetmap.register.editing import feature_etag
from assetmap.store.base import Feature

__all__ = ["GEOJSON", "feature_response"]

GEOJSON = "application/geo+json"


def feature_response(
    layer: LayerSpec, saved: Feature, status: int = 200, extra: dict[str, Any] | None = None
) -> Response:
    """``saved`` as a GeoJSON Feature; ``extra`` adds foreign members (e.g. a closure's
    impact)."""
    frame = gpd.GeoDataFrame(
        {name: [saved.properties.get(name)] for name in layer.field_names},
        geometry=[saved.geometry],
        crs="EPSG:27700",
    )
    body = feature(frame, id_field=layer.id_field, fields=layer.field_names)
    if extra:
        body = json.dumps({**json.loads(body), **extra}, ensure_ascii=False)
    return Response(
        body,
        status_code=status,
        media_type=GEOJSON,
        headers={
            "ETag": feature_etag(saved),
            "Location": f"/api/layers/{layer.name}/items/{saved.id}",
        },
    )
