"""Signing in and out of the officer pages: ``/signin`` (a token, or the council's identity
provider at ``/signin/oidc``), ``/signout``; ``/api/me`` says who is.

Each sign-in starts a session in the store and the cookie carries only its id. Sign-in and
sign-out posts must come from this site (403 otherwise), and failed sign-ins count against
the client (429 with Retry-After once used up).
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assetmap.api.auth import (
    COOKIE,
    clear_cookie,
    client_key_for,
    count_failed_sign_in,
    hold_back_failing_client,
    require_same_origin,
    set_cookie,
)
from assetmap.api.deps import OidcDep, SettingsDep, StoreDep
from assetmap.api.officer_view import page_context, render_page, safe_next
from assetmap.api.oidc import OidcProvider
from assetmap.config import Settings
from assetmap.errors import TooManyRequests, Unauthorized
from assetmap.register.identities import identity_user
from assetmap.register.oidc_logins import LOGIN_MINUTES, begin_login, finish_login
from assetmap.register.sessions import end_session, start_session
from assetmap.register.users import User, authenticate
from assetmap.store import Store

__all__ = ["router"]

router = APIRouter(tags=["officer pages"], include_in_schema=False)
logger = logging.getLogger("assetmap.auth")
# Holds the OIDC state between leaving for the provider and coming back (Lax: the way back
# is a cross-site redirect, on which a Strict cookie would not be sent).
_STATE_COOKIE = "assetmap_oidc_state"
_STATE_PATH = "/signin/oidc"


def _form_page(
    request: Request, store: Store, oidc: OidcProvider | None, *, status: int = 200,
    **extra: Any,
) -> HTMLResponse:
    context = page_context(
        request, store, None, "Sign in", oidc_name=oidc.name if oidc else None, **extra
    )
    return render_page("signin.html", context, status=status)


def _signed_in(
    request: Request, store: Store, settings: Settings, user: User, via: str, target: str
) -> Response:
    session_id = start_session(store, user, hours=settings.session_hours, via=via)
    if user.role == "steward" and target == "/":
        target = "/your-places"  # a steward's home: the places and groups they look after
    response = RedirectResponse(target, status_code=303)
    set_cookie(response, request, settings, COOKIE, session_id,
               max_age=int(settings.session_hours * 3600))
    logger.info("signed in %s (%s) by %s", user.name, user.role, via)
    return response


@router.get("/signin", response_class=HTMLResponse)
def signin_form(
    request: Request, store: StoreDep, oidc: OidcDep, next: str | None = None
) -> HTMLResponse:
    return _form_page(request, store, oidc, next=safe_next(next))


def _token_sign_in(
    request: Request, store: Store, settings: Settings, oidc: OidcProvider | None,
    token: str, target: str,
) -> Response:
    try:
        hold_back_failing_client(request, store, settings)
    except TooManyRequests as exc:
        response = _form_page(request, store, oidc, status=429, next=target, error=exc.message)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    user = authenticate(store, token) if token else None
    if user is None:
        count_failed_sign_in(store, settings, client_key_for(request, store), "a sign-in token")
        return _form_page(
            request, store, oidc, status=401, next=target,
            error="That token is not valid or has been revoked. Check it, or ask an admin for "
            "a new one (assetmap users add).", error_field="token",
        )
    return _signed_in(request, store, settings, user, "token", target)


@router.post("/signin", response_class=HTMLResponse)
async def signin(
    request: Request, store: StoreDep, settings: SettingsDep, oidc: OidcDep
) -> Response:
    require_same_origin(request)
    form = await request.form()
    token = str(form.get("token", "")).strip()
    target = safe_next(str(form.get("next", "/")))
    return await run_in_threadpool(
        _token_sign_in, request, store, settings, oidc, token, target
    )


@router.post("/signout")
def signout(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    require_same_origin(request)
    end_session(store, request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/", status_code=303)
    clear_cookie(response, request, settings, COOKIE)
    return response


def _callback_url(request: Request, oidc: OidcProvider) -> str:
    return oidc.redirect_url or str(request.url_for("oidc_callback"))


@router.get("/signin/oidc")
def oidc_start(
    request: Request, store: StoreDep, settings: SettingsDep, oidc: OidcDep,
    next: str | None = None,
) -> Response:
    if oidc is None:
        return _form_page(request, store, None, status=404, next=safe_next(next),
                          error="Signing in with an identity provider is not set up here; "
                          "use your token.")
    login = begin_login(store, safe_next(next))
    response = RedirectResponse(oidc.authorization_url(login, _callback_url(request, oidc)),
                                status_code=303)
    set_cookie(response, request, settings, _STATE_COOKIE, login.state,
               max_age=LOGIN_MINUTES * 60, path=_STATE_PATH)
    return response


def _no_access(request: Request, store: Store, oidc: OidcProvider, claims: dict[str, Any]
               ) -> HTMLResponse:
    who = next((str(claims[key]) for key in ("email", "preferred_username") if claims.get(key)),
               "this account")
    logger.info("OIDC sign-in without a role for subject %s", str(claims.get("sub"))[:40])
    context = page_context(request, store, None, "You do not have access yet",
                           who=who, provider=oidc.name)
    return render_page("signin_no_access.html", context, status=403)


def _refused(request: Request, store: Store, oidc: OidcProvider, message: str,
             status: int = 400) -> HTMLResponse:
    return _form_page(request, store, oidc, status=status, next="/", error=message)


@router.get("/signin/oidc/callback", name="oidc_callback")
def oidc_callback(
    request: Request, store: StoreDep, settings: SettingsDep, oidc: OidcDep,
    state: str = "", code: str = "", error: str = "",
) -> Response:
    if oidc is None:
        return _form_page(request, store, None, status=404, next="/")
    expected = request.cookies.get(_STATE_COOKIE, "")
    ours = bool(state and expected and hmac.compare_digest(state, expected))
    if error or (ours and not code):  # refused or cancelled there; nothing to take here
        if ours:
            finish_login(store, state)
        return _refused(request, store, oidc, f"{oidc.name} did not sign you in. Start again, "
                        "or use your token.", status=401)
    if not ours:
        return _refused(request, store, oidc, "This sign-in did not start in this browser, or "
                        "it has expired. Start again with the button below.")
    login = finish_login(store, state)
    if login is None:
        return _refused(request, store, oidc, "This sign-in has been used already or took "
                        f"longer than {LOGIN_MINUTES} minutes. Start again.")
    try:
        claims = oidc.claims(code, login, _callback_url(request, oidc))
    except Unauthorized as exc:
        return _refused(request, store, oidc, exc.message, status=401)
    user = identity_user(store, oidc.issuer, claims, oidc.role_claim, oidc.role_map)
    if user is None:
        return _no_access(request, store, oidc, claims)
    response = _signed_in(request, store, settings, user, "oidc", login.next)
    clear_cookie(response, request, settings, _STATE_COOKIE, path=_STATE_PATH)
    return response
