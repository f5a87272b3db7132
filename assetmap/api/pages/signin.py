"""Signing in and out of the officer pages (``/signin``, ``/signout``); ``/api/me`` says who is."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assetmap.api.auth import COOKIE
from assetmap.api.deps import SettingsDep, StoreDep
from assetmap.api.officer_view import page_context, render_page, safe_next
from assetmap.register.users import authenticate

__all__ = ["router"]

router = APIRouter(tags=["officer pages"], include_in_schema=False)


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, store: StoreDep, next: str | None = None) -> HTMLResponse:
    context = page_context(request, store, None, "Sign in", next=safe_next(next))
    return render_page("signin.html", context)


@router.post("/signin", response_class=HTMLResponse)
async def signin(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    form = await request.form()
    token = str(form.get("token", "")).strip()
    target = safe_next(str(form.get("next", "/")))
    user = authenticate(store, token) if token else None
    if user is None:
        context = page_context(
            request, store, None, "Sign in", next=target,
            error="That token is not valid or has been revoked. Check it, or ask an admin for "
            "a new one (assetmap users add).",
        )
        return render_page("signin.html", context, status=401)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="strict", secure=settings.secure_cookies,
        max_age=12 * 3600, path="/",
    )
    return response


@router.post("/signout")
def signout() -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
