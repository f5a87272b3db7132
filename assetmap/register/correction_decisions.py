"""An officer's decision on a waiting suggestion: accept (apply it, audited, in the same
transaction as the decision) or reject (nothing changes but the suggestion's status).

What accepting does depends on the kind: a resident's ``correction`` changes the asset
(audited as ``correction``, by the officer); a steward's ``steward_edit`` changes it as the
steward's own edit (audited under the steward's name, with the approving officer); a
resident's ``new_place`` creates the asset (audited as ``create``) and the suggestion
takes the new asset's id. The officer may amend the proposed values first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from assetmap.errors import (
    Conflict,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    ValidationFailed,
)
from assetmap.layers import LayerCatalog, LayerSpec
from assetmap.register.correction_values import MAX_NOTE, clean_changes, optional_text
from assetmap.register.editing import change_in_transaction, feature_etag, matches
from assetmap.register.new_places import create_new_place
from assetmap.register.suggestion_queue import (
    CORRECTIONS_TABLE,
    Correction,
    get_correction,
    timestamp,
)
from assetmap.register.users import User
from assetmap.store.base import Feature, Store, Transaction
from assetmap.store.validation import clean_properties

__all__ = ["decide"]


def _note(note: str | None) -> str | None:
    problems: list[dict[str, Any]] = []
    text = optional_text("note", note, MAX_NOTE, problems, allow_breaks=True)
    if problems:
        raise ValidationFailed(f"note: {problems[0]['problem']}", details=problems)
    return text


def _to_apply(
    layer: LayerSpec, correction: Correction, edits: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The suggested values with the officer's edits, checked as every write is.

    A correction's edits stay within the fields residents may suggest; a new place's or a
    steward's edit may set any field but the id.
    """
    changes = dict(correction.changes)
    if edits:
        if correction.kind == "correction":
            amended, problems = clean_changes(layer, edits, resident=False)
        else:
            amended = {k: v for k, v in edits.items() if k != layer.id_field}
            problems = [{"field": layer.id_field, "problem": "cannot be set here",
                         "fix": "leave the id out; the register makes one"}
                        ] if layer.id_field in edits else []
        if problems:
            summary = "; ".join(f"{p['field']}: {p['problem']}" for p in problems)
            raise ValidationFailed(f"The edits were not applied: {summary}", details=problems)
        changes.update(amended)
    return clean_properties(layer, changes, partial=True)


def _check_pending(correction: Correction) -> None:
    if correction.status != "pending":
        raise Conflict(
            f"Suggestion #{correction.id} was already {correction.status} by "
            f"{correction.decided_by} at {correction.decided_at}; nothing was changed."
        )


def _check_asset(correction: Correction, before: Feature | None, etag: str | None) -> None:
    """Refuse accepting a change whose asset is gone or changed since the officer saw it
    (read in the deciding transaction)."""
    if before is None:
        raise NotFound(
            f"{correction.layer} {correction.feature_id!r} no longer exists, so the "
            "suggestion cannot be applied; reject it instead."
        )
    if not matches(etag, before):
        raise PreconditionFailed(
            f"The asset {correction.feature_id} changed after you opened the suggestion; "
            "nothing was saved and the suggestion is still pending. Look at the current "
            "values again and decide.",
            details=[{"current_etag": feature_etag(before)}],
        )


def _actor(correction: Correction, officer: User) -> str:
    if correction.kind == "steward_edit":
        return f"{correction.author} (steward, approved by {officer.name}, #{correction.id})"
    if correction.kind == "new_place":
        return f"{officer.name} (new place suggested #{correction.id})"
    return f"{officer.name} (suggested #{correction.id})"


def _apply_change(
    transaction: Transaction, layer: LayerSpec, correction: Correction, changes: dict[str, Any],
    *, accept: bool, officer: User, etag: str | None, at: str, notes: Mapping[str, Any] | None,
) -> None:
    """Decide a correction or steward's edit: the asset is read (so locked) first."""
    # Reading the asset in the transaction locks it: two officers deciding at once queue here.
    before = transaction.get(layer, correction.feature_id)
    _check_pending(correction)
    if not accept:
        return
    _check_asset(correction, before, etag)
    if changes:
        change_in_transaction(
            transaction, layer, correction.feature_id, if_match=etag,
            actor=_actor(correction, officer), properties=changes,
            action="correction" if correction.kind == "correction" else None,
            at=at, notes=notes,
        )


# reads better long: one decision's steps in the order they happen, in one transaction
def decide(
    store: Store,
    catalog: LayerCatalog,
    correction_id: int,
    *,
    accept: bool,
    officer: User,
    note: str | None = None,
    etag: str | None = None,
    edits: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
    notes: Mapping[str, Any] | None = None,
) -> Correction:
    """Accept (apply, audited) or reject a pending suggestion; the decided suggestion back
    (with the resident's contact, for telling them).

    ``etag`` is the asset's ETag as the officer saw it beside a correction or steward's
    edit; accepting fails with 412 if the asset changed since, and the suggestion stays
    pending (a new place has no asset yet, so needs none). ``edits`` lets the officer amend
    proposed values first (the suggestion keeps what was sent; the audit log has what was
    applied). ``notes`` (e.g. a closure's impact) go into the audit entry of the change.
    Deciding a suggestion that was already decided fails with 409.
    """
    text = _note(note)
    correction = get_correction(store, correction_id)
    layer = catalog[correction.layer]
    new_place = correction.kind == "new_place"
    changes = _to_apply(layer, correction, edits) if accept else {}
    if accept and not new_place and not (etag or "").strip():
        raise PreconditionRequired(
            "Accepting needs the asset's etag as shown beside the suggestion, so that a change "
            "made meanwhile is never overwritten: list the suggestions again and send its etag."
        )
    decided_at = timestamp(now)
    decision: dict[str, str | None] = {
        "status": "accepted" if accept else "rejected",
        "decided_by": officer.name,
        "decided_at": decided_at,
        "decision_note": text,
    }
    with store.transaction() as transaction:
        transaction.lock(f"suggestion:{correction_id}")  # one decision at a time
        correction = get_correction(store, correction_id)
        if new_place:
            _check_pending(correction)
            if accept:
                # In this transaction, so the asset, its audit rows and the decision are
                # committed together or not at all.
                created = create_new_place(
                    transaction, store, catalog, layer, changes, correction.point,
                    actor=_actor(correction, officer), at=decided_at,
                )
                decision["feature_id"] = created.id
        else:
            _apply_change(transaction, layer, correction, changes, accept=accept,
                          officer=officer, etag=etag, at=decided_at, notes=notes)
        transaction.update_record(CORRECTIONS_TABLE, correction_id, decision)
    return get_correction(store, correction_id)
