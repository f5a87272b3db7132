"""Saved scenarios as records, on both backends: kept as asked, listed, deleted with a trace."""

from __future__ import annotations

import pytest

from assetmap.errors import NotFound, ValidationFailed
from assetmap.register.scenarios import (
    delete_scenario,
    save_scenario,
    saved_scenario,
    saved_scenarios,
)
from assetmap.store import open_store


def test_a_saved_scenario_round_trips_and_its_deletion_is_said(store_location: str) -> None:
    store = open_store(store_location)
    try:
        first = save_scenario(store, name="Close the hall", district="E07999001",
                              close=("A1", "A2"), open_points="", author="olive")
        second = save_scenario(store, name="A hub in Westtown", district="E07999002", close=(),
                               open_points="-1.100000,52.620000", author="olive")
        again = saved_scenario(store, first.id)
        assert (again.name, again.district, again.close, again.open, again.author) == (
            "Close the hall", "E07999001", ("A1", "A2"), "", "olive")
        assert again.created_at.endswith("Z")
        assert [s.id for s in saved_scenarios(store)] == [second.id, first.id]  # newest first
        delete_scenario(store, first.id, actor="adam")
        assert [s.id for s in saved_scenarios(store)] == [second.id]
        with pytest.raises(NotFound, match="deleted by adam"):
            saved_scenario(store, first.id)
        with pytest.raises(NotFound):
            saved_scenario(store, 999)
    finally:
        store.close()


def test_a_scenario_needs_a_plain_name(tiny_gpkg) -> None:  # type: ignore[no-untyped-def]
    store = open_store(str(tiny_gpkg))
    for bad in ("", "   ", "line\x00break", "\u202egnp.exe", "x" * 121):
        with pytest.raises(ValidationFailed):
            save_scenario(store, name=bad, district="E07999001", close=(), open_points="",
                          author="olive")
    assert saved_scenarios(store) == []
