"""The officers' list of stale records (``/stale``): assets not checked for a while, oldest first.

The JSON of the same list is ``routes/stale.py``; each row's "checked" button
posts to ``pages/assets.py``.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from assetmap.api.deps import CatalogDep, SettingsDep, StoreDep
from assetmap.api.officer_view import OfficerPageDep, page_context, render_page
from assetmap.register.editing import feature_etag
from assetmap.register.notifications import long_date
from assetmap.register.stale import stale_features
from assetmap.register.still_right import last_asked
from assetmap.store.base import feature_from_row, plain_value

__all__ = ["router"]

router = APIRouter(tags=["officer pages"], include_in_schema=False)

LAYER = "assets"


@router.get("/stale", response_class=HTMLResponse)
def stale_page(
    request: Request, user: OfficerPageDep, catalog: CatalogDep, store: StoreDep,
    settings: SettingsDep, days: int | None = None,
) -> Response:
    layer = catalog[LAYER]
    days = days if days and 0 < days <= 36500 else settings.stale_after_days
    frame = stale_features(store.read(layer), today=dt.date.today(), days=days)
    # A stale record asks its steward first: when they were last asked, beside each row.
    asked = last_asked(store, layer, (str(i) for i in frame[layer.id_field]))
    rows = []
    for _, row in frame.iterrows():
        asset = feature_from_row(layer, row)
        days_since = plain_value(row["days_since_verified"])
        rows.append({"feature": asset, "etag": feature_etag(asset), "days": days_since,
                     "asked": long_date(asked.get(asset.id))})
    context = page_context(
        request, store, user, "Stale records", rows=rows, days=days, labels=layer.labels
    )
    return render_page("stale.html", context)
