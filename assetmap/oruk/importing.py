"""``assetmap import oruk``: another directory's feed into the register, all or nothing.

The feed has been read and checked against the profile (:mod:`assetmap.oruk.feed`); here
its services become rows of three layers, each checked by the register's own import plans
(:func:`~assetmap.register.imports.plan_table` for places: field rules, choices, the county,
duplicates; :func:`~assetmap.register.imports.plain.plan_plain_table` for organisations and
activities, as ``assetmap import activities`` does: their assets, organisation, schedule)
and written together in one audited transaction
(:func:`~assetmap.register.imports.apply_imports`): new places first, then organisations,
then the activities that name them. How a service maps is :mod:`assetmap.oruk.mapping`.

A service none of whose places can be used (each outside the county, or not in the
register while no ``--new-places`` category is given) is skipped and named in a warning:
an activity runs somewhere. As for OpenStreetMap, a malformed optional value (an e-mail
address, an over-long description) is left out and named rather than refusing the feed:
the officer cannot correct another directory's data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from assetmap.crs import to_metric
from assetmap.field_rules import DEFAULT_MAX_LENGTH, FieldProblem, check_text
from assetmap.formats.geojson import plain_records
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.oruk.feed import Feed
from assetmap.oruk.mapping import (
    ID_PREFIX,
    KnownActivity,
    KnownAsset,
    KnownOrganisation,
    MappedService,
    PlaceRow,
    map_service,
    match_place,
    same_activity,
)
from assetmap.oruk.records import split_list, text
from assetmap.register.imports import ImportPlan, ImportResult, Problem, SourceRow, SourceTable
from assetmap.register.imports.apply import apply_imports
from assetmap.register.imports.plain import plan_plain_table
from assetmap.register.imports.plan import plan_table
from assetmap.store.base import Store

__all__ = ["FORMAT", "OrukOptions", "OrukPlan", "apply_oruk", "oruk_plan_text", "plan_oruk"]

FORMAT = "Open Referral UK 3.0"


@dataclass(frozen=True)
class OrukOptions:
    category: str | None = None  # for services whose terms name no activity category
    new_places: str | None = None  # asset category for places the register lacks


@dataclass
class OrukPlan:
    """What importing the feed would write: a plan per layer, in the order they are written."""

    source: str
    services: int
    plans: list[ImportPlan] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    linked: int = 0  # places of the feed that are assets the register already holds

    @property
    def errors(self) -> list[Problem]:
        return [p for plan in self.plans for p in plan.errors]

    @property
    def ok(self) -> bool:
        return not self.errors


def _known_assets(store: Store, layer: LayerSpec) -> list[KnownAsset]:
    if not store.has_layer(layer):
        return []
    frame = to_metric(store.read(layer, fields=["id", "name", "postcode"]), "assets")
    rows = plain_records(frame, ["id", "name", "postcode"])
    return [KnownAsset(str(r["id"]), str(r["name"] or ""), text(r["postcode"]),
                       None if point is None or point.is_empty else (point.x, point.y))
            for r, point in zip(rows, frame.geometry, strict=True)]


def _known_organisations(store: Store, layer: LayerSpec | None) -> list[KnownOrganisation]:
    if layer is None or not store.has_layer(layer):
        return []
    rows = plain_records(store.read(layer), ["id", "name", "charity_number", "company_number"])
    return [KnownOrganisation(str(r["id"]), str(r["name"] or ""), text(r["charity_number"]),
                              text(r["company_number"])) for r in rows]


def _known_activities(store: Store, layer: LayerSpec | None) -> list[KnownActivity]:
    if layer is None or not store.has_layer(layer):
        return []
    rows = plain_records(store.read(layer), ["id", "name", "asset_ids"])
    return [KnownActivity(str(r["id"]), str(r["name"] or ""), split_list(r["asset_ids"]))
            for r in rows]


def _locations(feed: Feed) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for service in feed.services:
        for link in service.body.get("service_at_locations") or []:
            location = link.get("location")
            if isinstance(location, dict) and location.get("id"):
                found.setdefault(str(location["id"]), location)
    return found


def _shorten(value: str, limit: int) -> str:
    cut = value.strip()[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut).rstrip(" ,;.") + "…"


def _fit(layer: LayerSpec, rows: list[SourceRow], warnings: list[Problem]) -> list[SourceRow]:
    """Optional values the layer would refuse: free text over its limit shortened, anything
    else (a malformed e-mail address or link) left out; each named. Required ones are left
    for the plan to refuse."""
    for row in rows:
        for name, value in list(row.values.items()):
            if not isinstance(value, str) or name not in layer.field_names:
                continue
            spec = layer.field(name)
            if spec.type != "str" or spec.required:
                continue
            try:
                check_text(spec, value)
            except FieldProblem as refused:
                kind = spec.format or "text"
                limit = spec.max_length or DEFAULT_MAX_LENGTH[kind]
                if kind in ("text", "multiline") and len(value.strip()) > limit:
                    row.values[name] = _shorten(value, limit)
                    said = f"is {len(value.strip()):,} characters long; shortened to {limit:,}"
                else:
                    del row.values[name]
                    said = f"{refused.problem}; left out"
                warnings.append(_warn(row.where, name, value[:40], said,
                                      "correct it at the source, or in the register after"))
    return rows


def _table(feed: Feed, rows: list[SourceRow], **flags: Any) -> SourceTable:
    return SourceTable(name=feed.source, format=FORMAT, rows=rows,
                       metadata={"source:oruk": feed.source}, **flags)


def _place_rows(places: Iterable[PlaceRow], category: str) -> list[SourceRow]:
    return [SourceRow(row=n, where=f"location {p.name!r}", values={**p.values,
                                                                   "category": category},
                      xy=p.lonlat, crs="EPSG:4326", coordinates="longitude/latitude")
            for n, p in enumerate(places, start=1)]


def _warn(where: str, field_name: str, value: str, problem: str, fix: str) -> Problem:
    return Problem(where=where, field=field_name, value=value, problem=problem, fix=fix)


def _activity_rows(mapped: list[MappedService], usable: dict[str, str],
                   options: OrukOptions, known: list[KnownActivity],
                   warnings: list[Problem]) -> list[SourceRow]:
    rows = []
    for n, service in enumerate(mapped, start=1):
        assets = list(dict.fromkeys(usable[i] for i in service.location_ids if i in usable))
        where = f"{service.where} ({service.activity['name']})"
        held = same_activity(service.activity["name"], assets, service.activity["id"], known)
        if held is not None:
            warnings.append(_warn(where, "name", held.name, f"is already in the register as "
                                  f"activity {held.id}; left as it is",
                                  "change that activity by hand if the feed knows better"))
            continue
        if not assets:
            fix = ("add its place to the register first, or pass --new-places CATEGORY"
                   if options.new_places is None else "check where the feed says it runs")
            warnings.append(_warn(where, "service_at_locations", "",
                                  "runs at no place in the county the register can use; "
                                  "skipped", fix))
            continue
        row = SourceRow(row=n, where=where, values={**service.activity,
                                                    "asset_ids": ";".join(assets)})
        if "category" not in service.activity:
            row.problems.append(Problem(
                where=where, row=n, field="category", value="",
                problem="none of its taxonomy terms is one of the register's activity "
                        "categories", fix="pass --category CODE for the services the feed "
                                          "does not classify (see /oruk/taxonomy_terms)"))
        warnings.extend(_warn(where, f, "", p, x) for f, p, x in service.notes)
        rows.append(row)
    return rows


def _plan_places(store: Store, catalog: LayerCatalog, feed: Feed, options: OrukOptions,
                 plan: OrukPlan) -> dict[str, str]:
    """Feed location id → the register's asset id, for every place the import can use."""
    places = [match_place(location, _known_assets(store, catalog["assets"]))
              for location in _locations(feed).values()]
    usable = {p.location_id: p.matched for p in places if p.matched is not None}
    plan.linked = len(usable)
    new = [p for p in places if p.matched is None]
    if options.new_places is None:
        plan.warnings.extend(_warn(f"location {p.name!r}", "location", "",
                                   "is not in the register", "add it to the register, or "
                                   "pass --new-places CATEGORY") for p in new)
        return usable
    if not new:
        return usable
    rows = _fit(catalog["assets"], _place_rows(new, options.new_places), plan.warnings)
    asset_plan = plan_table(store, catalog, _table(feed, rows, skip_unusable=True))
    # Another directory's feed cannot be corrected here: a place the register cannot use
    # (no position in the county, an unknown postcode) is left out and named, not an error.
    refused = {p.where: p for p in asset_plan.errors}
    asset_plan.errors = []
    made = {row.feature_id for row in (*asset_plan.creates, *asset_plan.updates,
                                       *asset_plan.unchanged)}
    for place in new:
        where = f"location {place.name!r}"
        if place.values["id"] in made:
            usable[place.location_id] = str(place.values["id"])
            continue
        problem = refused.get(where)
        plan.warnings.append(_warn(
            where, problem.field if problem else "location", problem.value if problem else "",
            f"{problem.problem if problem else 'lies outside the county'}; left out",
            problem.fix if problem else "check its coordinates or postcode"))
    plan.plans.append(asset_plan)
    return usable


def plan_oruk(store: Store, catalog: LayerCatalog, feed: Feed,
              options: OrukOptions = OrukOptions()) -> OrukPlan:
    """Check the whole feed against the register; nothing is written."""
    plan = OrukPlan(feed.source, len(feed.services))
    usable = _plan_places(store, catalog, feed, options, plan)
    organisations = _known_organisations(store, catalog.get("organisations"))
    mapped = [map_service(s.where, s.body, category=options.category,
                          organisations=organisations) for s in feed.services]
    activity_rows = _activity_rows(mapped, usable, options,
                                   _known_activities(store, catalog.get("activities")),
                                   plan.warnings)
    kept = {row.values.get("organisation_id") for row in activity_rows}
    new_orgs = {m.organisation_id: m.organisation for m in mapped
                if m.organisation is not None and m.organisation_id in kept}
    org_rows = [SourceRow(row=n, where=f"organisation {values['name']!r}", values=values)
                for n, values in enumerate(new_orgs.values(), start=1)]
    new_assets = {asset for asset in usable.values() if asset.startswith(ID_PREFIX)}
    for name, rows in (("organisations", org_rows), ("activities", activity_rows)):
        if rows:
            rows = _fit(catalog[name], rows, plan.warnings)
            plan.plans.append(plan_plain_table(
                store, catalog, _table(feed, rows), layer_name=name, also_assets=new_assets,
                also_organisations=[str(v["id"]) for v in new_orgs.values() if v]))
    return plan


def apply_oruk(store: Store, plan: OrukPlan, actor: str) -> list[ImportResult]:
    """Write every layer's plan in one transaction, audited as ``import`` by ``actor``."""
    return apply_imports(store, plan.plans, actor)


def oruk_plan_text(plan: OrukPlan) -> list[str]:
    """A heading line, then what the register already held, and the warnings."""
    lines = [f"{plan.source} ({FORMAT}): {plan.services:,} services read, every document "
             "valid by the profile's schemas",
             f"places already in the register: {plan.linked:,}"]
    lines += [f"  {p.line()}" for p in plan.warnings]
    return lines
