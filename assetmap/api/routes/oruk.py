"""Open Referral UK 3.0: the register's activities as services, with their organisations.

The HSDS 3.0 API the UK profile keeps (``OpenReferralUK/uk-profile``
``schema/openapi.json``), in the order the ORUK validator checks it: ``/`` (which
profile), ``/services`` (paginated: ``postcode``/``proximity`` in metres,
``taxonomy_term_id``, ``taxonomy_id``, ``organization_id``, ``search``) and
``/services/{id}`` (fully nested), then ``/taxonomies``, ``/taxonomy_terms`` and
``/organizations`` with their ``/{id}``. Documents are built by :mod:`assetmap.oruk`;
every response is open to any origin, as the profile's compliance rules ask.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from assetmap.api.deps import FinderDep, OrukDep
from assetmap.errors import ValidationFailed
from assetmap.oruk import ServiceQuery, root_document

__all__ = ["router"]

router = APIRouter(prefix="/oruk", tags=["open referral uk"])

_OPEN = {"Access-Control-Allow-Origin": "*"}
PAGE = Query(1, ge=1, le=100_000, description="page number, from 1")
PER_PAGE = Query(50, ge=1, le=200, description="items per page")


def _json(body: dict[str, Any]) -> JSONResponse:
    return JSONResponse(body, headers=_OPEN)


@router.get("/", summary="Which HSDS profile this API follows (HSDS-UK-3.0)")
def root() -> JSONResponse:
    return _json(root_document())


@router.get("/services", summary="Services (activities), paginated; by postcode and distance")
def services(  # one parameter per filter the profile names
    oruk: OrukDep,
    finder: FinderDep,
    postcode: str | None = Query(None, max_length=16, description="centre of the search"),
    proximity: float | None = Query(
        None, gt=0, le=1_000_000, description="metres from the postcode (needs postcode)"),
    taxonomy_term_id: str | None = Query(None, max_length=64, description="a term's id or code"),
    taxonomy_id: str | None = Query(None, max_length=64, description="a taxonomy's id"),
    organization_id: str | None = Query(None, max_length=64, description="who runs it"),
    search: str | None = Query(None, max_length=200, description="words to look for"),
    page: int = PAGE,
    per_page: int = PER_PAGE,
) -> JSONResponse:
    if proximity is not None and postcode is None:
        raise ValidationFailed(
            "proximity needs a postcode to measure from, e.g. ?postcode=LE1 1AA&proximity=5000",
            details=[{"field": "proximity", "problem": "needs postcode"}],
        )
    origin = None
    if postcode is not None:
        location = finder.data().locate_postcode(postcode)
        origin = (location.easting, location.northing)
    query = ServiceQuery(origin=origin, proximity_m=proximity, taxonomy_term_id=taxonomy_term_id,
                         taxonomy_id=taxonomy_id, organization_id=organization_id,
                         search=search, page=page, per_page=per_page)
    return _json(oruk.current().services(query))


@router.get("/services/{service_id}", summary="One service, fully nested")
def service(oruk: OrukDep, service_id: str) -> JSONResponse:
    return _json(oruk.current().service(service_id))


@router.get("/taxonomies", summary="The taxonomies services are classified by, paginated")
def taxonomies(oruk: OrukDep, page: int = PAGE, per_page: int = PER_PAGE) -> JSONResponse:
    return _json(oruk.current().taxonomies(page, per_page))


@router.get("/taxonomies/{taxonomy_id}", summary="One taxonomy with its terms")
def taxonomy(oruk: OrukDep, taxonomy_id: str) -> JSONResponse:
    return _json(oruk.current().taxonomy(taxonomy_id))


@router.get("/taxonomy_terms", summary="Taxonomy terms, paginated")
def taxonomy_terms(
    oruk: OrukDep, page: int = PAGE, per_page: int = PER_PAGE,
    taxonomy_id: str | None = Query(None, max_length=64, description="only this taxonomy's"),
) -> JSONResponse:
    return _json(oruk.current().taxonomy_terms(page, per_page, taxonomy_id))


@router.get("/taxonomy_terms/{term_id}", summary="One taxonomy term")
def taxonomy_term(oruk: OrukDep, term_id: str) -> JSONResponse:
    return _json(oruk.current().taxonomy_term(term_id))


@router.get("/organizations", summary="Organisations that run services, paginated")
def organizations(oruk: OrukDep, page: int = PAGE, per_page: int = PER_PAGE) -> JSONResponse:
    return _json(oruk.current().organizations(page, per_page))


@router.get("/organizations/{organization_id}", summary="One organisation with its services")
def organization(oruk: OrukDep, organization_id: str) -> JSONResponse:
    return _json(oruk.current().organization(organization_id))
