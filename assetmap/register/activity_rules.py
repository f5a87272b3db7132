"""What the register checks of organisations and activities beyond each field's type.

An activity must run at assets the register knows (``asset_ids``), be run by a known
organisation (``organisation_id``, optional) and have a sensible age range; an
organisation's ``areas_served`` must be known community area or district codes. (Each
value's own form — a schedule opening-hours-py can read, declared audiences — is the
field rules' (``format: opening_hours``, ``facilities``), so every write checks it.)
Every write of these layers passes through here: the API and the officer forms
(:mod:`assetmap.register.editing`) and imports (:mod:`assetmap.register.imports.plain`).

Assets' own ``opening_times`` are not refused here: registers carry years of free text
("Mon-Fri 9-5"), so text that does not parse is kept as written and flagged instead
(:func:`opening_times_warning`; the finder then shows it without "open now").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from assetmap.activities import schedule_problem
from assetmap.errors import Conflict, ValidationFailed
from assetmap.field_rules import split_list
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.store.base import Store

__all__ = [
    "LINKED_LAYERS",
    "Known",
    "check_links",
    "check_not_referenced",
    "link_problems",
    "opening_times_warning",
]

LINKED_LAYERS = ("activities", "organisations")
# Up to this many ids are looked up one by one; more, and every id is read once.
_FEW = 500
Problem = dict[str, str]


@dataclass(frozen=True)
class Known:
    """The ids and codes references may name (only those asked about, for a few)."""

    asset_ids: frozenset[str]
    organisation_ids: frozenset[str]
    area_codes: frozenset[str]

    @classmethod
    def for_rows(
        cls, store: Store, catalog: LayerCatalog, rows: Iterable[Mapping[str, Any]],
        *, also_organisations: Iterable[str] = (),
    ) -> Known:
        """What the store holds of the ids ``rows`` name; ``also_organisations`` are being
        added in the same write, so they count as known."""
        assets: set[str] = set()
        organisations: set[str] = set(also_organisations)
        for row in rows:
            assets.update(split_list(str(row.get("asset_ids") or "")))
            if row.get("organisation_id"):
                organisations.add(str(row["organisation_id"]))
        return cls(
            frozenset(_present(store, catalog["assets"], assets)),
            frozenset(_present(store, catalog["organisations"], organisations)
                      | set(also_organisations)),
            frozenset(_area_codes(store, catalog)),
        )


def _present(store: Store, layer: LayerSpec, wanted: set[str]) -> set[str]:
    if not wanted or not store.has_layer(layer):
        return set()
    if len(wanted) <= _FEW:
        frame = store.read(layer, filters={layer.id_field: sorted(wanted)},
                           fields=[layer.id_field])
    else:
        frame = store.read(layer, fields=[layer.id_field])
    return set(frame[layer.id_field].astype(str)) & wanted


def _area_codes(store: Store, catalog: LayerCatalog) -> set[str]:
    codes: set[str] = set()
    for name in ("community_areas", "districts"):
        layer = catalog.get(name)
        if layer is not None and store.has_layer(layer):
            codes.update(store.read(layer, fields=[layer.id_field])[layer.id_field].astype(str))
    return codes


def _problem(field: str, value: Any, problem: str, fix: str) -> Problem:
    return {"field": field, "value": "" if value is None else str(value), "problem": problem,
            "fix": fix}


def _activity_problems(values: Mapping[str, Any], known: Known) -> list[Problem]:
    problems = []
    if "asset_ids" in values:
        venues = split_list(str(values["asset_ids"] or ""))
        unknown = [v for v in venues if v not in known.asset_ids]
        if not venues:
            problems.append(_problem("asset_ids", values["asset_ids"], "names no asset",
                                     "give the id of at least one asset where it runs"))
        elif unknown:
            problems.append(_problem(
                "asset_ids", values["asset_ids"],
                f"no asset with id {', '.join(map(repr, unknown))}",
                "use ids from the assets layer (add the asset first), separated by ;"))
    organisation = values.get("organisation_id")
    if organisation and str(organisation) not in known.organisation_ids:
        problems.append(_problem(
            "organisation_id", organisation, f"no organisation with id {str(organisation)!r}",
            "use an id from the organisations layer (import or add the organisation first)"))
    low, high = values.get("age_min"), values.get("age_max")
    if isinstance(low, int) and isinstance(high, int) and low > high:
        problems.append(_problem("age_max", high, f"is below age_min ({low})",
                                 "give the youngest age in age_min and the oldest in age_max"))
    return problems


def _organisation_problems(values: Mapping[str, Any], known: Known) -> list[Problem]:
    served = split_list(str(values.get("areas_served") or ""))
    unknown = [c for c in served if c not in known.area_codes]
    if not unknown:
        return []
    return [_problem("areas_served", values.get("areas_served"),
                     f"{', '.join(map(repr, unknown))} is not a known community area or "
                     "district code", "use codes from the community_areas or districts layers "
                     "(e.g. E04…, E43…, E07…), separated by ;")]


def link_problems(layer: LayerSpec, values: Mapping[str, Any], known: Known) -> list[Problem]:
    """Every problem with ``values`` (only the fields given are checked)."""
    if layer.name == "activities":
        return _activity_problems(values, known)
    if layer.name == "organisations":
        return _organisation_problems(values, known)
    return []


def check_links(
    store: Store, catalog: LayerCatalog, layer: LayerSpec, values: Mapping[str, Any]
) -> None:
    """Raise ``ValidationFailed`` (422) naming each field at fault, for one write."""
    if layer.name not in LINKED_LAYERS:
        return
    problems = link_problems(layer, values, Known.for_rows(store, catalog, [values]))
    if problems:
        summary = "; ".join(f"{p['field']}: {p['problem']}" for p in problems)
        raise ValidationFailed(f"Invalid {layer.name} feature: {summary}", details=problems)


def check_not_referenced(
    store: Store, catalog: LayerCatalog, layer: LayerSpec, feature_id: str
) -> None:
    """Refuse (409) to delete an asset activities run at, or an organisation that runs them:
    the activities would point at nothing. Close the asset, or change the activities first."""
    field = {"assets": "asset_ids", "organisations": "organisation_id"}.get(layer.name)
    activities = catalog.get("activities")
    if field is None or activities is None or not store.has_layer(activities):
        return
    frame = store.read(activities, fields=[field])
    if field == "asset_ids":
        hits = [split_list(str(v or "")) for v in frame[field]]
        mask = [feature_id in venues for venues in hits]
    else:
        mask = (frame[field].astype(object) == feature_id).tolist()
    named = frame.loc[mask, activities.id_field].astype(str).tolist()
    if named:
        shown = ", ".join(named[:10]) + (f" and {len(named) - 10} more" if len(named) > 10 else "")
        raise Conflict(
            f"{layer.name} {feature_id!r} is named by {len(named)} activit"
            f"{'y' if len(named) == 1 else 'ies'} ({shown}); nothing was deleted. Change or "
            f"delete {'it' if len(named) == 1 else 'them'} first"
            + (", or close the asset instead." if layer.name == "assets" else "."),
            details=[{"field": field, "activity_ids": named}],
        )


def opening_times_warning(value: Any) -> str | None:
    """Why an asset's ``opening_times`` will not give "open now", or None when it parses."""
    if value is None or not str(value).strip():
        return None
    problem = schedule_problem(str(value))
    if problem is None:
        return None
    return f"{problem}; kept as written, but the finder cannot tell whether it is open now"

