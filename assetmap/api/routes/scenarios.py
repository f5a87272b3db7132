"""Saved, named scenarios (officers): ``/api/scenarios`` and ``/api/scenarios/{id}``.

A scenario is a change (hubs closed by asset id, hubs opened at WGS84 points) for
one district, kept under a name so officers can share it. It is checked when
saved (unknown ids and points outside the county are refused, naming each) and
re-run against the live register whenever it is read: ids that have gone since
are listed in ``missing``, ids no longer hubs in ``not_hubs``. The district report
shows it beside today with ``/reports/{district}?scenario=ID``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from assetmap.analysis import resolve_district
from assetmap.api.auth import OfficerDep
from assetmap.api.deps import ReportsDep, StoreDep
from assetmap.api.request_body import read_json
from assetmap.api.scenario_requests import change_from_query, run_change, run_saved
from assetmap.api.schemas import error_responses
from assetmap.register.scenarios import delete_scenario, save_scenario, saved_scenarios

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["scenarios"])

BODY_LIMIT = 64 * 1024
ERRORS = error_responses({401: "Not signed in", 403: "Role not allowed",
                          404: "No such scenario or district",
                          422: "Unknown closed id or a point outside the county (named)"})


class ScenarioIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120, description="What the scenario is called")
    district: str = Field(min_length=1, max_length=200, description="District name or code")
    close: list[str] = Field(default_factory=list, max_length=500,
                             description="Asset ids of the hubs closed")
    open: str = Field(default="", max_length=2_000,
                      description="Hubs opened, WGS84: LON,LAT;LON,LAT")


def _document(saved: Any, outcome: Any) -> dict[str, Any]:
    return {**saved.as_dict(), "report": f"/reports/{saved.district}?scenario={saved.id}",
            "outcome": outcome.as_dict()}


@router.post("/scenarios", status_code=201, summary="Save a named scenario (officer)",
             responses=ERRORS)
async def create_scenario(
    request: Request, user: OfficerDep, store: StoreDep, reports: ReportsDep
) -> dict[str, Any]:
    body = await read_json(request, ScenarioIn, BODY_LIMIT)

    def run() -> dict[str, Any]:
        inputs = reports.inputs()
        district = resolve_district(body.district, inputs.community_areas, inputs.districts)
        change = change_from_query(",".join(body.close), body.open)
        outcome = run_change(reports, reports.options([], all_areas=False, sites=0).thresholds,
                             district, change)
        saved = save_scenario(store, name=body.name, district=district, close=change.close,
                              open_points=change.open_text(), author=user.name)
        return _document(saved, outcome)

    return await run_in_threadpool(run)


@router.get("/scenarios", summary="Saved scenarios, newest first (officer)",
            responses=ERRORS)
def list_scenarios(
    user: OfficerDep, store: StoreDep,
    limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0),
) -> dict[str, Any]:
    found = saved_scenarios(store, limit=limit, offset=offset)
    return {"scenarios": [s.as_dict() for s in found], "limit": limit, "offset": offset}


@router.get("/scenarios/{scenario_id}",
            summary="A saved scenario, re-run against the live register (officer)",
            responses=ERRORS)
def read_scenario(
    scenario_id: int, user: OfficerDep, store: StoreDep, reports: ReportsDep
) -> dict[str, Any]:
    thresholds = reports.options([], all_areas=False, sites=0).thresholds
    saved, outcome = run_saved(reports, store, scenario_id, thresholds)
    return _document(saved, outcome)


@router.delete("/scenarios/{scenario_id}", status_code=204,
               summary="Delete a saved scenario (officer)", responses=ERRORS)
def remove_scenario(scenario_id: int, user: OfficerDep, store: StoreDep) -> Response:
    delete_scenario(store, scenario_id, actor=user.name)
    return Response(status_code=204)
