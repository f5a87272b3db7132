"""Forms for organisations: ``/organisations/new`` (officers) and ``/organisations/{id}/edit``
(officers, and the organisation's stewards, who cannot change what kind of body it is). The
public page of an organisation is ``pages/organisations.py``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from assetmap.api.deps import CatalogDep, SettingsDep, StoreDep
from assetmap.api.feature_form import (
    FormPage,
    create_from_form,
    delete_from_form,
    edit_form,
    new_form,
    save_from_form,
)
from assetmap.api.officer_view import OfficerPageDep, StewardPageDep

__all__ = ["router"]

router = APIRouter(tags=["officer pages"], include_in_schema=False)

PAGE = FormPage(
    layer="organisations",
    noun="organisation",
    path="/organisations",
    added="organisation_added",
    labels={
        "name": "Name", "kind": "What kind of organisation it is",
        "charity_number": "Charity number", "company_number": "Company number",
        "areas_served": "Areas it works in", "description": "What it does",
        "email": "Email address", "phone": "Phone number", "website": "Website",
        "last_verified": "Last checked",
    },
    hints={
        "charity_number": "Its Charity Commission registration number, if it is registered",
        "company_number": "Its Companies House number, if it is incorporated",
        "areas_served": "The codes of the parishes, community areas or districts it works in, "
                        "separated by semicolons, for example E04999001;E07999002",
        "last_verified": "The date these details were last confirmed",
    },
)


@router.get("/organisations/new", response_class=HTMLResponse)
def new_organisation_form(
    request: Request, user: OfficerPageDep, catalog: CatalogDep, store: StoreDep
) -> Response:
    return new_form(request, store, user, catalog, PAGE, {})


@router.post("/organisations/new", response_class=HTMLResponse)
async def create_organisation_page(
    request: Request, user: OfficerPageDep, catalog: CatalogDep, store: StoreDep,
    settings: SettingsDep,
) -> Response:
    return await create_from_form(request, store, user, catalog, PAGE,
                                  review=settings.steward_edits == "review")


@router.get("/organisations/{organisation_id}/edit", response_class=HTMLResponse)
def edit_organisation_form(
    request: Request, user: StewardPageDep, organisation_id: str, catalog: CatalogDep,
    store: StoreDep,
) -> Response:
    return edit_form(request, store, user, catalog, PAGE, organisation_id)


@router.post("/organisations/{organisation_id}/edit", response_class=HTMLResponse)
async def save_organisation_page(
    request: Request, user: StewardPageDep, organisation_id: str, catalog: CatalogDep,
    store: StoreDep, settings: SettingsDep,
) -> Response:
    return await save_from_form(request, store, user, catalog, PAGE, organisation_id,
                                review=settings.steward_edits == "review")


@router.post("/organisations/{organisation_id}/delete", response_class=HTMLResponse)
async def delete_organisation_page(
    request: Request, user: OfficerPageDep, organisation_id: str, catalog: CatalogDep,
    store: StoreDep,
) -> Response:
    return await delete_from_form(request, store, user, catalog, PAGE, organisation_id)
