"""Records nobody has checked for a while: the officers' to-do list.

:func:`stale_features` finds them in a frame; :func:`stale_list` is the page officers work
through: filtered by district, category and whose area the record lies in, sorted, paged,
each row with its last check (when, who, and how: phone, visit, email or steward).

Whose records: the store's ``districts`` are the council's own. On the real build the
register also holds neighbouring authorities' libraries near the county line (they carry
the code of the authority they lie in, see ``sources/real.py``); their upkeep is that
authority's, so the list leaves them out unless asked.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

import geopandas as gpd

from assetmap.errors import ValidationFailed
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.register.audit import AUDIT_TABLE, CHECK_METHOD_NOTE
from assetmap.register.editing import CHECK_METHODS, VERIFIED_FIELD
from assetmap.register.history import LONDON, readable_time
from assetmap.register.history_values import decoded
from assetmap.store.base import Feature, RecordFilter, Store, feature_from_row, plain_text

__all__ = [
    "AREAS",
    "SORTS",
    "LastCheck",
    "StaleList",
    "StaleQuery",
    "StaleRow",
    "stale_features",
    "stale_frame",
    "stale_list",
]

# Whose records to list: the council's own (in its districts), its neighbours', or both.
AREAS = {"ours": "This council's area", "neighbours": "Neighbouring authorities", "all": "Both"}
SORTS = {"oldest": "Oldest check first", "name": "Name (A to Z)"}
PER_PAGE = 25
_DISTRICT = "district_code"


def stale_features(frame: gpd.GeoDataFrame, *, today: dt.date, days: int) -> gpd.GeoDataFrame:
    """Features not closed whose ``last_verified`` is missing or ``days`` or more old.

    Adds ``days_since_verified`` (missing when never verified); never-verified
    records come first, then the oldest.
    """
    if VERIFIED_FIELD not in frame.columns:
        raise ValidationFailed(f"This layer has no {VERIFIED_FIELD} field, so nothing can be stale")
    live = frame if "status" not in frame.columns else frame[frame["status"] != "closed"]
    verified = pd.to_datetime(live[VERIFIED_FIELD], errors="coerce").dt.date
    age = verified.map(lambda d: None if pd.isna(d) else (today - d).days)
    stale = live.assign(days_since_verified=pd.array(age.tolist(), dtype="Int64"))
    stale = stale[age.isna().to_numpy() | (age.fillna(0).to_numpy() >= days)]
    order = stale["days_since_verified"].fillna(10**9).astype("int64")
    return stale.iloc[(-order).argsort(kind="stable")]


@dataclass(frozen=True)
class StaleQuery:
    """What the officer asked for; codes are checked against :data:`AREAS`/:data:`SORTS`."""

    days: int
    district: str | None = None
    category: str | None = None
    area: str = "ours"
    sort: str = "oldest"
    page: int = 1
    per_page: int = PER_PAGE

    def check(self) -> None:
        problems = [
            {"field": name, "problem": "not one of the choices", "fix": f"use one of "
             f"{', '.join(choices)}"}
            for name, value, choices in (("area", self.area, AREAS), ("sort", self.sort, SORTS))
            if value not in choices
        ]
        if problems:
            raise ValidationFailed("Choose from the options offered", details=problems)


@dataclass(frozen=True)
class LastCheck:
    at: dt.datetime
    actor: str
    method: str | None

    @property
    def method_label(self) -> str | None:
        return CHECK_METHODS.get(self.method or "")

    @property
    def when(self) -> str:
        return readable_time(self.at)


@dataclass(frozen=True)
class StaleRow:
    feature: Feature
    days: int | None  # None: never checked
    check: LastCheck | None
    ours: bool


@dataclass(frozen=True)
class StaleList:
    rows: list[StaleRow]
    total: int
    page: int
    per_page: int
    neighbours: int  # stale records of neighbouring authorities (left out unless asked)
    districts: dict[str, str]  # the council's districts: code -> name
    categories: list[str]  # the categories the stale records have

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _districts(store: Store, catalog: LayerCatalog) -> dict[str, str]:
    layer = catalog.get("districts")
    if layer is None or not store.has_layer(layer):
        return {}
    frame = store.read(layer, fields=["name"])
    return dict(sorted(zip(frame["code"].astype(str), frame["name"].astype(str), strict=True),
                       key=lambda item: item[1]))


def _ordered(frame: pd.DataFrame, layer: LayerSpec, sort: str) -> pd.DataFrame:
    if sort == "name":
        names = frame["name"].astype(str).str.casefold() if "name" in frame else frame[
            layer.id_field]
        return frame.iloc[names.argsort(kind="stable")]
    return frame  # stale_features' order: never checked first, then the oldest check


def _last_checks(store: Store, layer: LayerSpec, rows: list[tuple[Feature, int | None]]
                 ) -> dict[str, LastCheck]:
    """Each record's latest check with a method, if it is the one last_verified records."""
    ids = [feature.id for feature, _ in rows]
    notes = store.records(AUDIT_TABLE, where=RecordFilter(
        equal={"layer": layer.name, "field": CHECK_METHOD_NOTE}, one_of={"feature_id": ids},
    ), newest_first=True) if ids else []
    found: dict[str, LastCheck] = {}
    for note in notes:
        if str(note["feature_id"]) in found:
            continue
        at = dt.datetime.fromisoformat(str(note["at"]).replace("Z", "+00:00"))
        method = decoded(note["after"])
        found[str(note["feature_id"])] = LastCheck(at, str(note["actor"] or ""),
                                                   str(method) if method else None)
    verified = {f.id: plain_text(f.properties.get(VERIFIED_FIELD)) for f, _ in rows}
    return {i: c for i, c in found.items()
            if verified.get(i) == c.at.astimezone(LONDON).date().isoformat()}


def stale_frame(store: Store, catalog: LayerCatalog, layer: LayerSpec, query: StaleQuery,
                *, today: dt.date) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The stale records ``query`` asks for, in its order, and all the layer's stale
    records; both with ``days_since_verified`` and ``council_area`` (in the council's own
    districts, or with no district to tell)."""
    query.check()
    everything = stale_features(store.read(layer), today=today, days=query.days)
    everything = everything.assign(
        council_area=_is_ours(everything, _districts(store, catalog)).to_numpy())
    ours = everything["council_area"]
    chosen = everything[ours] if query.area == "ours" else (
        everything[~ours] if query.area == "neighbours" else everything)
    for name, value in ((_DISTRICT, query.district), ("category", query.category)):
        if value and name in layer.field_names:
            chosen = chosen[chosen[name] == value]
    return _ordered(chosen, layer, query.sort), everything


def stale_list(store: Store, catalog: LayerCatalog, layer: LayerSpec, query: StaleQuery,
               *, today: dt.date) -> StaleList:
    """One page of the layer's stale records, filtered and sorted as ``query`` asks."""
    chosen, everything = stale_frame(store, catalog, layer, query, today=today)
    page = max(1, query.page)
    window = chosen.iloc[(page - 1) * query.per_page: page * query.per_page]
    rows = [(feature_from_row(layer, row), _days(row), bool(row["council_area"]))
            for _, row in window.iterrows()]
    checks = _last_checks(store, layer, [(f, d) for f, d, _ in rows])
    categories = everything.get("category", [])
    return StaleList(
        rows=[StaleRow(f, d, checks.get(f.id), mine) for f, d, mine in rows],
        total=len(chosen), page=page, per_page=query.per_page,
        neighbours=int((~everything["council_area"]).sum()),
        districts=_districts(store, catalog), categories=sorted({str(c) for c in categories if c}),
    )


def _days(row: pd.Series) -> int | None:
    value = row["days_since_verified"]
    return None if pd.isna(value) else int(value)


def _is_ours(frame: pd.DataFrame, districts: dict[str, str]) -> pd.Series:
    """Records in the council's districts, or with no district to tell (kept in view)."""
    if _DISTRICT not in frame or not districts:
        return pd.Series(True, index=frame.index)
    codes = frame[_DISTRICT]
    return codes.isna() | codes.astype(str).isin(list(districts))
