"""Signing in and out of the officer pages."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from assetmap.register.users import revoke_user
from assetmap.store import open_store
from tests.api.pages.officer import SAME_SITE, sign_in


def test_a_wrong_token_says_so_and_sets_no_cookie(browser: TestClient) -> None:
    response = browser.post("/signin", data={"token": "am_wrong"}, headers=SAME_SITE)
    assert response.status_code == 401
    assert "not valid" in response.text and "set-cookie" not in response.headers


def test_sign_in_never_redirects_off_site(browser: TestClient, token: str) -> None:
    response = browser.post("/signin", data={"token": token, "next": "//evil.example/x"},
                            headers=SAME_SITE)
    assert response.headers["location"] == "/"


def test_a_revoked_officer_is_signed_out(browser: TestClient, token: str, tiny_gpkg: Path) -> None:
    sign_in(browser, token)
    revoke_user(open_store(str(tiny_gpkg)), "olive.officer")
    assert browser.get("/stale").status_code == 303
