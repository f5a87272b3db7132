"""End to end in headless Chromium: an officer signs in with the council's identity provider
and out again. The provider is on another site (localhost, the service on 127.0.0.1), so the
way back is a cross-site redirect: the SameSite=Lax cookies must survive it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr

from assetmap.api import create_app
from assetmap.config import Settings
from tests.api import oidc_mock
from tests.e2e.browser import chromium_page, live_server, serious_accessibility_violations

pytestmark = pytest.mark.browser

PORT = 8172  # this project's test range is 8170-8179
ISSUER = f"http://localhost:{PORT}"


@pytest.fixture
def base(settings: Settings) -> Iterator[str]:
    configured = settings.model_copy(update={
        "oidc_issuer": ISSUER, "oidc_client_id": "assetmap-e2e",
        "oidc_client_secret": SecretStr("not-a-real-secret"),
        "oidc_name": "Northshire County Council",
        "oidc_roles": "officer:grp-communities",
    })
    with oidc_mock.running_provider(PORT), live_server(create_app(configured)) as url:
        yield url


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page(viewport={"width": 1280, "height": 800}) as page:
        yield page


def sign_in_at_provider(page: Any, base: str, sub: str) -> None:
    page.goto(f"{base}/signin?next=/stale")
    page.get_by_role("button", name="Sign in with Northshire County Council").click()
    page.wait_for_url(f"{ISSUER}/oauth2/authorize?*")
    page.fill("input[name=sub]", sub)
    page.get_by_role("button", name="Authorize").click()


def test_an_officer_signs_in_with_the_council_and_out_again(base: str, page: Any) -> None:
    oidc_mock.person(ISSUER, "erin", email="erin@council.example", groups=["grp-communities"])
    page.goto(f"{base}/signin")
    assert serious_accessibility_violations(page) == []
    sign_in_at_provider(page, base, "erin")
    page.wait_for_url(f"{base}/stale")
    assert page.get_by_role("heading", level=1).inner_text() == "Stale records"
    assert "Signed in as erin@council.example (officer)" in page.locator(".of-signout").inner_text()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/stale")
    assert page.url.startswith(f"{base}/signin?next=")


def test_someone_without_a_role_is_told_to_ask_an_administrator(base: str, page: Any) -> None:
    oidc_mock.person(ISSUER, "frank", email="frank@council.example", groups=["grp-finance"])
    sign_in_at_provider(page, base, "frank")
    page.wait_for_url(f"{base}/signin/oidc/callback?*")
    assert page.get_by_role("heading", level=1).inner_text() == "You do not have access yet"
    assert serious_accessibility_violations(page) == []
