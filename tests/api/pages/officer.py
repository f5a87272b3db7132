"""Helpers the officer page tests share: signing in, and the version a form was opened on."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

# The pages are served over HTTPS in tests too: the session cookie is Secure off loopback.
SAME_SITE = {"Origin": "https://testserver"}


def sign_in(browser: TestClient, token: str) -> None:
    response = browser.post("/signin", data={"token": token, "next": "/stale"}, headers=SAME_SITE)
    assert response.status_code == 303 and response.headers["location"] == "/stale"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def etag_in(html: str) -> str:
    found = re.search(r'name="etag" value="([^"]+)"', html)
    assert found, "the form carries the version it was opened on"
    return found.group(1).replace("&#34;", '"')
