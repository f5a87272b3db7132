"""Dependencies routes declare by name; tests swap them with ``dependency_overrides``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from assetmap.analysis import ReportService
from assetmap.api.finding import FinderService
from assetmap.config import Settings
from assetmap.layers import LayerCatalog
from assetmap.store import Store

__all__ = [
    "CatalogDep",
    "FinderDep",
    "ReportsDep",
    "SettingsDep",
    "StoreDep",
    "get_catalog",
    "get_finder",
    "get_reports",
    "get_settings",
    "get_store",
]


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_catalog(request: Request) -> LayerCatalog:
    catalog: LayerCatalog = request.app.state.catalog
    return catalog


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_reports(request: Request) -> ReportService:
    reports: ReportService = request.app.state.reports
    return reports


def get_finder(request: Request) -> FinderService:
    finder: FinderService = request.app.state.finder
    return finder


SettingsDep = Annotated[Settings, Depends(get_settings)]
CatalogDep = Annotated[LayerCatalog, Depends(get_catalog)]
StoreDep = Annotated[Store, Depends(get_store)]
ReportsDep = Annotated[ReportService, Depends(get_reports)]
FinderDep = Annotated[FinderService, Depends(get_finder)]
