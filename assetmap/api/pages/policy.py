"""The footer's pages: accessibility statement, privacy notice, cookies and contact.

Each is a template a council edits: the shipped versions are ``web/templates/policy/*.html``;
``ASSETMAP_POLICY_PAGES_DIR`` names a folder of the council's own versions (same file names),
tried first, so an upgrade never overwrites what the council wrote. They extend
``public_base.html`` and see the settings they talk about (council, contact, retention).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from assetmap.api.deps import FinderDep, SettingsDep
from assetmap.api.public_view import common_context, page_messages
from assetmap.api.shell import LOGO_URL, POLICY_PAGES
from assetmap.config import LOGO_TYPES, PROJECT_ROOT, Settings
from assetmap.errors import NotFound

__all__ = ["SHIPPED_POLICY_DIR", "router"]

router = APIRouter(tags=["public pages"], include_in_schema=False)

_TEMPLATES = PROJECT_ROOT / "web" / "templates"
SHIPPED_POLICY_DIR = _TEMPLATES / "policy"


@cache
def _environment(council_dir: Path | None) -> Environment:
    # The council's folder first, then the shipped pages; base templates from web/templates.
    loaders = [FileSystemLoader(council_dir)] if council_dir is not None else []
    loaders += [FileSystemLoader(SHIPPED_POLICY_DIR), FileSystemLoader(_TEMPLATES)]
    return Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(["html"]))


def _facts(settings: Settings) -> dict[str, Any]:
    """The settings the pages state as facts, so they stay true when the settings change."""
    return {
        "contact_retention_days": settings.contact_retention_days,
        "corrections_email": settings.corrections_email,
        "session_hours": settings.session_hours,
        "oidc": settings.oidc_issuer is not None,
    }


def _page(request: Request, finder: FinderDep, settings: Settings, name: str,
          lang: str | None) -> HTMLResponse:
    t = page_messages(request, lang)
    context = {**common_context(request, t, finder.data(), settings), **_facts(settings)}
    template = _environment(settings.policy_pages_dir).get_template(name)
    return HTMLResponse(template.render(**context))


def _route(path: str, name: str) -> None:
    def page(request: Request, finder: FinderDep, settings: SettingsDep,
             lang: str | None = None) -> HTMLResponse:
        return _page(request, finder, settings, name, lang)

    page.__name__ = f"{name.removesuffix('.html')}_page"
    router.add_api_route(path, page, methods=["GET"], response_class=HTMLResponse)


for _path, _name in POLICY_PAGES.items():
    _route(_path, _name)


@router.get(LOGO_URL)
def council_logo(settings: SettingsDep) -> Response:
    """The council's logo, from this service (no request leaves for another site)."""
    if settings.logo is None:
        raise NotFound("No logo is set (ASSETMAP_LOGO).")
    response = FileResponse(settings.logo, media_type=LOGO_TYPES[settings.logo.suffix.lower()])
    response.headers["Cache-Control"] = "public, max-age=3600"
    # An SVG opened on its own must not run script.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
