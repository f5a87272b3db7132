"""HSDS-UK 3.0 documents from the register: services, organisations, locations, terms.

Each activity is a service (who runs it is its organisation, where it runs its
locations, the assets). A directory consumer looks for things to go to; a hall is
where they happen, so assets are published as locations, never as services.

Optional strings are left out when unknown (HSDS types them as strings, not null);
every id is a UUID from :func:`~assetmap.oruk.ids.oruk_id`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from assetmap.oruk.ids import oruk_id
from assetmap.oruk.records import Activity, Organisation, Place, Term
from assetmap.oruk.schedules import hsds_sessions

__all__ = [
    "STATUS",
    "cost_options",
    "location",
    "organization",
    "schedules",
    "service",
    "taxonomy_term",
    "term_id",
]

# The register's activity status → HSDS service status.
STATUS = {"active": "active", "paused": "temporarily closed", "ended": "defunct"}
_AMOUNT = re.compile(r"£\s*(\d+(?:\.\d{1,2})?)")


def _given(**values: Any) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value not in (None, "")}


def term_id(term: Term) -> str:
    return oruk_id("taxonomy_term", term.taxonomy, term.code)


def taxonomy_term(term: Term) -> dict[str, Any]:
    return {
        "id": term_id(term),
        "name": term.name,
        "description": term.description,
        "taxonomy": term.taxonomy,
        "taxonomy_id": oruk_id("taxonomy", term.taxonomy),
        "term": term.code,
    }


def _attribute(link_id: str, link_type: str, term: Term) -> dict[str, Any]:
    return {
        "id": oruk_id("attribute", link_id, term.taxonomy, term.code),
        "link_id": link_id,
        "link_type": link_type,
        "taxonomy_term_id": term_id(term),
        "taxonomy_term": taxonomy_term(term),
    }


def _address(place: Place, location_id: str, county: str) -> list[dict[str, Any]]:
    if not place.address and not place.postcode:
        return []
    parts = [p.strip() for p in (place.address or "").split(",") if p.strip()]
    town = parts[-1] if len(parts) > 1 else ""
    return [{
        "id": oruk_id("address", place.id),
        "location_id": location_id,
        "address_1": ", ".join(parts[:-1]) if town else (place.address or ""),
        "city": town,
        "state_province": county,
        "postal_code": place.postcode or "",
        "country": "GB",
        "address_type": "physical",
    }]


def location(place: Place, *, county: str = "",
             facility_labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The place: position (EPSG:4326), address and accessibility."""
    location_id = oruk_id("location", place.id)
    labels = facility_labels or {}
    return {
        "id": location_id,
        "location_type": "physical",
        "name": place.name,
        "latitude": round(place.lat, 6),
        "longitude": round(place.lon, 6),
        "addresses": _address(place, location_id, county),
        "accessibility": [
            {"id": oruk_id("access", place.id, item), "location_id": location_id,
             "description": labels.get(item, item.replace("_", " "))}
            for item in place.accessibility
        ],
    }


def _identifiers(org: Organisation, org_id: str) -> list[dict[str, Any]]:
    schemes = (("GB-CHC", "Charity number", org.charity_number),
               ("GB-COH", "Company number", org.company_number))
    return [
        {"id": oruk_id("organization_identifier", org.id, scheme), "organization_id": org_id,
         "identifier_scheme": scheme, "identifier_type": kind, "identifier": number}
        for scheme, kind, number in schemes if number
    ]


def organization(org: Organisation, *, full: bool = False,
                 services: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """An organisation; ``full`` adds its identifiers and the services it runs."""
    org_id = oruk_id("organization", org.id)
    body: dict[str, Any] = {
        "id": org_id,
        "name": org.name,
        # Required by the profile: say what kind of group it is when it says nothing itself.
        "description": org.description or (f"{org.kind_label}." if org.kind_label else org.name),
        **_given(email=org.email, website=org.website),
    }
    if full:
        body["organization_identifiers"] = _identifiers(org, org_id)
        body["services"] = list(services)
    return body


def schedules(activity: Activity, service_id: str) -> list[dict[str, Any]]:
    """The activity's sessions as HSDS schedules; its text alone when they cannot say it."""
    if not activity.schedule:
        return []
    sessions = hsds_sessions(activity.schedule)
    if sessions is None:
        return [{"id": oruk_id("schedule", activity.id, 0), "service_id": service_id,
                 "description": activity.schedule}]
    return [
        {"id": oruk_id("schedule", activity.id, n), "service_id": service_id,
         "freq": s.freq, "interval": 1, "byday": s.byday,
         "opens_at": f"{s.opens_at}:00", "closes_at": f"{s.closes_at}:00",
         "description": activity.schedule}
        for n, s in enumerate(sessions)
    ]


def cost_options(activity: Activity, service_id: str) -> list[dict[str, Any]]:
    """``free`` → amount 0; ``£3 a session`` → amount 3 with the text; other text as given."""
    if not activity.cost:
        return []
    option: dict[str, Any] = {"id": oruk_id("cost_option", activity.id),
                              "service_id": service_id, "option": activity.cost}
    if activity.cost.strip().lower() == "free":
        option.update(option="Free", amount=0, amount_description="free")
    elif (match := _AMOUNT.search(activity.cost)) is not None:
        option.update(amount=float(match[1]), amount_description=activity.cost)
    return [option]


def _contact(activity: Activity, org: Organisation | None, service_id: str
             ) -> list[dict[str, Any]]:
    email = activity.email or (org.email if org else None)
    phone = activity.phone or (org.phone if org else None)
    if not email and not phone:
        return []
    contact_id = oruk_id("contact", activity.id)
    return [{
        "id": contact_id, "service_id": service_id,
        "name": org.name if org else activity.name,
        **_given(email=email),
        "phones": ([{"id": oruk_id("contact_phone", activity.id), "contact_id": contact_id,
                     "number": phone}] if phone else []),
    }]


def _description(activity: Activity, category: Term | None, places: Sequence[Place]) -> str:
    if activity.description:
        return activity.description
    what = category.name if category else activity.name
    where = " and ".join(p.name for p in places)
    return f"{what} at {where}." if where else f"{what}."


def service(activity: Activity, org: Organisation | None, places: Sequence[Place],
            terms: Sequence[Term], *, full: bool, county: str = "",
            facility_labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The activity as a service: one-to-one fields (lists), or ``full``y nested (by id)."""
    service_id = oruk_id("service", activity.id)
    category = next((t for t in terms if t.taxonomy == "activity_category"), None)
    body: dict[str, Any] = {
        "id": service_id,
        "name": activity.name,
        "description": _description(activity, category, places),
        **_given(url=activity.website, email=activity.email),
        "status": STATUS.get(activity.status or "active", "active"),
        **_given(fees=activity.cost, minimum_age=activity.age_min,
                 maximum_age=activity.age_max, assured_date=activity.last_verified),
    }
    if org is not None:
        body["organization_id"] = oruk_id("organization", org.id)
        body["organization"] = organization(org)
    if not full:
        return body
    body.update(
        schedules=schedules(activity, service_id),
        service_at_locations=[
            {"id": oruk_id("service_at_location", activity.id, place.id),
             "service_id": service_id, "location_id": oruk_id("location", place.id),
             "location": location(place, county=county, facility_labels=facility_labels)}
            for place in places
        ],
        contacts=_contact(activity, org, service_id),
        phones=([{"id": oruk_id("phone", activity.id), "service_id": service_id,
                  "number": activity.phone}] if activity.phone else []),
        cost_options=cost_options(activity, service_id),
        attributes=[_attribute(service_id, "service", term) for term in terms],
    )
    return body
