"""A real SMTP server for the mail tests: aiosmtpd on 127.0.0.1, stopped and started at will.

``smtp_server`` listens on a free port of this suite's range (8140–8149) and keeps every
mail it accepts, parsed, in ``messages``.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from assetmap.register.mail_sending import MailSettings

PORTS = range(8140, 8150)


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            # As the server will bind: connections of earlier tests may linger in TIME_WAIT.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1} for the SMTP server")


class _Collect:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refused: set[str] = set()

    async def handle_RCPT(  # aiosmtpd calls its hooks by these names
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refused:
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"


class MailServer:
    """One aiosmtpd server; ``stop()`` and ``start()`` again on the same port."""

    def __init__(self) -> None:
        self.port = _free_port()
        self._handler = _Collect()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self._handler.messages

    def refuse(self, address: str) -> None:
        """Answer RCPT TO ``address`` with 550 (a mailbox that does not exist)."""
        self._handler.refused.add(address)

    def start(self) -> None:
        # A generous start-up time: the test machine may be busy (the default is 5 s).
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port,
                                      ready_timeout=60)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def settings(self, **changes: Any) -> MailSettings:
        values: dict[str, Any] = {"host": "127.0.0.1", "port": self.port, "starttls": False,
                                  "sender": "assetmap@council.example", "max_attempts": 3}
        return MailSettings(**(values | changes))


@pytest.fixture
def smtp_server() -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    yield server
    server.stop()


def part(mail: EmailMessage, subtype: str) -> str:
    """The text of the mail's ``text/<subtype>`` part."""
    body = mail.get_body(preferencelist=(subtype,))
    assert body is not None and body.get_content_type() == f"text/{subtype}", mail
    assert isinstance(body, EmailMessage)
    return str(body.get_content())
