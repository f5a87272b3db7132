"""Open Referral UK: hubs as services, searched by postcode and proximity.

Follows the HSDS 3.0 API reference that Open Referral UK 3.0 profiles
(openreferral/specification ``docs/hsds/api_reference.md``): list endpoints are
paginated with ``total_items, total_pages, page_number, size, first_page,
last_page, empty`` and the items in ``contents``; a service has ``id`` (a UUID),
``name`` and ``status`` (required) with ``description``, and ``url`` and
``email`` when known, and its locations in ``service_at_locations``. ``proximity`` is in metres
from the ``postcode``; results are ordered by distance.
"""

from __future__ import annotations

import math
import uuid
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from assetmap.api.deps import FinderDep
from assetmap.errors import ValidationFailed
from assetmap.finder import Hub, NearbyHub

__all__ = ["oruk_service", "router"]

router = APIRouter(prefix="/oruk", tags=["open referral uk"])

_NAMESPACE = uuid.UUID("6f3c1f5e-3a52-4c1e-9a7e-2b5d0c4a8e11")  # fixed: ids stay stable
_STATUS = {"open": "active", "at_risk": "active", "closed": "defunct"}


def _uuid(kind: str, hub: Hub) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{hub.id}"))


def _location(hub: Hub, location_id: str) -> dict[str, Any]:
    """The hub's place: coordinates, address and accessibility."""
    town = hub.address.rsplit(",", 1)[-1].strip() if hub.address and "," in hub.address else ""
    return {
        "id": location_id,
        "location_type": "physical",
        "name": hub.name,
        "latitude": round(hub.lat, 6),
        "longitude": round(hub.lon, 6),
        "addresses": [
            {
                "id": _uuid("address", hub),
                "location_id": location_id,
                "address_1": hub.address or "",
                "city": town,
                "state_province": "",
                "postal_code": hub.postcode or "",
                "country": "GB",
                "address_type": "physical",
            }
        ],
        "accessibility": [
            {"id": str(uuid.uuid5(_NAMESPACE, f"access:{hub.id}:{a}")), "location_id": location_id,
             "description": a.replace("_", " ")}
            for a in hub.accessibility
        ],
    }


def oruk_service(found: NearbyHub, *, with_distance: bool) -> dict[str, Any]:
    hub = found.hub
    service_id = _uuid("service", hub)
    location_id = _uuid("location", hub)
    description = f"{hub.category_label}."
    if hub.status == "at_risk":
        description += " At risk of closure: check before you travel."
    service: dict[str, Any] = {
        "id": service_id,
        "name": hub.name,
        "description": description,
        # Optional strings are left out when unknown: HSDS types them as strings, not null.
        **({"url": hub.safe_website} if hub.safe_website else {}),
        **({"email": hub.email} if hub.email else {}),
        "status": _STATUS.get(hub.status, "active"),
        "phones": (
            [{"id": _uuid("phone", hub), "service_id": service_id, "number": hub.phone}]
            if hub.phone else []
        ),
        "schedules": (
            [{"id": _uuid("schedule", hub), "service_id": service_id,
              "description": hub.opening_times}]
            if hub.opening_times else []
        ),
        "contacts": [],
        "service_at_locations": [
            {"id": _uuid("service_at_location", hub), "service_id": service_id,
             "location_id": location_id, "location": _location(hub, location_id)}
        ],
        "attributes": [
            {"id": _uuid("attribute", hub), "link_type": "service", "link_id": service_id,
             "taxonomy_term": {"id": hub.category, "name": hub.category_label,
                               "vocabulary": "assetmap-asset-category"}}
        ],
        "assetmap_id": hub.id,
    }
    if with_distance:
        service["distance"] = round(found.distance_m, 1)
    return service


@router.get("/services", summary="Open Referral UK service search: hubs by postcode and distance")
def services(
    finder: FinderDep,
    postcode: str | None = Query(None, max_length=16, description="centre of the search"),
    proximity: float | None = Query(
        None, gt=0, le=1_000_000, description="metres from the postcode (needs postcode)"
    ),
    page: int = Query(1, ge=1, description="page number, from 1"),
    per_page: int = Query(50, ge=1, le=200, description="services per page"),
) -> JSONResponse:
    data = finder.data()
    if proximity is not None and postcode is None:
        raise ValidationFailed(
            "proximity needs a postcode to measure from, e.g. ?postcode=LE1 1AA&proximity=5000",
            details=[{"field": "proximity", "problem": "needs postcode"}],
        )
    if postcode is not None:
        location = data.locate_postcode(postcode)
        found = data.hubs.within(location.easting, location.northing, proximity)
    else:
        found = [NearbyHub(hub, 0.0) for hub in sorted(data.hubs.hubs, key=lambda h: h.id)]
    total = len(found)
    total_pages = max(1, math.ceil(total / per_page))
    chunk = found[(page - 1) * per_page : page * per_page]
    body = {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(chunk),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not chunk,
        "contents": [oruk_service(f, with_distance=postcode is not None) for f in chunk],
    }
    return JSONResponse(body)
