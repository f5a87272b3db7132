"""``assetmap outbox send|list``: one round from cron, through a real SMTP server."""

from __future__ import annotations

import pytest

from assetmap.cli import main
from assetmap.register.outbox import Message, enqueue, list_outbox
from assetmap.store import open_store
from tests.mail_server import MailServer


def _queue(location: str) -> None:
    store = open_store(location)
    enqueue(store, Message("pat@example.org", "Your suggestion", "Words", "<p>Words</p>",
                           "decision"))
    store.close()


def test_send_delivers_what_waits_and_list_shows_it(
    store_location: str, smtp_server: MailServer, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _queue(store_location)
    assert main(["outbox", "list", "--store", store_location]) == 0
    listed = capsys.readouterr().out
    assert "1 waiting message(s):" in listed and "pat@example.org" in listed
    monkeypatch.setenv("ASSETMAP_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ASSETMAP_SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("ASSETMAP_SMTP_STARTTLS", "false")
    assert main(["outbox", "send", "--store", store_location]) == 0
    assert "sent 1, failed 0" in capsys.readouterr().out
    assert [m["To"] for m in smtp_server.messages] == ["pat@example.org"]
    assert main(["outbox", "list", "--status", "sent", "--store", store_location]) == 0
    assert "1 sent message(s):" in capsys.readouterr().out


def test_send_without_a_host_says_nothing_was_sent(
    store_location: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ASSETMAP_SMTP_HOST", raising=False)
    _queue(store_location)
    assert main(["outbox", "send", "--store", store_location]) == 0
    assert "ASSETMAP_SMTP_HOST is not set" in capsys.readouterr().out
    store = open_store(store_location)
    assert list_outbox(store, "waiting")[0].attempts == 0
    store.close()


def test_a_bad_port_setting_is_one_line_naming_it(
    store_location: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSETMAP_SMTP_PORT", "lots")
    assert main(["outbox", "send", "--store", store_location]) == 2
    assert "ASSETMAP_SMTP_PORT" in capsys.readouterr().err
