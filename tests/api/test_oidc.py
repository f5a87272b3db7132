"""The ID-token checks of the OpenID Connect client, with tokens signed here: only a token
the provider signed, for this client, from this issuer, unexpired, repeating this sign-in's
nonce, is taken."""

from __future__ import annotations

import time
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey

from assetmap.api.oidc import OidcProvider
from assetmap.config import Settings
from assetmap.errors import Unauthorized

ISSUER = "https://login.council.example"
PROVIDER_KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"})
NONCE = "n-0123456789"


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> OidcProvider:
    published = {
        f"{ISSUER}/.well-known/openid-configuration": {
            "issuer": ISSUER, "jwks_uri": f"{ISSUER}/keys",
            "authorization_endpoint": f"{ISSUER}/authorize", "token_endpoint": f"{ISSUER}/token",
        },
        f"{ISSUER}/keys": KeySet([PROVIDER_KEY]).as_dict(private=False),
    }
    oidc = OidcProvider(Settings(oidc_issuer=ISSUER, oidc_client_id="assetmap"))
    monkeypatch.setattr(oidc, "_get_json", lambda url: published[url])
    return oidc


def token(key: Any = PROVIDER_KEY, alg: str = "RS256", **changes: Any) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": "assetmap", "sub": "s-1", "nonce": NONCE,
              "iat": now, "exp": now + 300, **changes}
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode({"alg": alg, "kid": "k1"}, claims, key)


def test_a_token_the_provider_signed_for_us_is_taken(provider: OidcProvider) -> None:
    claims = provider._checked(token(email="amy@council.example"), NONCE)
    assert (claims["sub"], claims["email"]) == ("s-1", "amy@council.example")


@pytest.mark.parametrize("forged", [
    token(key=RSAKey.generate_key(2048, parameters={"kid": "k1"})),  # someone else's key
    token(key=OctKey.import_key(b"x" * 32), alg="HS256"),  # an algorithm we never accept
    token(aud="another-app"),
    token(iss="https://evil.example"),
    token(nonce="a-replayed-nonce"),
    token(nonce=None),
    token(exp=int(time.time()) - 3600),
    token(sub=None),
], ids=["key", "alg", "aud", "iss", "nonce", "no-nonce", "expired", "no-sub"])
def test_any_other_token_is_refused(provider: OidcProvider, forged: str) -> None:
    with pytest.raises(Unauthorized, match="did not check out"):
        provider._checked(forged, NONCE)


def test_metadata_naming_another_issuer_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    oidc = OidcProvider(Settings(oidc_issuer=ISSUER, oidc_client_id="assetmap"))
    monkeypatch.setattr(oidc, "_get_json", lambda url: {"issuer": "https://evil.example"})
    with pytest.raises(Exception, match="names another issuer"):
        oidc._checked(token(), NONCE)
