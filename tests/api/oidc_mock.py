"""A local OpenID Connect provider for tests: oidc-provider-mock served on 127.0.0.1.

Ports come from this project's test range (8170-8179). ``person`` puts someone at the
provider with the claims their ID token will carry.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import authlib.deprecate  # noqa: F401  (installs its "always" filter first, so ours below wins)
import httpx
import werkzeug.serving

with warnings.catch_warnings():
    # The mock uses Authlib's older APIs, which warn on import (not ours to fix).
    warnings.simplefilter("ignore", DeprecationWarning)
    import oidc_provider_mock


@contextmanager
def running_provider(port: int) -> Iterator[None]:
    """The provider on 127.0.0.1:``port`` (nonces required) until the block ends."""
    app = oidc_provider_mock.app(require_nonce=True)
    server = werkzeug.serving.make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def person(issuer: str, sub: str, **claims: object) -> str:
    """Put a person at the provider with these claims; returns their subject."""
    assert httpx.put(f"{issuer}/users/{sub}", json=claims).status_code == 204
    return sub
