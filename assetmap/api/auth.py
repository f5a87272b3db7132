"""Who is asking: a bearer token (API clients) or the sign-in cookie (officer pages), and the
opaque key rate limits count a sender by.

Public reads need nothing. Writes need a role. A cookie is sent by the browser
on its own, so a write that relies on the cookie must also come from one of our
own pages (the Origin or Sec-Fetch-Site header says so); that, with
SameSite=Strict, is the defence against cross-site request forgery.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from assetmap.api.deps import StoreDep
from assetmap.errors import Forbidden, Unauthorized
from assetmap.register.client_keys import client_key
from assetmap.register.users import PUBLIC, User, authenticate
from assetmap.store import Store

__all__ = [
    "COOKIE",
    "AdminDep",
    "OfficerDep",
    "UserDep",
    "client_key_for",
    "current_user",
    "require_role",
]

COOKIE = "assetmap_token"
_SAFE = {"GET", "HEAD", "OPTIONS"}


def _same_origin(request: Request) -> bool:
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in {"same-origin", "none"}
    origin = request.headers.get("origin")
    if origin is None:
        # Not a browser request that could be forged (browsers send Origin on POST).
        return True
    return origin == f"{request.url.scheme}://{request.url.netloc}"


def current_user(request: Request, store: StoreDep) -> User:
    """The signed-in user, or the public user when no credentials were sent.

    FastAPI resolves this once per request however many dependencies need it.
    """
    header = request.headers.get("authorization", "")
    user = PUBLIC
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("Send the token as 'Authorization: Bearer <token>'")
        found = authenticate(store, token.strip())
        if found is None:
            raise Unauthorized("That token is not valid or has been revoked")
        user = found
    elif request.cookies.get(COOKIE):
        found = authenticate(store, request.cookies[COOKIE])
        if found is not None:
            if request.method not in _SAFE and not _same_origin(request):
                raise Forbidden("Writes signed in by cookie must come from this site's own pages")
            user = found
    return user


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


def client_key_for(request: Request, store: Store) -> str:
    """The sender's opaque rate-limit key (run uvicorn with --proxy-headers behind a proxy).

    Called where a limit is counted, not as a dependency: the first call makes the secret.
    """
    address = request.client.host if request.client is not None else "unknown"
    return client_key(store, address)


OfficerDep = Annotated[User, Depends(require_role("officer"))]
AdminDep = Annotated[User, Depends(require_role("admin"))]
