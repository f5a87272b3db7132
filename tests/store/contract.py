"""What the contract tests share: the layers of the tiny county, a new hall, ids of a frame."""

from __future__ import annotations

import geopandas as gpd

from assetmap.config import PROJECT_ROOT
from assetmap.layers import LayerCatalog, load_catalog

CATALOG: LayerCatalog = load_catalog(PROJECT_ROOT / "layers")
ASSETS = CATALOG["assets"]
AREAS = CATALOG["community_areas"]


def new_hall(**changes: object) -> dict[str, object]:
    properties: dict[str, object] = {
        "id": "A9",
        "name": "New Village Hall",
        "category": "village_hall",
        "status": "open",
        "district_code": "E07999001",
    }
    properties.update(changes)
    return properties


def ids(frame: gpd.GeoDataFrame) -> list[str]:
    values: list[str] = frame["id"].tolist()
    return values


AUDIT = "assetmap_audit"
CORRECTIONS = "assetmap_corrections"


def audit_row(
    actor: str, field: str, before: str | None, after: str | None
) -> dict[str, str | None]:
    return {"change_id": "c1", "actor": actor, "action": "change", "layer": "assets",
            "feature_id": "A1", "field": field, "before": before, "after": after}
