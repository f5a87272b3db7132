"""Helpers for the asset import tests: a CSV of the tiny county's assets, planned."""

from __future__ import annotations

from assetmap.config import PROJECT_ROOT
from assetmap.layers import load_catalog
from assetmap.register.imports import ImportPlan, plan_import
from assetmap.store import Store
from tests.sources.conftest import lonlat

CATALOG = load_catalog(PROJECT_ROOT / "layers")
ASSETS = CATALOG["assets"]
HEADER = "id,name,category,status,longitude,latitude,postcode,website\n"


def csv_row(feature_id: str, name: str, x: float, y: float, *, category: str = "village_hall",
            status: str = "open", postcode: str = "", website: str = "") -> str:
    lon, lat = lonlat(x, y)
    return f"{feature_id},{name},{category},{status},{lon},{lat},{postcode},{website}\n"


def plan_csv(store: Store, text: str, name: str = "assets.csv") -> ImportPlan:
    return plan_import(store, CATALOG, text.encode("utf-8"), name)


def errors_by_field(plan: ImportPlan) -> dict[tuple[str, str], str]:
    return {(p.where, p.field): f"{p.problem} | {p.fix}" for p in plan.errors}
