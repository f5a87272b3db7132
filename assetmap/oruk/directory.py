"""The published directory: services, organisations and taxonomies, searched and paged.

Built once per store version (:mod:`assetmap.oruk.loading` reads the store) and then
answers every ``/oruk`` request from memory. Lists follow the HSDS API: a page with
``total_items, total_pages, page_number, size, first_page, last_page, empty`` and the
items in ``contents``; a service in a list has its one-to-one fields (and its
organisation), by id it is fully nested.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from assetmap.errors import NotFound, ValidationFailed
from assetmap.oruk import build
from assetmap.oruk.ids import oruk_id
from assetmap.oruk.records import Activity, Organisation, Place, Term

__all__ = ["TAXONOMIES", "Directory", "ServiceQuery", "page_of"]

T = TypeVar("T")

# The taxonomies the directory publishes: code → (name, description).
TAXONOMIES: dict[str, tuple[str, str]] = {
    "activity_category": (
        "Activity categories",
        "What an activity is: the register's documented taxonomy of community activities "
        "(lunch club, toddler group, dementia café …).",
    ),
    "audience": ("Audiences", "Who an activity is for (children, older people, carers …)."),
}


def page_of(items: Sequence[T], page: int, per_page: int,
            render: Callable[[T], dict[str, Any]]) -> dict[str, Any]:
    """One page of ``items`` in the HSDS envelope (a page past the end is empty)."""
    total = len(items)
    total_pages = max(1, math.ceil(total / per_page))
    chunk = items[(page - 1) * per_page : page * per_page]
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(chunk),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not chunk,
        "contents": [render(item) for item in chunk],
    }


def _words(value: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", value.casefold())
    return re.findall(r"[a-z0-9]+", "".join(c for c in plain if not unicodedata.combining(c)))


@dataclass(frozen=True)
class ServiceQuery:
    """The ``/services`` filters; ``origin`` is the postcode's point (EPSG:27700)."""

    origin: tuple[float, float] | None = None
    proximity_m: float | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    search: str | None = None
    page: int = 1
    per_page: int = 50


@dataclass
class Directory:
    organisations: Mapping[str, Organisation]
    activities: Sequence[Activity]
    places: Mapping[str, Place]
    terms: Mapping[tuple[str, str], Term]  # (taxonomy, code) → term
    county: str = ""
    facility_labels: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ordered = sorted(self.activities, key=lambda a: (a.name.casefold(), a.id))
        self._services = {oruk_id("service", a.id): a for a in ordered}
        self._organisations = {oruk_id("organization", o.id): o for o in
                               sorted(self.organisations.values(),
                                      key=lambda o: (o.name.casefold(), o.id))}
        self._terms = {build.term_id(t): t for t in
                       sorted(self.terms.values(), key=lambda t: (t.taxonomy, t.name))}
        self._words = {a.id: set(_words(" ".join(self._searchable(a)))) for a in ordered}

    # -- what an activity is made of ---------------------------------------------------------
    def terms_of(self, activity: Activity) -> list[Term]:
        keys = [("activity_category", activity.category or ""),
                *(("audience", a) for a in activity.audience)]
        return [self.terms[key] for key in keys if key in self.terms]

    def places_of(self, activity: Activity) -> list[Place]:
        return [self.places[i] for i in activity.asset_ids if i in self.places]

    def _searchable(self, activity: Activity) -> list[str]:
        org = self.organisations.get(activity.organisation_id or "")
        return [activity.name, activity.description or "", activity.cost or "",
                *(t.name for t in self.terms_of(activity)),
                org.name if org else "", *(p.name for p in self.places_of(activity))]

    def _service(self, activity: Activity, *, full: bool) -> dict[str, Any]:
        return build.service(
            activity, self.organisations.get(activity.organisation_id or ""),
            self.places_of(activity), self.terms_of(activity), full=full, county=self.county,
            facility_labels=self.facility_labels,
        )

    # -- services ----------------------------------------------------------------------------
    def _matches(self, activity: Activity, query: ServiceQuery, wanted: list[str]) -> bool:
        if wanted:  # each word typed starts a word of the service (toddler → toddlers)
            words = self._words[activity.id]
            if not all(any(w.startswith(q) for w in words) for q in wanted):
                return False
        if query.organization_id and (activity.organisation_id is None or oruk_id(
                "organization", activity.organisation_id) != query.organization_id):
            return False
        terms = self.terms_of(activity)
        if query.taxonomy_term_id and not any(
                query.taxonomy_term_id in (build.term_id(t), t.code) for t in terms):
            return False
        return not query.taxonomy_id or any(
            query.taxonomy_id in (oruk_id("taxonomy", t.taxonomy), t.taxonomy) for t in terms)

    def _distance(self, activity: Activity, origin: tuple[float, float]) -> float | None:
        distances = [math.hypot(p.easting - origin[0], p.northing - origin[1])
                     for p in self.places_of(activity)]
        return min(distances) if distances else None

    def services(self, query: ServiceQuery) -> dict[str, Any]:
        """A page of services matching ``query``; by distance when it has an origin."""
        self._check_filters(query)
        wanted = _words(query.search or "")
        found = [a for a in self._services.values() if self._matches(a, query, wanted)]
        if query.origin is None:
            return page_of(found, query.page, query.per_page,
                           lambda a: self._service(a, full=False))
        near = []
        for activity in found:
            distance = self._distance(activity, query.origin)
            if distance is not None and (query.proximity_m is None
                                         or distance <= query.proximity_m):
                near.append((distance, activity))
        near.sort(key=lambda pair: pair[0])  # stable: equal distances keep the name order

        def render(pair: tuple[float, Activity]) -> dict[str, Any]:
            return {**self._service(pair[1], full=False), "distance": round(pair[0], 1)}

        return page_of(near, query.page, query.per_page, render)

    def _check_filters(self, query: ServiceQuery) -> None:
        known = {code for code in TAXONOMIES} | {oruk_id("taxonomy", c) for c in TAXONOMIES}
        if query.taxonomy_id and query.taxonomy_id not in known:
            raise ValidationFailed(
                f"No taxonomy {query.taxonomy_id!r}: see /oruk/taxonomies for the ids.",
                details=[{"field": "taxonomy_id", "problem": "unknown taxonomy"}])
        if query.taxonomy_term_id and not any(
                query.taxonomy_term_id in (tid, t.code) for tid, t in self._terms.items()):
            raise ValidationFailed(
                f"No taxonomy term {query.taxonomy_term_id!r}: see /oruk/taxonomy_terms.",
                details=[{"field": "taxonomy_term_id", "problem": "unknown taxonomy term"}])

    def service(self, service_id: str) -> dict[str, Any]:
        activity = self._services.get(service_id)
        if activity is None:
            raise NotFound(f"No service with id {service_id!r}: see /oruk/services for the ids.")
        return self._service(activity, full=True)

    # -- organisations -----------------------------------------------------------------------
    def organizations(self, page: int, per_page: int) -> dict[str, Any]:
        return page_of(list(self._organisations.values()), page, per_page,
                       build.organization)

    def organization(self, organization_id: str) -> dict[str, Any]:
        org = self._organisations.get(organization_id)
        if org is None:
            raise NotFound(f"No organization with id {organization_id!r}: see "
                           "/oruk/organizations for the ids.")
        runs = [a for a in self._services.values() if a.organisation_id == org.id]
        return build.organization(org, full=True,
                                  services=[self._service(a, full=True) for a in runs])

    # -- taxonomies --------------------------------------------------------------------------
    def _taxonomy(self, code: str, *, with_terms: bool) -> dict[str, Any]:
        name, description = TAXONOMIES[code]
        body: dict[str, Any] = {"id": oruk_id("taxonomy", code), "name": name,
                                "description": description}
        if with_terms:
            body["taxonomy_terms"] = [build.taxonomy_term(t) for t in self._terms.values()
                                      if t.taxonomy == code]
        return body

    def taxonomies(self, page: int, per_page: int) -> dict[str, Any]:
        return page_of(list(TAXONOMIES), page, per_page,
                       lambda code: self._taxonomy(code, with_terms=False))

    def taxonomy(self, taxonomy_id: str) -> dict[str, Any]:
        for code in TAXONOMIES:
            if oruk_id("taxonomy", code) == taxonomy_id:
                return self._taxonomy(code, with_terms=True)
        raise NotFound(f"No taxonomy with id {taxonomy_id!r}: see /oruk/taxonomies for the ids.")

    def taxonomy_terms(self, page: int, per_page: int, taxonomy_id: str | None = None
                       ) -> dict[str, Any]:
        terms = [t for t in self._terms.values()
                 if taxonomy_id is None or oruk_id("taxonomy", t.taxonomy) == taxonomy_id]
        return page_of(terms, page, per_page, build.taxonomy_term)

    def taxonomy_term(self, term_id: str) -> dict[str, Any]:
        term = self._terms.get(term_id)
        if term is None:
            raise NotFound(f"No taxonomy term with id {term_id!r}: see /oruk/taxonomy_terms "
                           "for the ids.")
        return build.taxonomy_term(term)
