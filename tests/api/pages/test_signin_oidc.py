"""Signing in with the council's identity provider, end to end against a local OpenID
Connect provider (oidc-provider-mock on 127.0.0.1): the authorization code flow with PKCE,
roles from a group claim or from an admin's link, and the refusals."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.register.identities import link_identity
from assetmap.register.users import add_user
from assetmap.store import open_store
from tests.api import oidc_mock
from tests.api.pages.officer import SAME_SITE

PORT = 8171  # this project's test range is 8170-8179
ISSUER = f"http://127.0.0.1:{PORT}"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with oidc_mock.running_provider(PORT):
        yield ISSUER


def person(sub: str, **claims: object) -> str:
    return oidc_mock.person(ISSUER, sub, **claims)


@pytest.fixture
def site(provider: str, store_location: str) -> Iterator[TestClient]:
    settings = Settings(
        store=store_location, oidc_issuer=provider, oidc_client_id="assetmap-test",
        oidc_client_secret="not-a-real-secret",  # type: ignore[arg-type]
        oidc_name="Northshire County Council", oidc_role_claim="groups",
        oidc_roles="officer:grp-communities,admin:grp-admins",
    )
    with TestClient(create_app(settings), follow_redirects=False,
                    base_url="https://testserver") as client:
        yield client


def leave_for_provider(site: TestClient, next_path: str = "/stale") -> str:
    """Start signing in; returns the provider's authorization URL we were sent to."""
    response = site.get("/signin/oidc", params={"next": next_path})
    assert response.status_code == 303
    assert "assetmap_oidc_state=" in response.headers["set-cookie"]
    return str(response.headers["location"])


def approve_at_provider(authorize_url: str, sub: str) -> str:
    """The person signs in at the provider; returns our callback URL (path and query)."""
    answer = httpx.post(authorize_url, data={"sub": sub}, follow_redirects=False)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == "https://testserver/signin/oidc/callback"
    return f"{back.path}?{back.query}"


def me(site: TestClient) -> dict[str, str]:
    body: dict[str, str] = site.get("/api/me").json()
    return body


def test_the_sign_in_page_offers_the_council_and_keeps_the_token_form(site: TestClient) -> None:
    page = site.get("/signin")
    assert "Sign in with Northshire County Council" in page.text
    assert 'name="token"' in page.text


def test_a_group_member_signs_in_as_officer_and_out_again(site: TestClient) -> None:
    alice = person("alice", email="alice@council.example", groups=["grp-communities", "x"])
    authorize = leave_for_provider(site)
    asked = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(f"{ISSUER}/oauth2/authorize?")
    assert asked["response_type"] == ["code"] and asked["client_id"] == ["assetmap-test"]
    assert asked["code_challenge_method"] == ["S256"] and len(asked["code_challenge"][0]) == 43
    assert asked["state"][0] and asked["nonce"][0] and "openid" in asked["scope"][0]
    back = site.get(approve_at_provider(authorize, alice))
    assert back.status_code == 303 and back.headers["location"] == "/stale"
    assert me(site) == {"name": "alice@council.example", "role": "officer"}
    assert site.get("/stale").status_code == 200
    assert site.post("/signout", headers=SAME_SITE).status_code == 303
    assert me(site)["role"] == "public"


def test_the_admin_group_gives_the_admin_role(site: TestClient) -> None:
    ada = person("ada", email="ada@council.example", groups=["grp-admins", "grp-communities"])
    site.get(approve_at_provider(leave_for_provider(site), ada))
    assert me(site) == {"name": "ada@council.example", "role": "admin"}


def test_an_account_an_admin_linked_signs_in_with_that_users_role(
    site: TestClient, store_location: str
) -> None:
    store = open_store(store_location)
    add_user(store, "b.brown", "officer")
    link_identity(store, "b.brown", email="Bob@Council.example", subject=None)
    bob = person("bob", email="bob@council.example", email_verified=True)  # in no group
    site.get(approve_at_provider(leave_for_provider(site), bob))
    assert me(site) == {"name": "b.brown", "role": "officer"}
    (link,) = store.records("assetmap_identities")
    assert (link["issuer"], link["subject"]) == (ISSUER, "bob")  # known by subject from now on
    store.close()


def test_someone_without_a_role_is_told_to_ask_an_administrator(site: TestClient) -> None:
    carol = person("carol", email="carol@elsewhere.example", groups=["grp-finance"])
    page = site.get(approve_at_provider(leave_for_provider(site), carol))
    assert page.status_code == 403
    assert "You do not have access yet" in page.text and "ask an administrator" in page.text.lower()
    assert "carol@elsewhere.example" in page.text and "set-cookie" not in page.headers
    assert me(site)["role"] == "public"


def test_a_forged_mismatched_or_replayed_state_is_refused(site: TestClient) -> None:
    dave = person("dave", email="dave@council.example", groups=["grp-communities"])
    callback = approve_at_provider(leave_for_provider(site), dave)
    path, query = callback.split("?", 1)
    params = {key: values[0] for key, values in parse_qs(query).items()}
    forged = site.get(path, params={**params, "state": "made-up"})
    assert forged.status_code == 400 and "did not start in this browser" in forged.text
    # The real callback, delivered to another browser (login CSRF): no state cookie there.
    # (Not entered with `with`: its lifespan's end would close the store the app shares.)
    other = TestClient(site.app, follow_redirects=False, base_url="https://testserver")
    assert other.get(callback).status_code == 400
    assert me(other)["role"] == "public"
    assert me(site)["role"] == "public"
    assert site.get(callback).status_code == 303  # the browser that started it still can
    assert me(site)["role"] == "officer"
    site.post("/signout", headers=SAME_SITE)
    # Replayed, even with the state cookie put back: a state works once.
    site.cookies.set("assetmap_oidc_state", params["state"], path="/signin/oidc")
    replayed = site.get(callback)
    assert replayed.status_code == 400 and "used already" in replayed.text
    assert me(site)["role"] == "public"


def test_without_a_provider_configured_there_is_no_button(browser: TestClient) -> None:
    assert "Sign in with" not in browser.get("/signin").text
    assert browser.get("/signin/oidc").status_code == 404


def test_a_code_the_provider_never_issued_is_refused(site: TestClient) -> None:
    state = parse_qs(urlsplit(leave_for_provider(site)).query)["state"][0]
    back = site.get("/signin/oidc/callback", params={"state": state, "code": "made-up"})
    assert back.status_code == 401 and "did not accept this sign-in" in back.text
    assert me(site)["role"] == "public"


def test_a_refusal_at_the_provider_comes_back_as_a_message(site: TestClient) -> None:
    authorize = leave_for_provider(site)
    denied = httpx.post(authorize, data={"action": "deny"}, follow_redirects=False)
    back = urlsplit(denied.headers["location"])
    assert "error=access_denied" in back.query
    page = site.get(f"{back.path}?{back.query}")
    assert page.status_code == 401 and "did not sign you in" in page.text
