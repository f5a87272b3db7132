"""The officers' morning digest: once a day, only when suggestions wait or stewards changed
something, sent for real through aiosmtpd, on both backends."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from assetmap.layers import LayerCatalog
from assetmap.register.corrections import submit_correction
from assetmap.register.digest import queue_digests
from assetmap.register.editing import feature_etag, update_feature
from assetmap.register.mail_sending import send_due
from assetmap.register.notifications import MailContext
from assetmap.register.users import add_user
from assetmap.store import Store
from tests.mail_server import MailServer, part

MORNING = dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC)


def _suggest(store: Store, catalog: LayerCatalog, contact: str | None) -> int:
    return submit_correction(store, catalog["assets"], "A1", {"phone": "0116 496 0123"},
                             "New number", contact, "client-1").id


def test_officers_get_one_digest_a_day_and_only_when_something_waits(
    store: Store, catalog: LayerCatalog, context: MailContext, smtp_server: MailServer
) -> None:
    add_user(store, "olive.officer", "officer", email="olive@council.example")
    add_user(store, "ada.admin", "admin", email="ada@council.example")
    add_user(store, "no.mail", "officer")
    add_user(store, "hall.committee", "steward", email="hall@example.org")  # not an officer
    assert queue_digests(store, catalog, context, now=MORNING) == 0  # nothing waits
    _suggest(store, catalog, None)
    assert queue_digests(store, catalog, context, now=MORNING.replace(hour=6)) == 0  # too early
    assert queue_digests(store, catalog, context, now=MORNING) == 2
    # Other workers, later the same day: nothing more.
    assert queue_digests(store, catalog, context, now=MORNING + dt.timedelta(hours=3)) == 0
    assert send_due(store, smtp_server.settings(), now=MORNING).sent == 2
    mail = smtp_server.messages[0]
    assert mail["Subject"] == "1 suggestion waiting for a decision"
    assert "Ashby Village Hall" in part(mail, "plain")
    assert "https://assets.council.example/corrections" in part(mail, "html")
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "ada@council.example", "olive@council.example"]
    # The next morning it comes again, while the suggestion still waits.
    assert queue_digests(store, catalog, context, now=MORNING + dt.timedelta(days=1)) == 2


def test_changes_stewards_made_in_the_last_day_are_in_the_digest_too(
    store: Store, catalog: LayerCatalog, context: MailContext, smtp_server: MailServer
) -> None:
    add_user(store, "olive.officer", "officer", email="olive@council.example")
    add_user(store, "hall.committee", "steward", email="hall@example.org")
    layer = catalog["assets"]
    update_feature(store, layer, "A1", if_match=feature_etag(store.get(layer, "A1")),  # type: ignore[arg-type]
                   actor="hall.committee", properties={"opening_times": "Mo-Fr 09:00-17:00"})
    update_feature(store, layer, "A2", if_match=feature_etag(store.get(layer, "A2")),  # type: ignore[arg-type]
                   actor="olive.officer", properties={"phone": "0116 496 0999"})
    # Half a day after the edits (the audit keeps real times), with the digest due any hour.
    now = dt.datetime.now(dt.UTC) + dt.timedelta(hours=12)
    context = replace(context, digest_hour=0)
    assert queue_digests(store, catalog, context, now=now) == 1  # no suggestion waits
    assert send_due(store, smtp_server.settings(), now=now).sent == 1
    [mail] = smtp_server.messages
    assert mail["Subject"] == "1 change by stewards"
    text = part(mail, "plain")
    assert "Ashby Village Hall, by hall.committee" in text and "Beeby" not in text
    assert "https://assets.council.example/audit" in part(mail, "html")
    # Two days on, the edit is old news and nothing waits: no digest.
    assert queue_digests(store, catalog, context, now=now + dt.timedelta(days=2)) == 0
