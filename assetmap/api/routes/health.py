"""Liveness and readiness: the store answers and how much it holds."""

from __future__ import annotations

from fastapi import APIRouter

from assetmap.api.deps import CatalogDep, StoreDep
from assetmap.api.schemas import Health
from assetmap.provenance import DatasetInfo

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="Service health")
def health(catalog: CatalogDep, store: StoreDep) -> Health:
    features = {name: store.count(layer) for name, layer in catalog.items()}
    return Health(
        status="ok",
        store=store.name,
        features=features,
        synthetic=DatasetInfo.from_metadata(store.metadata()).synthetic,
    )
