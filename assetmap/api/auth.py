"""Who is asking: a bearer token (API clients) or a session cookie (officer pages), and the
opaque key rate limits count a sender by.

Public reads need nothing. Writes need a role. The cookie holds a session id, never a
token (:mod:`assetmap.register.sessions`). A cookie is sent by the browser on its own, so
a write that relies on it must also come from one of our own pages (``Origin``,
``Referer`` or ``Sec-Fetch-Site`` say so); that, with SameSite=Lax, is the defence against
cross-site request forgery. Lax rather than Strict because the identity provider sends
people back to us by a cross-site redirect, and a Strict cookie set there would be held
back on the very next page; Lax still keeps the cookie off cross-site POSTs.

Failed bearer tokens count against the client like failed sign-ins (429 once used up),
and are logged by client key, never with the token.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request, Response

from assetmap.api.deps import SettingsDep, StoreDep
from assetmap.config import Settings
from assetmap.errors import Forbidden, Unauthorized
from assetmap.register.client_keys import client_key
from assetmap.register.rate_limits import Limit, any_failures, check_allowed, record_failure
from assetmap.register.sessions import session_user
from assetmap.register.users import PUBLIC, User, authenticate
from assetmap.store import Store

__all__ = [
    "COOKIE",
    "AdminDep",
    "OfficerDep",
    "StewardDep",
    "UserDep",
    "clear_cookie",
    "client_key_for",
    "cookie_is_secure",
    "count_failed_sign_in",
    "current_user",
    "hold_back_failing_client",
    "require_role",
    "require_same_origin",
    "set_cookie",
    "sign_in_limit",
]

COOKIE = "assetmap_session"
_SAFE = {"GET", "HEAD", "OPTIONS"}
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
logger = logging.getLogger("assetmap.auth")


def _sender_origin(request: Request) -> str | None:
    """Where the request says it came from: the Origin, else the Referer's origin."""
    origin = request.headers.get("origin")
    if origin and origin != "null":
        return origin
    referer = request.headers.get("referer")
    if referer:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}" if parts.netloc else None
    return origin  # "null" (an opaque origin) or None


def _from_this_site(request: Request, *, when_silent: bool) -> bool:
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in {"same-origin", "none"}:
        return False
    sender = _sender_origin(request)
    if sender is None:
        # Browsers send Origin on every POST; only scripts send neither header.
        return site is not None or when_silent
    # The host, not the scheme: behind a TLS proxy without --proxy-headers we see http.
    return urlsplit(sender).netloc == request.headers.get("host", request.url.netloc)


def require_same_origin(request: Request) -> None:
    """Refuse a sign-in or sign-out posted from another site (403)."""
    if not _from_this_site(request, when_silent=False):
        raise Forbidden(
            "Signing in and out must be done from this site's own sign-in page, which this "
            "request did not come from (its Origin or Referer names another site, or neither "
            "was sent). Open /signin on this site and try again."
        )


def cookie_is_secure(request: Request, settings: Settings) -> bool:
    """Secure unless asked for on loopback, where there is usually no HTTPS (or as set)."""
    if settings.secure_cookies is not None:
        return settings.secure_cookies
    return request.url.hostname not in _LOOPBACK


def set_cookie(
    response: Response, request: Request, settings: Settings, name: str, value: str, *,
    max_age: int, path: str = "/",
) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path=path, httponly=True, samesite="lax",
        secure=cookie_is_secure(request, settings),
    )


def clear_cookie(response: Response, request: Request, settings: Settings, name: str,
                 path: str = "/") -> None:
    response.delete_cookie(name, path=path, httponly=True, samesite="lax",
                           secure=cookie_is_secure(request, settings))


def sign_in_limit(settings: Settings) -> Limit:
    """Failed sign-ins and failed bearer tokens share one count per client."""
    return Limit(
        bucket="sign-in", attempts=settings.signin_attempts,
        window_seconds=settings.signin_window_minutes * 60,
        message="Too many failed sign-ins from your connection.",
    )


def client_key_for(request: Request, store: Store) -> str:
    """The sender's opaque rate-limit key (run uvicorn with --proxy-headers behind a proxy).

    Called where a limit is counted, not as a dependency: the first call makes the secret.
    """
    address = request.client.host if request.client is not None else "unknown"
    return client_key(store, address)


def hold_back_failing_client(request: Request, store: Store, settings: Settings) -> None:
    """429 if this client has used up its failed sign-ins; checked before any credential.

    Checked first, so that once refused a right guess cannot be told from a wrong one. A
    request while nobody has failed reads one count and writes nothing.
    """
    limit = sign_in_limit(settings)
    if any_failures(store, limit):
        check_allowed(store, limit, client_key_for(request, store))


def count_failed_sign_in(store: Store, settings: Settings, client: str, what: str) -> None:
    """Count and log one failed credential (``what`` says which kind; never the credential)."""
    failures = record_failure(store, sign_in_limit(settings), client)
    logger.warning(
        "refused %s from client %s (%d of %d failures allowed in %d minutes)",
        what, client[:16], failures, settings.signin_attempts, settings.signin_window_minutes,
    )


def _bearer_user(request: Request, store: Store, settings: Settings, header: str) -> User:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Send the token as 'Authorization: Bearer <token>'")
    hold_back_failing_client(request, store, settings)
    found = authenticate(store, token.strip())
    if found is None:
        count_failed_sign_in(store, settings, client_key_for(request, store), "a bearer token")
        raise Unauthorized("That token is not valid or has been revoked")
    return found


def current_user(request: Request, store: StoreDep, settings: SettingsDep) -> User:
    """The signed-in user, or the public user when no credentials were sent.

    FastAPI resolves this once per request however many dependencies need it.
    """
    header = request.headers.get("authorization", "")
    if header:
        return _bearer_user(request, store, settings, header)
    session = session_user(store, request.cookies.get(COOKIE, ""))
    if session is None:
        return PUBLIC
    if request.method not in _SAFE and not _from_this_site(request, when_silent=True):
        raise Forbidden("Writes signed in by cookie must come from this site's own pages")
    return session.user


UserDep = Annotated[User, Depends(current_user)]


def require_role(role: str) -> Callable[[User], User]:
    def dependency(user: UserDep) -> User:
        if user.role == "public":
            raise Unauthorized(
                f"Sign in as {'an' if role[0] in 'aeiou' else 'a'} {role} to do this "
                "(pages: /signin; API: 'Authorization: Bearer <token>', tokens from "
                "`assetmap users add`)"
            )
        if not user.can(role):
            raise Forbidden(f"{user.name} is {user.role}; this needs the {role} role")
        return user

    return dependency


# Stewards, officers and admins: the route then checks what a steward stewards.
StewardDep = Annotated[User, Depends(require_role("steward"))]
OfficerDep = Annotated[User, Depends(require_role("officer"))]
AdminDep = Annotated[User, Depends(require_role("admin"))]
