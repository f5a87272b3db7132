"""The outbox queue: a mail exists only if the action that caused it commits (both backends)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assetmap.errors import ValidationFailed
from assetmap.register.outbox import (
    Message,
    checked_address,
    count_outbox,
    enqueue,
    list_outbox,
)
from assetmap.store import Store, open_store

MAIL = Message(recipient="Resident@Example.ORG", subject="Your suggestion",
               text="Thank you.", html="<p>Thank you.</p>", kind="decision")


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    opened = open_store(store_location)
    yield opened
    opened.close()


def test_a_message_queued_in_a_committed_transaction_waits_in_the_outbox(store: Store) -> None:
    with store.transaction() as transaction:
        message_id = enqueue(transaction, MAIL)
    [entry] = list_outbox(store, "waiting")
    assert entry.id == message_id and entry.status == "waiting" and entry.attempts == 0
    assert entry.message.recipient == "Resident@example.org"  # the domain is lower-cased
    assert entry.message.html == "<p>Thank you.</p>" and entry.message.kind == "decision"
    assert entry.next_attempt_at == entry.created_at  # due at once


def test_a_message_queued_in_a_rolled_back_transaction_is_never_sent(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as transaction:
        enqueue(transaction, MAIL)
        raise RuntimeError("the action failed")
    assert count_outbox(store, "waiting") == 0


def test_a_store_queues_a_message_in_its_own_transaction(store: Store) -> None:
    enqueue(store, MAIL)
    assert count_outbox(store, "waiting") == 1


def test_a_message_to_something_that_is_not_an_address_is_refused(store: Store) -> None:
    with pytest.raises(ValidationFailed) as refused:
        enqueue(store, Message("0116 496 0123", " ", "", "", kind="spam"))
    fields = {problem["field"] for problem in refused.value.details}
    assert fields == {"recipient", "subject", "kind", "text"}
    assert count_outbox(store, "waiting") == 0


def test_only_a_single_address_counts_as_one() -> None:
    assert checked_address("a@example.org") == "a@example.org"
    for text in ("call 0116 496 0123", "a@example.org, b@example.org", "a@b", None, ""):
        assert checked_address(text) is None
