"""Shared pieces of the officer pages: who is signed in, the page context, rendering."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from assetmap.api.auth import UserDep
from assetmap.api.shell import shell_of
from assetmap.maps.page import render_fragment
from assetmap.provenance import DatasetInfo
from assetmap.register.users import User
from assetmap.store import Store

__all__ = [
    "FLASHES",
    "OfficerPageDep",
    "SignInRequired",
    "page_context",
    "redirect_to_sign_in",
    "render_page",
    "safe_next",
]

# Messages shown after a redirect, chosen by a fixed code (never text from the URL).
FLASHES = {
    "created": "Asset added.",
    "saved": "Changes saved.",
    "verified": "Recorded as checked today.",
    "closed": "Asset marked closed. It stays on record and no longer counts as a hub.",
    "deleted": "Deleted.",
    "accepted": "Correction accepted and applied.",
    "rejected": "Correction rejected.",
    "imported": "Import applied.",
    "signed_in": "Signed in.",
}


def safe_next(value: str | None) -> str:
    """Only same-site paths may be a redirect target (no open redirects)."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return "/"


class SignInRequired(Exception):
    """An officer page was asked for without signing in: answered with a redirect."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


def officer_page_user(request: Request, user: UserDep) -> User:
    """The signed-in officer; anyone else is sent to sign in and brought back here."""
    if user.can("officer"):
        return user
    if request.method == "GET":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    else:
        # A form posted after the sign-in expired: come back to the page it was sent from.
        target = safe_next(urlsplit(request.headers.get("referer", "")).path or "/")
    raise SignInRequired(target)


def redirect_to_sign_in(_: Request, exc: Exception) -> RedirectResponse:
    assert isinstance(exc, SignInRequired)
    return RedirectResponse(f"/signin?next={quote(exc.target, safe='')}", status_code=303)


OfficerPageDep = Annotated[User, Depends(officer_page_user)]


def page_context(
    request: Request, store: Store, user: User | None, title: str, **extra: Any
) -> dict[str, Any]:
    info = DatasetInfo.from_metadata(store.metadata())
    return {
        "shell": shell_of(request),
        "title": title,
        "user": user,
        "synthetic": info.synthetic,
        "notice": info.notice,
        "attribution": info.attribution_text,
        "flash": FLASHES.get(request.query_params.get("done", ""), ""),
        **extra,
    }


def render_page(template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    response = HTMLResponse(render_fragment(template, **context), status_code=status)
    # Officer pages show personal and unpublished data: never cache them.
    response.headers["Cache-Control"] = "no-store"
    return response
