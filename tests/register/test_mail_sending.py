"""Sending the outbox through a real SMTP server (aiosmtpd), on both backends."""

from __future__ import annotations

import datetime as dt
import threading

from assetmap.register.mail_sending import claim_due, retry, retry_delay, send_due
from assetmap.register.outbox import Message, enqueue, list_outbox
from assetmap.store import Store, open_store
from tests.mail_server import MailServer, part

NOON = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
MAIL = Message(recipient="resident@example.org", subject="Your suggestion was accepted",
               text="Thank you: we changed the opening times.",
               html="<p>Thank you: we changed the opening times.</p>", kind="decision")


def test_a_due_message_is_sent_with_a_plain_text_and_an_html_part(
    store: Store, smtp_server: MailServer
) -> None:
    enqueue(store, MAIL, now=NOON)
    report = send_due(store, smtp_server.settings(), now=NOON)
    assert (report.sent, report.failed) == (1, 0)
    [mail] = smtp_server.messages
    assert mail["To"] == "resident@example.org" and mail["From"] == "assetmap@council.example"
    assert mail["Subject"] == "Your suggestion was accepted"
    assert mail.get_content_type() == "multipart/alternative"
    assert "changed the opening times" in part(mail, "plain")
    assert "<p>Thank you" in part(mail, "html")
    [entry] = list_outbox(store, "sent")
    assert entry.sent_at == "2026-12-01T12:00:00Z" and entry.attempts == 1
    # Sent once only: the next round finds nothing to do.
    assert send_due(store, smtp_server.settings(), now=NOON).sent == 0
    assert len(smtp_server.messages) == 1


def test_with_the_server_down_mail_waits_and_goes_once_it_is_back(
    store: Store, smtp_server: MailServer
) -> None:
    enqueue(store, MAIL, now=NOON)
    smtp_server.stop()
    settings = smtp_server.settings(password="hunter2-secret", max_attempts=5)
    assert send_due(store, settings, now=NOON).failed == 1
    [waiting] = list_outbox(store, "waiting")
    assert waiting.attempts == 1 and waiting.next_attempt_at == "2026-12-01T12:01:00Z"
    assert waiting.last_error and "hunter2" not in waiting.last_error
    assert "ConnectionRefused" in waiting.last_error
    smtp_server.start()
    # Not yet due: the back-off holds it a minute.
    assert send_due(store, settings, now=NOON + dt.timedelta(seconds=30)).sent == 0
    assert send_due(store, settings, now=NOON + dt.timedelta(minutes=1)).sent == 1
    assert len(smtp_server.messages) == 1 and list_outbox(store, "sent")[0].attempts == 2


def test_after_the_most_attempts_a_message_is_failed_until_an_officer_retries_it(
    store: Store, smtp_server: MailServer
) -> None:
    enqueue(store, MAIL, now=NOON)
    smtp_server.stop()
    moment = NOON
    for _ in range(3):
        send_due(store, smtp_server.settings(max_attempts=3), now=moment)
        moment += dt.timedelta(hours=7)
    [failed] = list_outbox(store, "failed")
    assert failed.attempts == 3 and failed.next_attempt_at is None
    assert retry(store, failed.id, now=moment) and not retry(store, failed.id)
    smtp_server.start()
    assert send_due(store, smtp_server.settings(), now=moment).sent == 1


def test_the_wait_doubles_up_to_six_hours() -> None:
    waits = [retry_delay(n) for n in (1, 2, 3, 10, 40)]
    assert waits[:3] == [dt.timedelta(minutes=m) for m in (1, 2, 4)]
    assert waits[3:] == [dt.timedelta(hours=6)] * 2


def test_no_host_means_no_mail_is_attempted(store: Store, smtp_server: MailServer) -> None:
    enqueue(store, MAIL, now=NOON)
    assert send_due(store, smtp_server.settings(host=None), now=NOON).sent == 0
    assert smtp_server.messages == [] and list_outbox(store, "waiting")[0].attempts == 0


def test_a_claim_keeps_other_senders_off_until_it_expires(store: Store) -> None:
    enqueue(store, MAIL, now=NOON)
    assert len(claim_due(store, "worker-1", now=NOON)) == 1
    assert claim_due(store, "worker-2", now=NOON + dt.timedelta(minutes=4)) == []
    # A sender that died mid-send leaves its claim; it expires and the mail is taken again.
    assert len(claim_due(store, "worker-2", now=NOON + dt.timedelta(minutes=5))) == 1


def test_concurrent_senders_send_each_message_once(
    store_location: str, smtp_server: MailServer
) -> None:
    setup = open_store(store_location)
    for n in range(12):
        enqueue(setup, Message(f"resident{n}@example.org", "Hello", "Words", "", "decision"),
                now=NOON)
    setup.close()
    barrier = threading.Barrier(4)

    def sender(worker: str) -> None:
        own = open_store(store_location)  # each its own store, as separate processes
        barrier.wait()
        while send_due(own, smtp_server.settings(), now=NOON, worker=worker, limit=2).sent:
            pass
        own.close()

    threads = [threading.Thread(target=sender, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    recipients = sorted(str(mail["To"]) for mail in smtp_server.messages)
    assert recipients == sorted(f"resident{n}@example.org" for n in range(12))


def test_a_refused_address_waits_for_a_retry_while_the_rest_of_the_batch_goes(
    store: Store, smtp_server: MailServer
) -> None:
    enqueue(store, Message("nobody@refused.example", "Hello", "Words", "", "decision"), now=NOON)
    enqueue(store, MAIL, now=NOON)
    smtp_server.refuse("nobody@refused.example")
    report = send_due(store, smtp_server.settings(), now=NOON)
    assert (report.sent, report.failed) == (1, 1)
    assert [m["To"] for m in smtp_server.messages] == ["resident@example.org"]
    [waiting] = list_outbox(store, "waiting")
    assert waiting.message.recipient == "nobody@refused.example"
    assert "550" in (waiting.last_error or "") and waiting.attempts == 1
