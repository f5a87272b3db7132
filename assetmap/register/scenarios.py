"""Saved, named scenarios: a change (hubs closed, hubs opened) officers keep and share.

A scenario is stored as it was asked (district code, closed asset ids, opened
points as WGS84 ``LON,LAT;…``), never its answer: reading it runs it again
against the register as it is then. The analysis checks a change before it is
saved (``api/routes/scenarios.py``); here the record is kept. Deleting marks the
record deleted (who, when), so a link someone shared says what became of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assetmap.errors import NotFound, ValidationFailed
from assetmap.field_rules import FieldProblem, check_text
from assetmap.layers import FieldSpec
from assetmap.register.audit import utc_now
from assetmap.store.base import Record, Store

__all__ = [
    "MAX_NAME",
    "SCENARIOS_TABLE",
    "SavedScenario",
    "delete_scenario",
    "save_scenario",
    "saved_scenario",
    "saved_scenarios",
]

SCENARIOS_TABLE = "assetmap_scenarios"
MAX_NAME = 120


@dataclass(frozen=True)
class SavedScenario:
    id: int
    name: str
    district: str  # district code
    close: tuple[str, ...]
    open: str  # "LON,LAT;LON,LAT" as saved (WGS84)
    author: str
    created_at: str

    @classmethod
    def from_record(cls, row: Record) -> SavedScenario:
        return cls(
            id=int(row["id"]),
            name=str(row.get("name") or ""),
            district=str(row.get("district") or ""),
            close=tuple(i for i in str(row.get("close") or "").split(",") if i),
            open=str(row.get("open") or ""),
            author=str(row.get("author") or ""),
            created_at=str(row.get("created_at") or ""),
        )

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "district": self.district,
                "close": list(self.close), "open": self.open, "author": self.author,
                "created_at": self.created_at, "href": f"/api/scenarios/{self.id}"}


_NAME = FieldSpec(name="name", max_length=MAX_NAME)


def _name(name: str) -> str:
    """The name as every write checks text (assetmap.field_rules), never blank."""
    try:
        text = check_text(_NAME, name)
    except FieldProblem as problem:
        raise ValidationFailed(f"Scenario name: {problem.problem}; {problem.fix}",
                               details=[{"field": "name", "problem": problem.problem,
                                         "fix": problem.fix}]) from None
    if not text:
        raise ValidationFailed("Scenario name: give the scenario a name",
                               details=[{"field": "name", "problem": "empty"}])
    return text


def save_scenario(
    store: Store, *, name: str, district: str, close: Sequence[str], open_points: str,
    author: str, now: dt.datetime | None = None,
) -> SavedScenario:
    """Keep a checked change under ``name`` (the caller has checked it against the analysis)."""
    values = {
        "name": _name(name),
        "district": district,
        "close": ",".join(close),
        "open": open_points,
        "author": author,
        "created_at": now.strftime("%Y-%m-%dT%H:%M:%SZ") if now else utc_now(),
    }
    with store.transaction() as transaction:
        record_id = transaction.insert_record(SCENARIOS_TABLE, values)
    return saved_scenario(store, record_id)


def saved_scenarios(store: Store, *, limit: int = 100, offset: int = 0) -> list[SavedScenario]:
    """Scenarios not deleted, newest first."""
    rows = store.records(SCENARIOS_TABLE, where={"deleted_at": None}, limit=limit,
                         offset=offset, newest_first=True)
    return [SavedScenario.from_record(row) for row in rows]


def _record(store: Store, scenario_id: int) -> Record:
    rows = store.records(SCENARIOS_TABLE, where={"id": str(scenario_id)}, limit=1)
    if not rows:
        raise NotFound(f"No saved scenario {scenario_id}; GET /api/scenarios lists them")
    return rows[0]


def saved_scenario(store: Store, scenario_id: int) -> SavedScenario:
    """One scenario; ``NotFound`` if there is none or it was deleted (saying by whom)."""
    row = _record(store, scenario_id)
    if row.get("deleted_at"):
        raise NotFound(f"Scenario {scenario_id} was deleted by {row.get('deleted_by')} "
                       f"at {row.get('deleted_at')}")
    return SavedScenario.from_record(row)


def delete_scenario(store: Store, scenario_id: int, *, actor: str) -> None:
    saved_scenario(store, scenario_id)
    with store.transaction() as transaction:
        transaction.update_record(SCENARIOS_TABLE, scenario_id,
                                  {"deleted_at": utc_now(), "deleted_by": actor})
