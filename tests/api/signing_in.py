"""Signing a test client in through /signin, as a browser would: the cookie it keeps is the
session id the server issued, never the token."""

from __future__ import annotations

from http.cookies import SimpleCookie

from fastapi.testclient import TestClient

from assetmap.api.auth import COOKIE


def session_cookie(client: TestClient, token: str) -> str:
    """Sign in with ``token`` and return the session id the server set in its cookie."""
    origin = f"{client.base_url.scheme}://{client.base_url.netloc.decode()}"
    response = client.post("/signin", data={"token": token}, headers={"Origin": origin},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    cookie = SimpleCookie(response.headers["set-cookie"])
    session_id = cookie[COOKIE].value
    assert session_id and token not in response.headers["set-cookie"]
    return session_id


def sign_in_by_cookie(client: TestClient, token: str) -> None:
    """Sign ``client`` in; keeps the cookie even over plain http://testserver, where a
    browser would drop a Secure one, so tests of other things can use the http client."""
    session_id = session_cookie(client, token)
    client.cookies.clear()
    client.cookies.set(COOKIE, session_id)
