"""Signing in and out of the officer pages: sessions, not tokens, in the cookie; same-site
posts only; wrong tokens slowed down; tokens never logged. On both backends."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.api.auth import COOKIE
from assetmap.config import Settings
from assetmap.register.users import add_user, revoke_user
from assetmap.store import open_store
from tests.api.pages.officer import SAME_SITE, sign_in
from tests.api.signing_in import session_cookie

EVIL = {"Origin": "https://evil.example"}


@pytest.fixture
def site(store_location: str) -> Iterator[TestClient]:
    """The app over HTTPS on a fresh tiny county in either backend."""
    settings = Settings(store=store_location)
    with TestClient(create_app(settings), follow_redirects=False,
                    base_url="https://testserver") as client:
        yield client


@pytest.fixture
def olive(store_location: str) -> str:
    store = open_store(store_location)
    token = add_user(store, "olive.officer", "officer")
    store.close()
    return token


def signed_in_as(client: TestClient) -> str:
    return str(client.get("/api/me").json()["role"])


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


def test_the_cookie_holds_a_session_id_and_the_token_is_no_cookie(
    site: TestClient, olive: str
) -> None:
    session_id = session_cookie(site, olive)
    assert session_id != olive and olive not in session_id
    assert signed_in_as(site) == "officer"
    site.cookies.clear()
    site.cookies.set(COOKIE, olive)  # the token itself, as the old cookie held it
    assert signed_in_as(site) == "public"
    assert site.get("/stale").status_code == 303


def test_signing_out_ends_the_session_so_a_copied_cookie_stops_working(
    site: TestClient, olive: str
) -> None:
    session_id = session_cookie(site, olive)
    assert site.get("/stale").status_code == 200
    out = site.post("/signout", headers=SAME_SITE)
    assert out.status_code == 303 and f'{COOKIE}=""' in out.headers["set-cookie"]
    site.cookies.clear()
    site.cookies.set(COOKIE, session_id)  # the cookie copied before signing out
    assert signed_in_as(site) == "public"
    page = site.get("/stale")
    assert page.status_code == 303 and page.headers["location"].startswith("/signin")


def test_the_cookie_is_secure_off_loopback_only(tiny_gpkg: Path, token: str) -> None:
    def cookie_from(base_url: str, **settings: bool) -> str:
        app = create_app(Settings(store=str(tiny_gpkg), **settings))  # type: ignore[arg-type]
        with TestClient(app, base_url=base_url, follow_redirects=False) as client:
            response = client.post("/signin", data={"token": token},
                                   headers={"Origin": base_url})
            assert response.status_code == 303
            return str(response.headers["set-cookie"]).lower()

    public = cookie_from("https://assets.council.example")
    assert "; secure" in public and "httponly" in public and "samesite=lax" in public
    assert "; secure" in cookie_from("http://assets.council.example")  # behind a TLS proxy
    assert "; secure" not in cookie_from("http://127.0.0.1:8000")
    assert "; secure" not in cookie_from("http://localhost:8000")
    assert "; secure" in cookie_from("http://127.0.0.1:8000", secure_cookies=True)


def test_sign_in_posted_from_another_site_is_refused(site: TestClient, olive: str) -> None:
    for headers in (EVIL, {"Referer": "https://evil.example/page"},
                    {"Origin": "https://testserver", "Sec-Fetch-Site": "cross-site"}, {}):
        forged = site.post("/signin", data={"token": olive}, headers=headers)
        assert forged.status_code == 403, headers
        assert forged.json()["error"]["code"] == "forbidden"
        assert "this site's own sign-in page" in forged.json()["error"]["message"]
        assert "set-cookie" not in forged.headers
    ours = site.post("/signin", data={"token": olive},
                     headers={"Referer": "https://testserver/signin?next=/"})
    assert ours.status_code == 303


def test_sign_out_posted_from_another_site_is_refused(site: TestClient, olive: str) -> None:
    session_cookie(site, olive)
    assert site.post("/signout", headers=EVIL).status_code == 403
    assert signed_in_as(site) == "officer"


def test_the_sixth_wrong_token_from_one_client_gets_429_with_retry_after(
    site: TestClient, olive: str
) -> None:
    guess = {"token": "am_guess"}
    for _ in range(5):
        assert site.post("/signin", data=guess, headers=SAME_SITE).status_code == 401
    refused = site.post("/signin", data={"token": "am_guess"}, headers=SAME_SITE)
    assert refused.status_code == 429
    assert 840 <= int(refused.headers["retry-after"]) <= 900
    assert "Too many failed sign-ins" in refused.text and "15 minutes" in refused.text
    # The right token waits too: guessing on gains nothing.
    right = site.post("/signin", data={"token": olive}, headers=SAME_SITE)
    assert right.status_code == 429 and "set-cookie" not in right.headers


def test_wrong_bearer_tokens_count_against_the_same_limit(site: TestClient, olive: str) -> None:
    for _ in range(3):
        site.post("/signin", data={"token": "am_guess"}, headers=SAME_SITE)
    for _ in range(2):
        assert site.get("/api/me", headers={"Authorization": "Bearer am_guess"}).status_code == 401
    refused = site.get("/api/me", headers={"Authorization": f"Bearer {olive}"})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert refused.json()["error"]["code"] == "too_many_requests"


def test_the_limit_is_a_setting(tiny_gpkg: Path) -> None:
    settings = Settings(store=str(tiny_gpkg), signin_attempts=2, signin_window_minutes=1)
    with TestClient(create_app(settings)) as client:
        bad = {"Authorization": "Bearer am_guess"}
        assert [client.get("/api/me", headers=bad).status_code for _ in range(3)] == [401, 401, 429]
        assert int(client.get("/api/me", headers=bad).headers["retry-after"]) <= 60


def test_tokens_never_reach_the_logs(
    site: TestClient, olive: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "am_" + "w" * 43
    site.post("/signin", data={"token": wrong}, headers=SAME_SITE)
    site.get("/api/me", headers={"Authorization": f"Bearer {wrong}x"})
    session_id = session_cookie(site, olive)
    site.get("/api/me", headers={"Authorization": f"Bearer {olive}"})
    refusals = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 2 and "client" in refusals[0].getMessage()
    logged = "\n".join(f"{r.getMessage()} {r.args}" for r in caplog.records)
    assert "signed in olive.officer" in logged
    for secret in (wrong, olive, olive[3:], session_id):
        assert secret not in logged
