"""Mail from the running app: the sender thread starts with it when ASSETMAP_SMTP_HOST is
set, and a decision is mailed without the request waiting for (or failing with) SMTP."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.api.mail import mail_round
from assetmap.config import Settings
from assetmap.layers import load_catalog
from assetmap.register.mail_worker import run_round
from assetmap.register.outbox import count_outbox, list_outbox
from assetmap.register.users import add_user
from assetmap.store import Store, open_store
from tests.api.correcting import API, officer, pending, suggest
from tests.mail_server import MailServer, part


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    """The store the app under test uses, opened beside it and closed after the test."""
    opened = open_store(store_location)
    yield opened
    opened.close()


def _settings(location: str, server: MailServer, **changes: object) -> Settings:
    values: dict[str, object] = {
        "store": location, "smtp_host": "127.0.0.1", "smtp_port": server.port,
        "smtp_starttls": False, "mail_poll_seconds": 0.1,
        "public_url": "https://assets.council.example",
    }
    return Settings(**(values | changes))  # type: ignore[arg-type]


@contextmanager
def _app(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client


def _until(condition: Callable[[], bool], seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _decide(api: TestClient, token: str, note: str) -> None:
    assert suggest(api, changes={"phone": "0116 496 0123"}, contact="pat@example.org"
                   ).status_code == 201
    [item] = pending(api, token)
    accepted = api.post(f"{API}/{item['id']}/accept", json={"etag": item["etag"], "note": note},
                        headers=officer(token))
    assert accepted.status_code == 200, accepted.text


def test_the_app_mails_the_resident_when_an_officer_decides(
    store_location: str, store: Store, smtp_server: MailServer
) -> None:
    token = add_user(store, "olive.officer", "officer")
    with _app(_settings(store_location, smtp_server)) as api:
        _decide(api, token, "We rang the hall: the new number is right.")
        assert _until(lambda: len(smtp_server.messages) == 1)
    [mail] = smtp_server.messages
    assert mail["To"] == "pat@example.org"
    assert "We rang the hall: the new number is right." in part(mail, "plain")
    assert "We rang the hall: the new number is right." in part(mail, "html")
    assert count_outbox(store, "sent") == 1


def test_with_smtp_down_the_decision_succeeds_and_the_mail_goes_when_it_is_back(
    store_location: str, store: Store, smtp_server: MailServer
) -> None:
    token = add_user(store, "olive.officer", "officer")
    smtp_server.stop()
    settings = _settings(store_location, smtp_server)
    with _app(settings) as api:
        started = time.monotonic()
        _decide(api, token, "Thanks")
        assert time.monotonic() - started < 5  # the request never waits for the mail
        assert _until(lambda: list_outbox(store, "waiting")[0].attempts >= 1)
    [waiting] = list_outbox(store, "waiting")
    assert "Connection" in (waiting.last_error or "")
    smtp_server.start()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)  # after the back-off
    report = run_round(mail_round(settings, store, load_catalog(settings.layers_dir)), now=later)
    assert report.sent == 1 and len(smtp_server.messages) == 1


def test_without_a_host_no_sender_runs_and_mail_waits_for_officers_to_see(
    store_location: str, store: Store, smtp_server: MailServer
) -> None:
    token = add_user(store, "olive.officer", "officer")
    with _app(_settings(store_location, smtp_server, smtp_host=None)) as api:
        _decide(api, token, "Thanks")
        time.sleep(0.5)
        [waiting] = list_outbox(store, "waiting")
        assert waiting.attempts == 0 and smtp_server.messages == []
