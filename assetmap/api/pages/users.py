"""The admins' users page: ``/admin/users`` lists every user with their role, email address and,
for stewards, what they steward; admins add users (a new token is shown once), change what a
steward stewards and revoke users. The same register functions as ``assetmap users``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assetmap.api.deps import CatalogDep, StoreDep
from assetmap.api.officer_view import AdminPageDep, page_context, render_page
from assetmap.errors import AssetmapError, NotFound
from assetmap.layers import LayerCatalog
from assetmap.register.stewardship import add_steward, set_stewardship, stewarded_by
from assetmap.register.users import (
    ROLES,
    User,
    active_user,
    add_user,
    checked_email,
    list_users,
    revoke_user,
    set_user_email,
)
from assetmap.store.base import Store

__all__ = ["router"]

router = APIRouter(tags=["officer pages"], include_in_schema=False)

_ROLE_HINTS = {
    "steward": "Runs one or more places or organisations; changes only those",
    "officer": "Council officer; changes every record",
    "admin": "Officer who also manages users",
}


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def _names(store: Store, catalog: LayerCatalog, layer: str, ids: frozenset[str]) -> list[str]:
    found = [(i, store.get(catalog[layer], i)) for i in sorted(ids)]
    return [f"{f.properties.get('name') or i} ({i})" if f is not None else i for i, f in found]


def _rows(store: Store, catalog: LayerCatalog) -> list[dict[str, Any]]:
    rows = []
    for row in list_users(store):
        held = stewarded_by(store, str(row["name"]))
        steward = row["role"] == "steward" and not row["revoked_at"]
        rows.append({
            **row,
            "assets": _names(store, catalog, "assets", held.assets) if steward else [],
            "organisations": (_names(store, catalog, "organisations", held.organisations)
                              if steward else []),
            "steward": steward,
        })
    return rows


def _users_page(request: Request, store: Store, catalog: LayerCatalog, user: User, *,
                values: dict[str, str] | None = None, problems: dict[str, str] | None = None,
                status: int = 200) -> HTMLResponse:
    problems = problems or {}
    context = page_context(
        request, store, user, ("Error: " if problems else "") + "Users",
        rows=_rows(store, catalog), roles=[(r, _ROLE_HINTS[r]) for r in ROLES[1:]],
        values=values or {"role": "steward"}, problems=problems,
    )
    return render_page("admin_users.html", context, status=status)


def _problems(exc: AssetmapError) -> dict[str, str]:
    found = {str(d["field"]): str(d.get("problem", "")) for d in exc.details if d.get("field")}
    return found or {"": exc.message}


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(
    request: Request, user: AdminPageDep, store: StoreDep, catalog: CatalogDep
) -> HTMLResponse:
    return _users_page(request, store, catalog, user)


@router.post("/admin/users", response_class=HTMLResponse)
async def add_user_page(
    request: Request, user: AdminPageDep, store: StoreDep, catalog: CatalogDep
) -> Response:
    form = await request.form()
    values = {key: str(form.get(key, "")).strip()
              for key in ("name", "role", "email", "assets", "organisations")}
    try:
        if values["role"] == "steward":
            token = add_steward(store, catalog, values["name"], email=values["email"] or None,
                                assets=_ids(values["assets"]),
                                organisations=_ids(values["organisations"]), actor=user.name)
        else:
            token = add_user(store, values["name"], values["role"],
                             email=values["email"] or None)
    except AssetmapError as exc:
        if exc.status >= 500:
            raise
        return _users_page(request, store, catalog, user, values=values,
                           problems=_problems(exc), status=exc.status)
    context = page_context(request, store, user, f"{values['name']} added",
                           name=values["name"], role=values["role"], token=token)
    return render_page("admin_user_added.html", context)


def _steward_page(request: Request, store: Store, catalog: LayerCatalog, user: User,
                  steward: User, *, values: dict[str, str] | None = None,
                  problems: dict[str, str] | None = None, status: int = 200) -> HTMLResponse:
    held = stewarded_by(store, steward.name)
    values = values or {"assets": ", ".join(sorted(held.assets)),
                        "organisations": ", ".join(sorted(held.organisations)),
                        "email": steward.email or ""}
    context = page_context(
        request, store, user, ("Error: " if problems else "") + f"What {steward.name} stewards",
        steward=steward, values=values, problems=problems or {},
    )
    return render_page("admin_steward.html", context, status=status)


def _steward(store: Store, name: str) -> User:
    found = active_user(store, name)
    if found is None or found.role != "steward":
        raise NotFound(f"No active steward called {name!r}")
    return found


@router.get("/admin/users/{name}/steward", response_class=HTMLResponse)
def steward_form(
    request: Request, name: str, user: AdminPageDep, store: StoreDep, catalog: CatalogDep
) -> HTMLResponse:
    return _steward_page(request, store, catalog, user, _steward(store, name))


@router.post("/admin/users/{name}/steward", response_class=HTMLResponse)
async def save_steward(
    request: Request, name: str, user: AdminPageDep, store: StoreDep, catalog: CatalogDep
) -> Response:
    steward = _steward(store, name)
    form = await request.form()
    values = {key: str(form.get(key, "")).strip() for key in ("assets", "organisations", "email")}
    try:
        checked_email(values["email"] or None)  # refused before anything is written
        set_stewardship(store, catalog, name, assets=_ids(values["assets"]),
                        organisations=_ids(values["organisations"]), actor=user.name)
        set_user_email(store, name, values["email"] or None)
    except AssetmapError as exc:
        if exc.status >= 500:
            raise
        return _steward_page(request, store, catalog, user, steward, values=values,
                             problems=_problems(exc), status=exc.status)
    return RedirectResponse("/admin/users?done=steward_saved", 303)


@router.post("/admin/users/{name}/revoke", response_class=HTMLResponse)
async def revoke_page(
    request: Request, name: str, user: AdminPageDep, store: StoreDep, catalog: CatalogDep
) -> Response:
    form = await request.form()
    if form.get("confirm") != "yes":
        return _users_page(request, store, catalog, user, status=422, problems={
            "": f"Tick the box to confirm revoking {name}; nobody was revoked."})
    revoke_user(store, name)
    return RedirectResponse(f"/admin/users?done=revoked#{quote(name, safe='')}", 303)
