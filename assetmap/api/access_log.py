"""Access logs without raw client addresses: uvicorn's access log with each address cut to
its network (IPv4 /24, IPv6 /48), as web analytics anonymise them.

Enough to see that traffic came from one place (an office, a misbehaving client) without
keeping a personal identifier in log files that are copied, shipped and kept for years.
``assetmap serve`` passes :func:`access_log_config` to uvicorn, so every worker logs so.
"""

from __future__ import annotations

import copy
import ipaddress
import logging
from typing import Any

__all__ = ["ClientAddressFilter", "access_log_config", "anonymise_address"]

_IPV4_PREFIX, _IPV6_PREFIX = 24, 48


def anonymise_address(client: str) -> str:
    """``"203.0.113.45:51234"`` -> ``"203.0.113.0/24"``; what is not an address -> ``"-"``."""
    host, _, port = client.rpartition(":")
    if not port.isdigit():
        host = client
    host = host.strip("[]")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "-"
    prefix = _IPV4_PREFIX if address.version == 4 else _IPV6_PREFIX
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


class ClientAddressFilter(logging.Filter):
    """Rewrites the client address, the first argument of uvicorn's access log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = (anonymise_address(str(record.args[0])), *record.args[1:])
        return True


def access_log_config() -> dict[str, Any]:
    """uvicorn's own logging configuration with the address filter on the access log."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["client_address"] = {
        "()": f"{__name__}.ClientAddressFilter"}
    config["handlers"]["access"].setdefault("filters", []).append("client_address")
    return config
