"""The officers' outbox page: what waits, went and failed, retrying a failure, paging."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from assetmap.register.outbox import OUTBOX_TABLE, Message, enqueue, list_outbox
from assetmap.store import open_store
from tests.api.pages.officer import SAME_SITE, sign_in


def _queue(tiny_gpkg: Path, count: int) -> list[int]:
    store = open_store(str(tiny_gpkg))
    ids = [enqueue(store, Message(f"resident{n}@example.org", f"Decision {n}", "Words",
                                  "<p>Words</p>", "decision")) for n in range(count)]
    store.close()
    return ids


def test_the_public_is_sent_to_sign_in(browser: TestClient) -> None:
    response = browser.get("/outbox")
    assert response.status_code == 303 and response.headers["location"] == "/signin?next=%2Foutbox"


def test_officers_see_waiting_mail_and_that_none_is_sent_without_a_host(
    browser: TestClient, token: str, tiny_gpkg: Path
) -> None:
    _queue(tiny_gpkg, 2)
    sign_in(browser, token)
    page = browser.get("/outbox")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "Mail is not being sent" in page.text and "ASSETMAP_SMTP_HOST" in page.text
    assert "Waiting (2)" in page.text and "Sent (0)" in page.text and "Failed (0)" in page.text
    assert "resident0@example.org" in page.text and "Decision 1" in page.text
    assert 'aria-current="page">Waiting' in page.text


def test_a_failed_message_is_retried_from_the_page(
    browser: TestClient, token: str, tiny_gpkg: Path
) -> None:
    [message_id] = _queue(tiny_gpkg, 1)
    store = open_store(str(tiny_gpkg))
    with store.transaction() as transaction:
        transaction.update_record(OUTBOX_TABLE, message_id, {
            "status": "failed", "attempts": "8", "next_attempt_at": None,
            "last_error": "SMTPRecipientsRefused: mailbox unavailable"})
    sign_in(browser, token)
    failed = browser.get("/outbox?status=failed")
    assert "mailbox unavailable" in failed.text and "Retry" in failed.text
    retried = browser.post(f"/outbox/{message_id}/retry", headers=SAME_SITE)
    assert retried.status_code == 303
    assert "back in the queue" in browser.get(retried.headers["location"]).text
    [waiting] = list_outbox(store, "waiting")
    assert waiting.id == message_id and waiting.attempts == 0
    again = browser.post(f"/outbox/{message_id}/retry", headers=SAME_SITE)
    assert again.status_code == 404
    from_elsewhere = browser.post(f"/outbox/{message_id}/retry",
                                  headers={"Origin": "https://evil.example"})
    assert from_elsewhere.status_code == 403
    store.close()


def test_long_lists_come_in_pages(browser: TestClient, token: str, tiny_gpkg: Path) -> None:
    _queue(tiny_gpkg, 51)
    sign_in(browser, token)
    first = browser.get("/outbox")
    assert "showing 1–50" in first.text and "Next page" in first.text
    assert "Previous page" not in first.text
    second = browser.get("/outbox?status=waiting&offset=50")
    assert "showing 51–51" in second.text and "resident50@example.org" in second.text
    assert "Previous page" in second.text and "Next page" not in second.text
