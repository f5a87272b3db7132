"""The cycle collector is off while an import works, and on again after, whatever happens."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from assetmap.register.imports.gc_pause import collection_paused
from assetmap.store import Store
from tests.register.imports.asset_files import HEADER, csv_row, plan_csv


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_off_inside_and_on_after_even_when_the_import_fails() -> None:
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), collection_paused():
        raise ValueError("a bad row")
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    with collection_paused():
        pass
    assert not gc.isenabled()


def test_two_imports_at_once_keep_it_off_until_both_end() -> None:
    inside, release = threading.Event(), threading.Event()

    def second_import() -> None:
        with collection_paused():
            inside.set()
            release.wait(10)

    other = threading.Thread(target=second_import)
    with collection_paused():
        other.start()
        assert inside.wait(10)
    assert not gc.isenabled()  # the other import is still under way
    release.set()
    other.join(10)
    assert gc.isenabled()


def test_a_real_import_checks_and_writes_with_it_off_then_turns_it_on(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assetmap.register.imports import apply, plan

    seen: dict[str, bool] = {}
    checks, creates = getattr(plan, "check_row_values"), getattr(apply, "log_creates")  # noqa: B009

    def checking(*args: Any, **kwargs: Any) -> Any:
        seen["checking"] = gc.isenabled()
        return checks(*args, **kwargs)

    def writing(*args: Any, **kwargs: Any) -> Any:
        seen["writing"] = gc.isenabled()
        return creates(*args, **kwargs)

    monkeypatch.setattr(plan, "check_row_values", checking)
    monkeypatch.setattr(apply, "log_creates", writing)
    planned = plan_csv(store, HEADER + csv_row("N1", "Beeby Pavilion", 457_500, 306_000))
    assert planned.ok
    assert apply.apply_import(store, planned, actor="olive.officer").created == 1
    assert seen == {"checking": False, "writing": False}
    assert gc.isenabled()
