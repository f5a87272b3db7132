"""A steward is asked once a year about each stale record they look after: one mail with a
link per record, sent once however many workers look (both backends)."""

from __future__ import annotations

import datetime as dt
import threading

from assetmap.layers import LayerCatalog
from assetmap.register.mail_sending import send_due
from assetmap.register.notifications import MailContext
from assetmap.register.outbox import list_outbox
from assetmap.register.steward_asks import queue_still_right
from assetmap.register.stewardship import set_stewardship
from assetmap.register.still_right import check_link, last_asked
from assetmap.register.users import add_user
from assetmap.store import Store, open_store
from tests.mail_server import MailServer, part

# A1 was last checked 2026-01-10, A2 never; A3 is not stewarded.
SPRING = dt.datetime(2027, 2, 1, 9, 0, tzinfo=dt.UTC)


def _steward(store: Store, catalog: LayerCatalog, name: str, email: str | None,
             assets: list[str]) -> None:
    add_user(store, name, "steward", email=email)
    set_stewardship(store, catalog, name, assets=assets, actor="ada.admin")


def _ask(store: Store, catalog: LayerCatalog, context: MailContext, now: dt.datetime) -> int:
    return queue_still_right(store, catalog, context, stale_after_days=365, now=now)


def test_a_steward_gets_one_mail_with_a_link_for_each_stale_record(
    store: Store, catalog: LayerCatalog, context: MailContext, smtp_server: MailServer
) -> None:
    _steward(store, catalog, "hall.committee", "hall@example.org", ["A1", "A2"])
    assert _ask(store, catalog, context, SPRING) == 2
    assert send_due(store, smtp_server.settings(), now=SPRING).sent == 1
    [mail] = smtp_server.messages
    assert mail["To"] == "hall@example.org"
    assert mail["Subject"] == "Are these still right? 2 places you look after"
    text, html = part(mail, "plain"), part(mail, "html")
    assert "Ashby Village Hall" in text and "Beeby Church Hall" in text
    assert "Opening times: Mon-Fri 9-5" in text and "step free, hearing loop" in text
    links = [word for word in text.split() if "/still-right/" in word]
    assert len(links) == 2 and all(link in html for link in links)
    assert "until 15 February 2027" in text
    token = links[0].rsplit("/", 1)[1]
    stewards = {"hall.committee"}
    state = check_link(store, catalog, token, lambda s, layer, i: s in stewards, now=SPRING)
    assert state.state == "valid"
    assert set(last_asked(store, catalog["assets"], ["A1", "A2", "A3"])) == {"A1", "A2"}


def test_asked_once_a_year_and_only_about_stale_records(
    store: Store, catalog: LayerCatalog, context: MailContext
) -> None:
    _steward(store, catalog, "hall.committee", "hall@example.org", ["A1", "A2"])
    # In 2026 A1 was checked in January: only the never-checked A2 is due.
    assert _ask(store, catalog, context, dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)) == 1
    assert _ask(store, catalog, context, SPRING) == 1  # now A1 too; A2 was asked in June
    assert _ask(store, catalog, context, SPRING + dt.timedelta(days=100)) == 0
    assert _ask(store, catalog, context, SPRING + dt.timedelta(days=366)) == 2
    assert len(list_outbox(store, "waiting")) == 3


def test_a_steward_without_an_email_is_not_asked(
    store: Store, catalog: LayerCatalog, context: MailContext
) -> None:
    _steward(store, catalog, "no.mail", None, ["A1"])
    assert _ask(store, catalog, context, SPRING) == 0
    assert list_outbox(store, "waiting") == []


def test_workers_asking_at_once_ask_once(
    store_location: str, catalog: LayerCatalog, context: MailContext
) -> None:
    setup = open_store(store_location)
    _steward(setup, catalog, "hall.committee", "hall@example.org", ["A1", "A2"])
    setup.close()
    barrier = threading.Barrier(3)
    counts: list[int] = []

    def worker() -> None:
        own = open_store(store_location)
        barrier.wait()
        counts.append(_ask(own, catalog, context, SPRING))
        own.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(counts) == [0, 0, 2]
    check = open_store(store_location)
    assert len(list_outbox(check, "waiting")) == 1
    check.close()
