"""An organisation and an activity as the rest of the product reads them: plain, typed copies of
store rows (the fields of ``layers/organisations.yaml`` and ``layers/activities.yaml``), with
the store's empty values (None, NaN, "") already None.

One pair of classes for the finder (:mod:`assetmap.finder.activities`, which adds the labels
residents read and keeps only the places an activity runs that are open) and the Open Referral
directory (:mod:`assetmap.oruk.records`, which reads every row as it is stored).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Activity", "Organisation"]


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    kind: str | None = None
    kind_label: str | None = None  # the kind in words ("Charity"), where the layer labels it
    charity_number: str | None = None
    company_number: str | None = None
    description: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None  # an http(s) link only, never ``javascript:``
    last_verified: str | None = None


@dataclass(frozen=True)
class Activity:
    id: str
    name: str
    category: str | None = None
    category_label: str | None = None  # the category in words, where the layer labels it
    status: str | None = None
    asset_ids: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    schedule: str | None = None  # OpenStreetMap opening_hours syntax
    description: str | None = None
    organisation_id: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    cost: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None  # an http(s) link only, never ``javascript:``
    last_verified: str | None = None
