"""Shared pieces of the residents' pages (``pages/finder.py``, ``pages/corrections.py``).

The reader's language, the context every public page needs, errors worded in
that language, and the friendly "not found" page: a handler raises
:class:`HubNotFound` and the one exception handler renders it.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from assetmap.api.shell import service_shell
from assetmap.config import Settings
from assetmap.errors import AssetmapError
from assetmap.finder import FinderData
from assetmap.maps.page import render_fragment
from assetmap.messages import DEFAULT_LANGUAGE, Messages, choose_language, messages
from assetmap.provenance import DatasetInfo

__all__ = [
    "HubNotFound",
    "common_context",
    "keep_language",
    "page_messages",
    "render_hub_not_found",
    "translated",
]


def page_messages(request: Request, lang: str | None) -> Messages:
    """The catalogue chosen by ``?lang=``, else by the Accept-Language header."""
    return messages(choose_language(lang, request.headers.get("accept-language")))


def keep_language(t: Messages) -> dict[str, str]:
    """The ``lang`` parameter that keeps the reader's language in a link (none for the default)."""
    return {"lang": t.code} if t.code != DEFAULT_LANGUAGE else {}


def common_context(
    request: Request, t: Messages, data: FinderData, settings: Settings
) -> dict[str, Any]:
    """What every public page's template needs: the shell, language, provenance, credits,
    basemap."""
    lang_query = "" if t.code == DEFAULT_LANGUAGE else f"lang={t.code}"
    other = "en" if t.code == "en-easy" else "en-easy"
    switch = request.url.include_query_params(lang=other)
    info = DatasetInfo.from_metadata(data.metadata)
    return {
        "shell": service_shell(settings),
        "t": t,
        "lang_query": lang_query,
        "other_lang": other,
        "switch_url": f"{switch.path}?{switch.query}",
        "synthetic": info.synthetic,
        "notice": info.notice,
        "attribution_lines": list(info.attribution),
        "parishes_loaded": data.parishes_loaded,
        "basemap_url": settings.basemap_url or "",
        "basemap_attribution": settings.basemap_attribution,
    }


def translated(t: Messages, exc: AssetmapError) -> str:
    """The error in the page's language when the catalogue has it, else its own message."""
    if exc.key is None:
        return exc.message
    template = t.get(exc.key, "")
    try:
        return template.format(**exc.values) if template else exc.message
    except (KeyError, IndexError, ValueError):
        return exc.message


class HubNotFound(Exception):
    """No hub or asset residents can see by that id: answered with the friendly 404 page."""

    def __init__(self, context: dict[str, Any]) -> None:
        super().__init__("no such hub")
        self.context = context


def render_hub_not_found(_: Request, exc: Exception) -> HTMLResponse:
    assert isinstance(exc, HubNotFound)
    return HTMLResponse(render_fragment("hub_missing.html", **exc.context), status_code=404)
