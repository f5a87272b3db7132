"""Dependencies routes declare by name; tests swap them with ``dependency_overrides``.

Everything a handler needs from the application comes from here, through
:class:`~assetmap.api.state.AppState`; nothing else reads ``app.state``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from assetmap.analysis import ReportService
from assetmap.api.cache import ResponseCache
from assetmap.api.expensive import RenderPool
from assetmap.api.finding import FinderService
from assetmap.api.mail import DecisionHook, decision_hook
from assetmap.api.oidc import OidcProvider
from assetmap.api.state import AppState, app_state
from assetmap.config import Settings
from assetmap.layers import LayerCatalog
from assetmap.oruk import DirectoryCache
from assetmap.store import Store

__all__ = [
    "CatalogDep",
    "FinderDep",
    "OgcCacheDep",
    "OidcDep",
    "OrukDep",
    "RenderPoolDep",
    "RenderedDep",
    "ReportsDep",
    "ResponsesDep",
    "SettingsDep",
    "StateDep",
    "StoreDep",
    "decision_mail",
    "get_catalog",
    "get_finder",
    "get_ogc_cache",
    "get_oidc",
    "get_oruk",
    "get_reports",
    "get_responses",
    "get_settings",
    "get_state",
    "get_store",
]


def get_state(request: Request) -> AppState:
    return app_state(request.app)


StateDep = Annotated[AppState, Depends(get_state)]


def get_settings(state: StateDep) -> Settings:
    return state.settings


def get_catalog(state: StateDep) -> LayerCatalog:
    return state.catalog


def get_store(state: StateDep) -> Store:
    return state.store


def get_reports(state: StateDep) -> ReportService:
    return state.reports


def get_finder(state: StateDep) -> FinderService:
    return state.finder


def get_oidc(state: StateDep) -> OidcProvider | None:
    return state.oidc


def get_responses(state: StateDep) -> ResponseCache:
    return state.responses


def get_ogc_cache(state: StateDep) -> ResponseCache:
    return state.ogc_cache


def get_rendered(state: StateDep) -> ResponseCache:
    return state.rendered


def get_render_pool(state: StateDep) -> RenderPool:
    return state.render_pool
def get_oruk(state: StateDep) -> DirectoryCache:
    return state.oruk


def decision_mail(request: Request) -> DecisionHook | None:
    """The hook that queues a resident's mail when their suggestion is decided (``decide``'s
    ``on_decided``); None in an app built without mail."""
    state = app_state(request.app)
    return None if state.mail is None else decision_hook(state.mail, state.catalog, state.store)


SettingsDep = Annotated[Settings, Depends(get_settings)]
CatalogDep = Annotated[LayerCatalog, Depends(get_catalog)]
StoreDep = Annotated[Store, Depends(get_store)]
ReportsDep = Annotated[ReportService, Depends(get_reports)]
FinderDep = Annotated[FinderService, Depends(get_finder)]
ResponsesDep = Annotated[ResponseCache, Depends(get_responses)]
OgcCacheDep = Annotated[ResponseCache, Depends(get_ogc_cache)]
RenderedDep = Annotated[ResponseCache, Depends(get_rendered)]
RenderPoolDep = Annotated[RenderPool, Depends(get_render_pool)]
OrukDep = Annotated[DirectoryCache, Depends(get_oruk)]
OidcDep = Annotated[OidcProvider | None, Depends(get_oidc)]
