"""Residents hear what was decided, with the officer's note: queued in the deciding
transaction and sent for real through aiosmtpd, on both backends."""

from __future__ import annotations

import pytest

from assetmap.errors import Conflict
from assetmap.layers import LayerCatalog
from assetmap.register.corrections import decide, submit_correction
from assetmap.register.editing import feature_etag
from assetmap.register.mail_sending import send_due
from assetmap.register.new_places import NewPlace, submit_new_place
from assetmap.register.notifications import (
    MailContext,
    notify_decision,
)
from assetmap.register.outbox import count_outbox, list_outbox
from assetmap.register.users import User, add_user
from assetmap.store import Store
from tests.mail_server import MailServer, part

OFFICER = User("olive.officer", "officer")


def _suggest(store: Store, catalog: LayerCatalog, contact: str | None) -> int:
    return submit_correction(store, catalog["assets"], "A1", {"phone": "0116 496 0123"},
                             "New number", contact, "client-1").id


def _accept(store: Store, catalog: LayerCatalog, context: MailContext, correction: int) -> None:
    etag = feature_etag(store.get(catalog["assets"], "A1"))  # type: ignore[arg-type]
    decide(store, catalog, correction, accept=True, officer=OFFICER, etag=etag,
           note="Thanks, we rang the hall to check.",
           on_decided=notify_decision(context, catalog))


def test_an_accepted_suggestion_mails_the_resident_the_officers_note(
    store: Store, catalog: LayerCatalog, context: MailContext, smtp_server: MailServer
) -> None:
    _accept(store, catalog, context, _suggest(store, catalog, "pat@example.org"))
    assert send_due(store, smtp_server.settings()).sent == 1
    [mail] = smtp_server.messages
    assert mail["To"] == "pat@example.org"
    assert mail["Subject"] == "We have updated Ashby Village Hall"
    text, html = part(mail, "plain"), part(mail, "html")
    for body in (text, html):
        assert "Thanks, we rang the hall to check." in body and "made the change" in body
        assert "https://assets.council.example/hubs/A1" in body
    assert "<img" not in html  # no tracking pixel, nor any image


def test_a_declined_suggestion_says_so_and_a_phone_contact_gets_no_mail(
    store: Store, catalog: LayerCatalog, context: MailContext
) -> None:
    hook = notify_decision(context, catalog)
    declined = _suggest(store, catalog, "pat@example.org")
    decide(store, catalog, declined, accept=False, officer=OFFICER,
           note="The hall's own <b>leaflet</b> gives the old number.", on_decided=hook)
    [entry] = list_outbox(store, "waiting")
    assert entry.message.subject.endswith("we did not make the change")
    assert "did not make the change" in entry.message.text
    assert "gives the old number" in entry.message.text
    assert "&lt;b&gt;leaflet&lt;/b&gt;" in entry.message.html  # the note is escaped in HTML
    by_phone = _suggest(store, catalog, "0116 496 0000")
    decide(store, catalog, by_phone, accept=False, officer=OFFICER, on_decided=hook)
    assert count_outbox(store, "waiting") == 1


def test_a_decision_that_fails_queues_no_mail(
    store: Store, catalog: LayerCatalog, context: MailContext
) -> None:
    correction = _suggest(store, catalog, "pat@example.org")
    hook = notify_decision(context, catalog)
    decide(store, catalog, correction, accept=False, officer=OFFICER, on_decided=hook)
    with pytest.raises(Conflict):
        decide(store, catalog, correction, accept=False, officer=OFFICER, on_decided=hook)
    assert count_outbox(store, "waiting") == 1  # the first decision's mail alone


def test_a_resident_who_suggested_a_new_place_hears_it_was_added(
    store: Store, catalog: LayerCatalog, context: MailContext, smtp_server: MailServer
) -> None:
    place = NewPlace(name="Westtown Pavilion", category="community_centre", postcode="LZ2 1AA",
                     contact="sam@example.org", message="Opened in the summer")
    suggestion = submit_new_place(store, catalog, catalog["assets"], place, "client-2")
    decided = decide(store, catalog, suggestion.id, accept=True, officer=OFFICER,
                     note="Welcome to the map!", on_decided=notify_decision(context, catalog))
    assert send_due(store, smtp_server.settings()).sent == 1
    [mail] = smtp_server.messages
    assert mail["Subject"] == "We have added Westtown Pavilion to the register"
    assert "Welcome to the map!" in part(mail, "plain") and "added it" in part(mail, "html")
    assert f"https://assets.council.example/hubs/{decided.feature_id}" in part(mail, "plain")


def test_a_steward_hears_whether_their_edit_held_for_review_was_published(
    store: Store, catalog: LayerCatalog, context: MailContext
) -> None:
    add_user(store, "hall.committee", "steward", email="hall@example.org")
    edit = submit_correction(store, catalog["assets"], "A1", {"opening_times": "Mo 09:00-12:00"},
                             None, None, "steward:hall.committee", kind="steward_edit",
                             author="hall.committee")
    etag = feature_etag(store.get(catalog["assets"], "A1"))  # type: ignore[arg-type]
    decide(store, catalog, edit.id, accept=True, officer=OFFICER, etag=etag, note="Lovely.",
           on_decided=notify_decision(context, catalog, store))
    [entry] = list_outbox(store, "waiting")
    assert entry.message.recipient == "hall@example.org"
    assert entry.message.subject == "Your edit to Ashby Village Hall is published"
    assert "checked your edit and published it" in entry.message.text
    assert "Lovely." in entry.message.html
    assert "contact details" not in entry.message.text  # their account's address, not a contact
