"""The impact of closing an asset, shown on the officers' confirmation step and kept in the audit.

When an officer marks an asset closed or at risk (``pages/assets.py``) or accepts a
resident's "this place has closed" (``pages/corrections.py``), the change is not
saved at once: a confirmation page says how many residents would lose their only
hub within reach, and how many of them live in deprived or unparished areas.
Confirming saves the change with that impact as a note on its audit entry
(:data:`~assetmap.register.audit.IMPACT_NOTE`). Counted on the county's coverage
index with the default thresholds, so it takes milliseconds once the index is built.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from assetmap.analysis import ClosureImpact, ReportService, closure_impact
from assetmap.api.officer_view import page_context, render_page
from assetmap.register.audit import IMPACT_NOTE
from assetmap.register.users import User
from assetmap.store import Store

__all__ = ["CONFIRMED", "IMPACT_STATUSES", "closure_impact_for", "confirmation_page",
           "impact_note"]

CONFIRMED = "yes"  # the value of the confirmation form's ``confirm`` field
# Statuses whose setting needs the confirmation step, and what the impact answers.
IMPACT_STATUSES = {
    "closed": "Closing it",
    "at_risk": "If it closed",
}


def closure_impact_for(reports: ReportService, asset_id: str) -> ClosureImpact:
    """County-wide: residents who would lose their only hub within reach if it closed."""
    return closure_impact(reports.coverage(), asset_id)


def impact_note(impact: ClosureImpact, status: str) -> dict[str, Any]:
    """The audit note of a change made after its impact was shown."""
    shown = impact.as_dict()
    shown.pop("profile")
    return {IMPACT_NOTE: {"status": status, **shown}}


def confirmation_page(
    request: Request,
    store: Store,
    user: User,
    *,
    title: str,
    lead: str,
    impact: ClosureImpact,
    status: str,
    action: str,
    hidden: Iterable[tuple[str, str]],
    button: str,
    back: str,
) -> HTMLResponse:
    """The page asking the officer to confirm, with the impact, before anything is saved."""
    profile = impact.lose_only_hub
    rows = [
        ("Residents who would lose their only hub within reach", f"{impact.residents:,}"),
        (f"Of them in {impact.deprived_label}", f"{round(profile.deprived):,}"),
        ("Of them in unparished areas", f"{round(profile.unparished):,}"),
        ("Of them aged 65+ (estimated)",
         "not known" if profile.aged_65_plus is None else f"{round(profile.aged_65_plus):,}"),
        ("Districts where they live", ", ".join(impact.districts) or "none"),
    ]
    context = page_context(
        request, store, user, title,
        lead=lead, impact=impact, rows=rows if impact.is_hub else [],
        when=IMPACT_STATUSES.get(status, "If it closed"), action=action, hidden=list(hidden),
        confirm=CONFIRMED, button=button, back=back,
    )
    return render_page("impact_confirm.html", context)
