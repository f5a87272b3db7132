"""Which requests get a page: f= first, then the Accept header by quality."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from assetmap.api.negotiation import wants_html


def _request(accept: str | None, query: str = "") -> Request:
    headers = [] if accept is None else [(b"accept", accept.encode())]
    return Request({"type": "http", "method": "GET", "path": "/ogc", "headers": headers,
                    "query_string": query.encode()})


@pytest.mark.parametrize(("accept", "query", "html"), [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "", True),  # Firefox
    ("text/html", "", True),
    ("*/*", "", False),  # curl, httpx, GDAL
    (None, "", False),
    ("application/json", "", False),
    ("application/json, text/html", "", False),  # a tie: the first listed wins
    ("text/html, application/json", "", True),
    ("application/json;q=0.5, text/html", "", True),
    ("text/html;q=0", "", False),
    ("text/html", "f=json", False),
    ("*/*", "f=html", True),
])
def test_wants_html(accept: str | None, query: str, html: bool) -> None:
    assert wants_html(_request(accept, query)) is html
