"""The register's organisations, activities and places, as the directory publishes them.

Plain, typed copies of store rows (the layers' field names: ``layers/organisations.yaml``,
``layers/activities.yaml``, ``layers/assets.yaml``), with the empty values a store gives
(None, NaN, "") turned into None once, here, so the builders never meet them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assetmap.activities.records import Activity, Organisation
from assetmap.finder.activities import safe_link as web_link
from assetmap.store.base import plain_int as whole
from assetmap.store.base import plain_text as text

__all__ = ["Activity", "Organisation", "Place", "Term", "activity_from_row",
           "organisation_from_row", "split_list", "text"]


def split_list(value: Any) -> tuple[str, ...]:
    """A semicolon list (``step_free;hearing_loop``) as its items."""
    return tuple(part.strip() for part in (text(value) or "").split(";") if part.strip())


@dataclass(frozen=True)
class Term:
    """One term of a taxonomy the directory publishes (an activity category, an audience)."""

    taxonomy: str  # "activity_category" | "audience"
    code: str
    name: str
    description: str


def organisation_from_row(row: Mapping[str, Any], kind_labels: Mapping[str, str]
                          ) -> Organisation:
    kind = text(row.get("kind"))
    return Organisation(
        id=str(row["id"]), name=text(row.get("name")) or str(row["id"]), kind=kind,
        kind_label=kind_labels.get(kind or "", kind), description=text(row.get("description")),
        charity_number=text(row.get("charity_number")),
        company_number=text(row.get("company_number")),
        email=text(row.get("email")), phone=text(row.get("phone")),
        website=web_link(row.get("website")), last_verified=text(row.get("last_verified")),
    )


def activity_from_row(row: Mapping[str, Any]) -> Activity:
    return Activity(
        id=str(row["id"]), name=text(row.get("name")) or str(row["id"]),
        category=text(row.get("category")), description=text(row.get("description")),
        organisation_id=text(row.get("organisation_id")),
        asset_ids=split_list(row.get("asset_ids")), schedule=text(row.get("schedule")),
        audience=split_list(row.get("audience")), age_min=whole(row.get("age_min")),
        age_max=whole(row.get("age_max")), cost=text(row.get("cost")),
        email=text(row.get("email")), phone=text(row.get("phone")),
        website=web_link(row.get("website")), status=text(row.get("status")),
        last_verified=text(row.get("last_verified")),
    )


@dataclass(frozen=True)
class Place:
    """An asset where activities run; ``lon``/``lat`` in EPSG:4326, ``easting``/``northing``
    in EPSG:27700."""

    id: str
    name: str
    lon: float
    lat: float
    easting: float
    northing: float
    address: str | None = None
    postcode: str | None = None
    accessibility: tuple[str, ...] = ()
    opening_times: str | None = None
