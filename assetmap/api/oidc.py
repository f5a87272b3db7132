"""The council's OpenID Connect provider: the authorization code flow with PKCE.

Authlib's OAuth2 client builds the authorization request (state, nonce, S256 code
challenge) and redeems the code; joserfc (Authlib's successor for JOSE) checks the ID
token: signature against the provider's published keys, issuer, audience, expiry and
the nonce this sign-in sent. The provider's metadata and keys are read once per process
and again when a token names a key not yet seen (providers rotate keys).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.integrations.base_client import OAuthError
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from assetmap.config import Settings
from assetmap.errors import AssetmapError, ConfigError, Unauthorized
from assetmap.register.identities import parse_role_map
from assetmap.register.oidc_logins import PendingLogin

__all__ = ["OidcProvider", "oidc_provider"]

logger = logging.getLogger("assetmap.auth")
_TIMEOUT = 10.0
_METADATA_SECONDS = 3600.0
_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]


class ProviderUnavailable(AssetmapError):
    status = 502
    code = "identity_provider_unavailable"


@dataclass
class _Published:
    metadata: dict[str, Any]
    keys: KeySet
    read_at: float


class OidcProvider:
    """One configured provider; safe to share between requests and threads."""

    def __init__(self, settings: Settings) -> None:
        assert settings.oidc_issuer and settings.oidc_client_id
        self.issuer = settings.oidc_issuer.rstrip("/")
        self.client_id = settings.oidc_client_id
        secret = settings.oidc_client_secret
        self._client_secret = secret.get_secret_value() if secret is not None else None
        self.name = settings.oidc_name
        self.scopes = settings.oidc_scopes
        self.role_claim = settings.oidc_role_claim
        try:
            self.role_map = parse_role_map(settings.oidc_roles)
        except ValueError as exc:
            raise ConfigError(
                f"invalid setting ASSETMAP_OIDC_ROLES: {exc} (fix or unset ASSETMAP_OIDC_ROLES)"
            ) from None
        self.redirect_url = settings.oidc_redirect_url
        self._published: _Published | None = None
        self._lock = threading.Lock()

    def _get_json(self, url: str) -> dict[str, Any]:
        try:
            response = httpx.get(url, timeout=_TIMEOUT, follow_redirects=False)
            response.raise_for_status()
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ProviderUnavailable(
                f"Could not reach the identity provider ({type(exc).__name__}); try again, "
                "or sign in with a token"
            ) from exc
        if not isinstance(body, dict):
            raise ProviderUnavailable("The identity provider answered with something unexpected")
        return body

    def _read(self, *, refresh: bool = False) -> _Published:
        with self._lock:
            known = self._published
            fresh = known is not None and time.monotonic() - known.read_at < _METADATA_SECONDS
            if known is not None and fresh and not refresh:
                return known
            metadata = self._get_json(f"{self.issuer}/.well-known/openid-configuration")
            if str(metadata.get("issuer", "")).rstrip("/") != self.issuer:
                raise ProviderUnavailable(
                    "The identity provider's metadata names another issuer: check "
                    "ASSETMAP_OIDC_ISSUER"
                )
            keys = KeySet.import_key_set(self._get_json(str(metadata["jwks_uri"])))  # type: ignore[arg-type]
            self._published = _Published(metadata, keys, time.monotonic())
            return self._published

    def _client(self, redirect_uri: str) -> Any:
        # Imported here: it warns about httpx on import, which installs without OIDC need not see.
        from authlib.integrations.httpx_client import OAuth2Client

        return OAuth2Client(
            client_id=self.client_id, client_secret=self._client_secret, scope=self.scopes,
            redirect_uri=redirect_uri, code_challenge_method="S256", timeout=_TIMEOUT,
            # Without a secret, a public client: PKCE alone proves who redeems the code.
            token_endpoint_auth_method=None if self._client_secret else "none",
        )

    def authorization_url(self, login: PendingLogin, redirect_uri: str) -> str:
        endpoint = str(self._read().metadata["authorization_endpoint"])
        with self._client(redirect_uri) as client:
            url, _ = client.create_authorization_url(
                endpoint, state=login.state, code_verifier=login.code_verifier, nonce=login.nonce,
            )
        return str(url)

    def claims(self, code: str, login: PendingLogin, redirect_uri: str) -> dict[str, Any]:
        """Redeem ``code`` and return the ID token's checked claims."""
        endpoint = str(self._read().metadata["token_endpoint"])
        try:
            with self._client(redirect_uri) as client:
                token = client.fetch_token(
                    endpoint, grant_type="authorization_code", code=code,
                    code_verifier=login.code_verifier,
                )
        except (OAuthError, httpx.HTTPError, ValueError) as exc:
            # The provider's error (e.g. invalid_grant) says what went wrong; no secrets in it.
            logger.warning("the identity provider refused the code: %s: %s",
                           type(exc).__name__, str(exc)[:300])
            raise Unauthorized(
                "The identity provider did not accept this sign-in; start again"
            ) from exc
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise Unauthorized("The identity provider sent no ID token; is 'openid' in the scopes?")
        return self._checked(id_token, login.nonce)

    def _checked(self, id_token: str, nonce: str) -> dict[str, Any]:
        try:
            try:
                decoded = jwt.decode(id_token, self._read().keys, algorithms=_ALGORITHMS)
            except (ValueError, JoseError):  # perhaps a key rotated in since we read them
                decoded = jwt.decode(id_token, self._read(refresh=True).keys,
                                     algorithms=_ALGORITHMS)
            jwt.JWTClaimsRegistry(
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.client_id},
                nonce={"essential": True, "value": nonce},
                sub={"essential": True},
                exp={"essential": True},
            ).validate(decoded.claims)
        except (ValueError, JoseError) as exc:
            raise Unauthorized(
                f"The identity provider's ID token did not check out ({type(exc).__name__}); "
                "start again"
            ) from exc
        return dict(decoded.claims)


def oidc_provider(settings: Settings) -> OidcProvider | None:
    """The configured provider, or None when sign-in is by token only."""
    if not (settings.oidc_issuer and settings.oidc_client_id):
        return None
    return OidcProvider(settings)
