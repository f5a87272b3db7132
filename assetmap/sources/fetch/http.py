"""One HTTP client for every download: user agent, timeouts, bounded retries, cache.

Retries cover what passes on its own: connection drops, timeouts, HTTP 429 and
5xx (waiting as long as ``Retry-After`` asks, else 1, 2, 4… seconds), and bodies
a check marks as retryable. A name that does not resolve means no internet, so
it fails at once with one clear message. The transport is a parameter: tests
pass ``httpx.MockTransport`` and never touch the network.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from assetmap.sources.fetch.cache import ResponseCache
from assetmap.sources.fetch.errors import FetchError, OfflineError, RetryableResponse

__all__ = ["Downloader", "Request", "Response", "RetryPolicy"]

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_DNS_FAILURES = ("name or service not known", "temporary failure in name resolution",
                 "nodename nor servname", "getaddrinfo failed", "no address associated")

Check = Callable[[bytes], None]


@dataclass(frozen=True)
class Request:
    """A GET (params) or a form POST (data); its cache key covers all of it."""

    url: str
    params: Sequence[tuple[str, str]] = ()
    data: Sequence[tuple[str, str]] = ()
    method: str = "GET"

    @property
    def full_url(self) -> str:
        return str(httpx.URL(self.url, params=list(self.params)))

    @property
    def host(self) -> str:
        return httpx.URL(self.url).host

    def cache_key(self) -> str:
        identity = [self.method, self.url, sorted(self.params), sorted(self.data)]
        return hashlib.sha256(json.dumps(identity).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Response:
    content: bytes
    url: str
    retrieved_at: str
    from_cache: bool


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 4
    backoff_s: float = 1.0
    max_wait_s: float = 120.0

    def wait(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        wanted = retry_after if retry_after is not None else self.backoff_s * 2 ** (attempt - 1)
        return min(max(wanted, 0.0), self.max_wait_s)


@dataclass
class Downloader:
    """Fetch ``Request``s through the cache, retrying what may pass."""

    user_agent: str
    timeout_s: float = 60.0
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    cache: ResponseCache | None = None
    refresh: bool = False
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    requests_made: int = 0

    def __post_init__(self) -> None:
        self._client = httpx.Client(
            transport=self.transport, timeout=self.timeout_s, follow_redirects=True,
            headers={"User-Agent": self.user_agent},
        )

    def __enter__(self) -> Downloader:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def fetch(self, request: Request, check: Check | None = None) -> Response:
        """The response body, from the cache unless refreshing; ``check`` may reject it."""
        key = request.cache_key()
        if self.cache is not None and not self.refresh:
            hit = self.cache.get(key)
            if hit is not None:
                return Response(hit.content, hit.url, hit.retrieved_at, from_cache=True)
        content = self._with_retries(request, check)
        retrieved_at = datetime.now(UTC).isoformat(timespec="seconds")
        if self.cache is not None:
            self.cache.put(key, content, url=request.full_url, retrieved_at=retrieved_at)
        return Response(content, request.full_url, retrieved_at, from_cache=False)

    def _with_retries(self, request: Request, check: Check | None) -> bytes:
        attempts = self.policy.retries + 1
        last: str = ""
        unreachable: httpx.TransportError | None = None
        for attempt in range(1, attempts + 1):
            retry_after: float | None = None
            try:
                self.requests_made += 1
                response = self._client.request(
                    request.method, request.url, params=list(request.params),
                    data=dict(request.data) if request.data else None,
                )
            except httpx.ConnectError as exc:
                if _is_dns_failure(exc):
                    raise OfflineError(request.host, str(exc) or "name lookup failed") from exc
                unreachable, last = exc, f"cannot connect: {exc}"
            except httpx.TransportError as exc:  # timeouts, dropped connections
                unreachable, last = None, f"{type(exc).__name__}: {exc}"
            else:
                unreachable = None
                if response.status_code in _RETRY_STATUSES:
                    last = f"HTTP {response.status_code}"
                    retry_after = _retry_after(response.headers.get("Retry-After"))
                elif response.status_code >= 400:
                    raise FetchError(
                        f"{request.full_url}: HTTP {response.status_code} "
                        f"{response.reason_phrase}; the endpoint may have moved: check the "
                        "endpoints file (--endpoints)"
                    )
                else:
                    try:
                        if check is not None:
                            check(response.content)
                        return response.content
                    except RetryableResponse as exc:
                        last = exc.reason
            if attempt < attempts:
                self.sleep(self.policy.wait(attempt, retry_after))
        if unreachable is not None:
            raise OfflineError(request.host, f"{last} after {attempts} attempts")
        raise FetchError(f"{request.full_url}: gave up after {attempts} attempts ({last}); "
                         "the service may be busy or down, try again later")


def _is_dns_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return True
        if any(text in str(seen).lower() for text in _DNS_FAILURES):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)
