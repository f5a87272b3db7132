"""HTML for browsers, JSON for clients: which one a request asks for.

As pygeoapi and ldproxy do: ``?f=html`` or ``?f=json`` decides outright; otherwise the
``Accept`` header does, by quality, the first listed winning a tie. ``*/*`` alone (curl,
scripts, GIS clients) is JSON, so a client that says nothing keeps the JSON it always had.
"""

from __future__ import annotations

from fastapi import Request

__all__ = ["HTML_TYPES", "media_ranges", "wants_html"]

HTML_TYPES = ("text/html", "application/xhtml+xml")
_JSON_TYPES = ("application/json", "application/geo+json", "application/problem+json")


def media_ranges(accept: str) -> list[tuple[str, float]]:
    """Each media range of an Accept header with its quality, in the header's order."""
    ranges = []
    for item in accept.split(","):
        media, *parameters = (part.strip().lower() for part in item.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((media, quality))
    return ranges


def _best(ranges: list[tuple[str, float]], types: tuple[str, ...]) -> tuple[float, int]:
    """The highest quality the ranges give ``types`` (named outright), and where it comes."""
    found = [(q, -at) for at, (media, q) in enumerate(ranges) if media in types]
    return max(found, default=(0.0, 0))


def wants_html(request: Request) -> bool:
    """Whether to answer with a page: ``f=html``, or an Accept header preferring HTML."""
    chosen = (request.query_params.get("f") or "").strip().lower()
    if chosen in ("html", "json"):
        return chosen == "html"
    ranges = media_ranges(request.headers.get("accept") or "")
    html, html_at = _best(ranges, HTML_TYPES)
    if html <= 0:
        return False
    json, json_at = _best(ranges, _JSON_TYPES)
    return html > json or (html == json and html_at > json_at)
