"""Shared pieces of the officer pages: who is signed in, the page context, rendering."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from assetmap.api.auth import UserDep
from assetmap.api.shell import shell_of
from assetmap.errors import Forbidden
from assetmap.maps.page import render_fragment
from assetmap.provenance import DatasetInfo
from assetmap.register.users import User
from assetmap.store import Store

__all__ = [
    "FLASHES",
    "AdminPageDep",
    "OfficerPageDep",
    "SignInRequired",
    "StewardPageDep",
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
    "place_added": "New place accepted and added to the register.",
    "imported": "Import applied.",
    "signed_in": "Signed in.",
    "activity_added": "Activity added.",
    "organisation_added": "Organisation added.",
    "steward_saved": "Stewardship saved.",
    "steward_queued": "Thank you: your change was sent to the council to check. It will show "
                      "once an officer approves it.",
    "revoked": "User revoked: their token no longer works and they are signed out.",
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


def _page_user(request: Request, user: User, role: str) -> User:
    """The signed-in user if their role allows ``role``; anyone signed out is sent to sign in
    and brought back here, anyone signed in with a lesser role is refused (403)."""
    if user.can(role):
        return user
    if user.role != "public":
        raise Forbidden(f"{user.name} is {user.role}; this page needs the {role} role. "
                        "Your places and groups are at /your-places.")
    if request.method == "GET":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    else:
        # A form posted after the sign-in expired: come back to the page it was sent from.
        target = safe_next(urlsplit(request.headers.get("referer", "")).path or "/")
    raise SignInRequired(target)


def officer_page_user(request: Request, user: UserDep) -> User:
    """The signed-in officer (or admin)."""
    return _page_user(request, user, "officer")


def steward_page_user(request: Request, user: UserDep) -> User:
    """The signed-in steward, officer or admin (a steward's pages show only what is theirs)."""
    return _page_user(request, user, "steward")


def admin_page_user(request: Request, user: UserDep) -> User:
    return _page_user(request, user, "admin")


def redirect_to_sign_in(_: Request, exc: Exception) -> RedirectResponse:
    assert isinstance(exc, SignInRequired)
    return RedirectResponse(f"/signin?next={quote(exc.target, safe='')}", status_code=303)


OfficerPageDep = Annotated[User, Depends(officer_page_user)]
StewardPageDep = Annotated[User, Depends(steward_page_user)]
AdminPageDep = Annotated[User, Depends(admin_page_user)]


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
