"""An organisation's public page: ``/organisations/{id}``, what it is and where and when it
runs things (each place linked to its hub page). Server-rendered, no JavaScript needed; text
from the message catalogues (``?lang=en-easy`` for Easy Read).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from assetmap.api.activity_view import organisation_activities
from assetmap.api.deps import FinderDep, SettingsDep
from assetmap.api.public_view import common_context, page_messages
from assetmap.finder.activities import safe_link
from assetmap.maps.page import render_fragment

__all__ = ["router"]

router = APIRouter(tags=["public pages"], include_in_schema=False)


@router.get("/organisations/{organisation_id}", response_class=HTMLResponse)
def organisation_page(
    organisation_id: str,
    request: Request,
    finder: FinderDep,
    settings: SettingsDep,
    lang: str | None = None,
) -> HTMLResponse:
    t = page_messages(request, lang)
    data = finder.data()
    common = common_context(request, t, data, settings)
    organisation = data.activities.organisations.get(organisation_id)
    if organisation is None:
        return HTMLResponse(render_fragment("organisation_missing.html", **common),
                            status_code=404)
    html = render_fragment(
        "organisation.html",
        **common,
        organisation=organisation,
        website=safe_link(organisation.website),
        rows=organisation_activities(t, data, organisation.id, common["lang_query"]),
    )
    return HTMLResponse(html)
