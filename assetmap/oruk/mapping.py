"""An Open Referral UK service in the register's terms: organisation, activity, places.

Values only; what is checked and written is :mod:`assetmap.oruk.importing`'s.

* A service becomes an activity (id ``oruk-<service id>``, so importing the feed again
  updates it); its category comes from its taxonomy terms (a term whose code or name is
  one of the register's categories) or, for services the feed does not classify so, from
  the ``--category`` the officer gives.
* Its organisation is one the register holds with the same charity or company number, or
  the same name; otherwise a new one (``oruk-<organisation id>``).
* Each location is an asset the register holds by its own duplicate rule (the same name
  and postcode, or the same name within 50 m), or, only when the officer names a category
  for new places (``--new-places``), a new asset: an unknown hall must not become a hub in
  the gap analysis unasked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assetmap.activities import AUDIENCES, TAXONOMY, schedule_problem
from assetmap.crs import in_great_britain, lonlat_to_metric
from assetmap.oruk.records import text
from assetmap.oruk.schedules import osm_from_hsds
from assetmap.postcodes import normalise_postcode
from assetmap.register.imports.duplicates import DUPLICATE_DISTANCE_M, name_key

__all__ = ["ID_PREFIX", "KnownActivity", "KnownAsset", "KnownOrganisation", "MappedService",
           "PlaceRow", "map_service", "match_place", "same_activity"]

ID_PREFIX = "oruk-"
# HSDS service status → the register's activity status.
_STATUS = {"active": "active", "inactive": "paused", "temporarily closed": "paused",
           "defunct": "ended"}
_CATEGORIES = {**{c.code: c.code for c in TAXONOMY}, **{name_key(c.label): c.code
                                                        for c in TAXONOMY}}
_AUDIENCES = {**{a.code: a.code for a in AUDIENCES}, **{name_key(a.label): a.code
                                                        for a in AUDIENCES}}


@dataclass(frozen=True)
class KnownAsset:
    id: str
    name: str
    postcode: str | None
    xy: tuple[float, float] | None  # EPSG:27700


@dataclass(frozen=True)
class KnownOrganisation:
    id: str
    name: str
    charity_number: str | None = None
    company_number: str | None = None


@dataclass(frozen=True)
class KnownActivity:
    id: str
    name: str
    asset_ids: tuple[str, ...]


def same_activity(name: str, asset_ids: Iterable[str], own_id: str,
                  known: Iterable[KnownActivity]) -> KnownActivity | None:
    """An activity the register holds under its own id with the same name at one of the same
    places: the feed lists what an officer already recorded, and it is left as it is."""
    key, places = name_key(name), set(asset_ids)
    return next((a for a in known if a.id != own_id and name_key(a.name) == key
                 and places & set(a.asset_ids)), None)


@dataclass
class PlaceRow:
    """A location of the feed: the asset it is, or the values of a new one."""

    location_id: str
    name: str
    matched: str | None  # an asset the register holds
    values: dict[str, Any] = field(default_factory=dict)
    lonlat: tuple[float, float] | None = None


@dataclass
class MappedService:
    where: str
    service_id: str
    activity: dict[str, Any]  # activity values, ``asset_ids`` still to be filled
    location_ids: list[str]
    organisation: dict[str, Any] | None  # values of a new organisation
    organisation_id: str | None
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, problem, fix)


def _terms(service: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [a["taxonomy_term"] for a in service.get("attributes") or []
            if isinstance(a, Mapping) and isinstance(a.get("taxonomy_term"), Mapping)]


def _codes(terms: Iterable[Mapping[str, Any]], known: Mapping[str, str]) -> list[str]:
    found = []
    for term in terms:
        for value in (term.get("term"), term.get("name"), term.get("id")):
            code = known.get(str(value)) or known.get(name_key(str(value or "")))
            if code and code not in found:
                found.append(code)
                break
    return found


def _schedule(service: Mapping[str, Any], notes: list[tuple[str, str, str]]) -> str | None:
    rules = []
    for n, schedule in enumerate(service.get("schedules") or []):
        interval = schedule.get("interval")
        rule = osm_from_hsds(schedule.get("freq"), schedule.get("byday"),
                             schedule.get("opens_at"), schedule.get("closes_at"),
                             int(interval) if isinstance(interval, int | float) else None)
        said = text(schedule.get("description"))
        if rule is None and said and schedule_problem(said) is None:
            rule = said  # opening_hours text itself (assetmap publishes so what HSDS cannot say)
        if rule is None:
            said = said or "no weekly or monthly pattern"
            notes.append(("schedule", f"schedules[{n}] ({said}) cannot be read as weekly or "
                          "monthly sessions; left out", "add the schedule to the activity by "
                          "hand (opening_hours syntax, e.g. Tu 10:00-12:00)"))
        elif rule not in rules:
            rules.append(rule)
    joined = ", ".join(rules)  # ", ": each rule adds sessions, none overrides another
    if joined and schedule_problem(joined) is not None:
        notes.append(("schedule", f"{joined!r} does not read as one schedule; left out",
                      "add the schedule to the activity by hand"))
        return None
    return joined or None


def _cost(service: Mapping[str, Any]) -> str | None:
    """``free``, the option's own words when they give the price, else ``£35.00 per session``."""
    for option in service.get("cost_options") or []:
        amount = option.get("amount")
        if amount == 0:
            return "free"
        said = text(option.get("amount_description")) or text(option.get("option"))
        if said and (not isinstance(amount, int | float) or "£" in said):
            return said
        if isinstance(amount, int | float):
            return f"£{amount:.2f}" + (f" {said}" if said else "")
    return text(service.get("fees"))


def _phone(service: Mapping[str, Any]) -> str | None:
    phones = list(service.get("phones") or [])
    for contact in service.get("contacts") or []:
        phones.extend(contact.get("phones") or [])
    return next((text(p.get("number")) for p in phones if text(p.get("number"))), None)


def _organisation(org: Mapping[str, Any], known: Iterable[KnownOrganisation]
                  ) -> tuple[str, dict[str, Any] | None]:
    """The register's id for the service's organisation, and its values when it is new."""
    numbers = {(i.get("identifier_scheme"), text(i.get("identifier")))
               for i in org.get("organization_identifiers") or []}
    charity = next((n for s, n in numbers if s == "GB-CHC" and n), None)
    company = next((n for s, n in numbers if s == "GB-COH" and n), None)
    key = name_key(str(org.get("name") or ""))
    for held in known:
        if ((charity and held.charity_number == charity)
                or (company and held.company_number == company) or name_key(held.name) == key):
            return held.id, None
    name = str(org.get("name") or "")
    council = "parish_council" if "parish council" in key else (
        "town_council" if "town council" in key else None)
    values = {
        "id": ID_PREFIX + str(org["id"]), "name": name,
        "kind": council or ("charity" if charity else "voluntary_group"),
        "charity_number": charity, "company_number": company,
        "description": text(org.get("description")), "email": text(org.get("email")),
        "website": text(org.get("website")) or text(org.get("url")),
    }
    return str(values["id"]), {k: v for k, v in values.items() if v is not None}


def map_service(where: str, service: Mapping[str, Any], *, category: str | None,
                organisations: Iterable[KnownOrganisation]) -> MappedService:
    """One feed service as the register's activity (and its organisation, when new)."""
    notes: list[tuple[str, str, str]] = []
    terms = _terms(service)
    categories = _codes(terms, _CATEGORIES)
    activity: dict[str, Any] = {
        "id": ID_PREFIX + str(service["id"]), "name": str(service["name"]),
        "category": categories[0] if categories else category,
        "description": text(service.get("description")),
        "schedule": _schedule(service, notes),
        "audience": ";".join(_codes(terms, _AUDIENCES)) or None,
        "age_min": service.get("minimum_age"), "age_max": service.get("maximum_age"),
        "cost": _cost(service), "email": text(service.get("email")), "phone": _phone(service),
        "website": text(service.get("url")),
        "status": _STATUS.get(str(service.get("status")), "active"),
        "last_verified": text(service.get("assured_date")),
    }
    org_id, new_org = None, None
    if isinstance(service.get("organization"), Mapping):
        org_id, new_org = _organisation(service["organization"], organisations)
        activity["organisation_id"] = org_id
    locations = [str(link["location"]["id"]) for link in service.get("service_at_locations") or []
                 if isinstance(link.get("location"), Mapping) and link["location"].get("id")]
    return MappedService(where, str(service["id"]),
                         {k: v for k, v in activity.items() if v is not None},
                         locations, new_org, org_id, notes)


def _lonlat(location: Mapping[str, Any]) -> tuple[float, float] | None:
    lon, lat = location.get("longitude"), location.get("latitude")
    if not isinstance(lon, int | float) or not isinstance(lat, int | float):
        return None
    return float(lon), float(lat)  # where it is: the plan says if that is outside the county


def match_place(location: Mapping[str, Any], known: Iterable[KnownAsset]) -> PlaceRow:
    """The register's asset for a feed location (its duplicate rule), or a new asset's values."""
    address: Mapping[str, Any] = next(iter(location.get("addresses") or []), {})
    postcode = normalise_postcode(str(address.get("postal_code") or ""))
    name = str(location.get("name") or address.get("address_1") or "")
    lonlat = _lonlat(location)
    xy = lonlat_to_metric(*lonlat) if lonlat and in_great_britain(*lonlat) else None
    key = name_key(name)
    for asset in known:
        if name_key(asset.name) != key:
            continue
        near = xy is not None and asset.xy is not None and (
            (asset.xy[0] - xy[0]) ** 2 + (asset.xy[1] - xy[1]) ** 2) <= DUPLICATE_DISTANCE_M ** 2
        if near or (postcode is not None and asset.postcode == postcode):
            return PlaceRow(str(location["id"]), name, asset.id)
    street = ", ".join(p for p in (text(address.get("address_1")), text(address.get("city")))
                       if p)
    values = {"id": ID_PREFIX + str(location["id"]), "name": name, "status": "open",
              "address": street or None, "postcode": postcode}
    return PlaceRow(str(location["id"]), name, None,
                    {k: v for k, v in values.items() if v is not None}, lonlat)
