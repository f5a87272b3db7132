"""Access logs keep no raw client address (issue 15): cut to its network in every worker."""

from __future__ import annotations

import logging
import logging.config

import pytest

from assetmap.api.access_log import ClientAddressFilter, access_log_config, anonymise_address


@pytest.mark.parametrize(("client", "logged"), [
    ("203.0.113.45:51234", "203.0.113.0/24"),
    ("2001:db8:85a3:8d3:1319:8a2e:370:7348:443", "2001:db8:85a3::/48"),
    ("[2001:db8::1]:443", "2001:db8::/48"),
    ("198.51.100.7", "198.51.100.0/24"),
    ("testclient:50000", "-"),
    ("", "-"),
])
def test_addresses_are_cut_to_their_network(client: str, logged: str) -> None:
    assert anonymise_address(client) == logged


def test_uvicorns_access_line_no_longer_carries_the_address() -> None:
    # uvicorn.protocols.http: '%s - "%s %s HTTP/%s" %d' % (client_addr, method, path, …)
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1,
                               '%s - "%s %s HTTP/%s" %d',
                               ("203.0.113.45:51234", "GET", "/find", "1.1", 200), None)
    assert ClientAddressFilter().filter(record)
    line = record.getMessage()
    assert line == '203.0.113.0/24 - "GET /find HTTP/1.1" 200' and "203.0.113.45" not in line


def test_the_logging_configuration_applies_the_filter_to_the_access_handler() -> None:
    config = access_log_config()
    assert config["handlers"]["access"]["filters"] == ["client_address"]
    logging.config.dictConfig(config)
    handler = next(h for h in logging.getLogger("uvicorn.access").handlers)
    assert any(isinstance(f, ClientAddressFilter) for f in handler.filters)
