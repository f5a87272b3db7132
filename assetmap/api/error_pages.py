"""The error pages browsers see: GOV.UK "Page not found" and "There is a problem".

``api/errors.py`` decides HTML or JSON (``api/negotiation.py``); this module renders the
page. A wrong report address lists the districts that have one, with links, so a planner
who mistyped a name is one click from the report they wanted.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from assetmap.api.page_context import shell_context
from assetmap.api.state import app_state
from assetmap.maps.page import render_fragment

__all__ = ["error_page"]

log = logging.getLogger(__name__)

_HEADINGS = {
    404: "Page not found",
    405: "Page not found",
    401: "You need to sign in",
    403: "You cannot see this page",
    429: "Too many requests",
    503: "Sorry, the service is busy",
}


def _heading(status: int) -> str:
    if status >= 500:
        return _HEADINGS.get(status, "Sorry, there is a problem with the service")
    return _HEADINGS.get(status, "There is a problem")


def _districts(request: Request) -> list[tuple[str, str]]:
    """(code, name) of every district with a report, by name; none if they cannot be read."""
    try:
        districts = app_state(request.app).reports.inputs().districts.sort_values("name")
    except Exception:  # an error page never fails on its way to saying what went wrong
        log.warning("could not list the districts for an error page", exc_info=True)
        return []
    return list(zip(districts["code"].astype(str), districts["name"].astype(str), strict=True))


def error_page(
    request: Request, status: int, message: str, details: list[dict[str, Any]] | None = None,
) -> HTMLResponse:
    """The page for an error: heading by status, the message, and where to go next."""
    path = request.url.path
    districts = _districts(request) if status == 404 and path.startswith("/reports/") else []
    html = render_fragment(
        "error.html",
        **shell_context(request),
        status=status,
        heading=_heading(status),
        message=message,
        details=[d for d in details or [] if isinstance(d, dict)],
        districts=districts,
        asked=path.removeprefix("/reports/"),
    )
    return HTMLResponse(html, status_code=status)
