"""A resident tells us about a place: ``/hubs/{id}/correction``, GOV.UK question pages.

1. ``GET …/correction``: "What do you want to tell us?" (it has closed, details are wrong,
   something else), a GET form, so the answer is in the URL (``?what=``);
2. for wrong details, "Which details are wrong?" (``?what=details&fix=…``);
3. only the fields that answer needs, prefilled with the asset's current values, posted
   with ``step=check``;
4. "Check your answers" (each row's Change button posts the answers back to step 3), posted
   with ``step=send`` through ``submit_correction``, which checks everything again;
5. the thank-you page (post/redirect/get).

Answers after step 2 travel in hidden fields, so it works without JavaScript or a session.
Every error page is 422 with the GOV.UK error summary, which takes the focus. A post with
no ``step`` is a submission (the form as it was before the question pages).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assetmap.api.auth import client_key_for
from assetmap.api.correction_form import (
    DETAIL_GROUPS,
    FORM_BODY_LIMIT,
    GROUP_WORDS,
    WHAT,
    WHAT_WORDS,
    Submission,
    accessibility_view,
    chosen_groups,
    field_views,
    problem_views,
    read_submission,
)
from assetmap.api.correction_review import answer_rows
from assetmap.api.deps import CatalogDep, FinderDep, SettingsDep, StoreDep
from assetmap.api.public_view import (
    HubNotFound,
    common_context,
    keep_language,
    page_messages,
    translated,
)
from assetmap.api.request_body import read_form
from assetmap.config import Settings
from assetmap.errors import NotFound, PayloadTooLarge, TooManyRequests, ValidationFailed
from assetmap.finder import FinderData
from assetmap.layers import LayerCatalog
from assetmap.maps.page import render_fragment
from assetmap.messages import Messages
from assetmap.register.corrections import check_correction, resident_asset, submit_correction
from assetmap.store.base import Feature, Store

__all__ = ["router"]

router = APIRouter(tags=["corrections"], include_in_schema=False)

ASSET_LAYER = "assets"
Form = dict[str, list[str]]


@dataclass(frozen=True)
class _Target:
    """The asset a resident is telling us about, and what its pages need."""

    t: Messages
    data: FinderData
    common: dict[str, Any]
    feature: Feature

    @property
    def name(self) -> str:
        return str(self.feature.properties.get("name") or self.feature.id)

    @property
    def query(self) -> str:
        return f"?{self.common['lang_query']}" if self.common["lang_query"] else ""

    @property
    def example(self) -> str | None:
        """A postcode the store knows, for the examples in error messages."""
        return self.data.example.postcode

    @property
    def path(self) -> str:
        return f"/hubs/{quote(self.feature.id, safe='')}/correction"

    def url(self, **params: Any) -> str:
        """This form's URL with ``params`` (and the reader's language)."""
        query = urlencode({**params, **keep_language(self.t)}, doseq=True)
        return f"{self.path}?{query}" if query else self.path


def correction_target(
    hub_id: str, request: Request, finder: FinderDep, settings: SettingsDep, store: StoreDep,
    catalog: CatalogDep, lang: str | None = None,
) -> _Target:
    """Any asset residents can see (hubs, cafés…); else the friendly "not found" page."""
    t = page_messages(request, lang)
    data = finder.data()
    common = common_context(request, t, data, settings)
    try:
        feature = resident_asset(store, catalog[ASSET_LAYER], hub_id)
    except NotFound:
        raise HubNotFound(common) from None
    return _Target(t, data, common, feature)


TargetDep = Annotated[_Target, Depends(correction_target)]


def _render(template: str, target: _Target, settings: Settings, status: int = 200,
            **context: Any) -> HTMLResponse:
    t = target.t
    subject = t("correction.subject", name=target.name, id=target.feature.id)
    hub_page = f"/hubs/{quote(target.feature.id, safe='')}{target.query}"
    html = render_fragment(
        template,
        **target.common,
        asset_name=target.name,
        hub_url=hub_page if target.data.hubs.get(target.feature.id) is not None else "",
        find_url="/find" + target.query,
        action=target.path + target.query,
        email=settings.corrections_email,
        mailto=f"mailto:{settings.corrections_email}?"
        + urlencode({"subject": subject}, quote_via=quote),
        # The form says how long a contact is kept (register/contact_retention.py deletes it).
        retention=t("new_place.retention", days=f"{settings.contact_retention_days:,}"),
        **context,
    )
    return HTMLResponse(html, status_code=status)


def _error(t: Messages, key: str, target: str) -> list[dict[str, str]]:
    return [{"field": target, "target": target, "text": t(key)}]


def _first_question(target: _Target, settings: Settings, what: str | None, asked: bool
                    ) -> HTMLResponse:
    t = target.t
    problems = _error(t, "correction.problem.what", "what-closed") if asked else []
    return _render("hub_correction.html", target, settings, status=422 if problems else 200,
                   problems=problems, what=what or "",
                   choices=[(code, t(WHAT_WORDS[code][0]), t(WHAT_WORDS[code][1]))
                            for code in WHAT])


def _which_details(target: _Target, settings: Settings, fix: Sequence[str], asked: bool
                   ) -> HTMLResponse:
    problems = _error(target.t, "correction.problem.fix", "fix-name") if asked else []
    return _render("hub_correction_details.html", target, settings,
                   status=422 if problems else 200, problems=problems,
                   chosen=chosen_groups(fix), back_url=target.url(),
                   groups=[(code, target.t(key)) for code, key in GROUP_WORDS.items()])


def _fields_page(
    target: _Target, settings: Settings, what: str, groups: Sequence[str], *,
    submission: Submission | None = None, problems: list[dict[str, str]] | None = None,
    general_error: str = "", status: int = 200,
) -> HTMLResponse:
    """Step 3: only the fields the answers so far need."""
    t, feature = target.t, target.feature
    problems = problems or []
    details = what == "details"
    back = (target.url(what="details", fix=list(groups), show="fix") if details
            else target.url(what=what, show="what"))
    return _render(
        "hub_correction_fields.html", target, settings, status=status,
        what=what, groups=list(groups), back_url=back,
        heading=t(WHAT_WORDS[what][2], name=target.name),
        fields=field_views(t, feature, submission, problems, groups) if details else [],
        accessibility=(accessibility_view(t, feature, submission, problems)
                       if details and ("accessibility" in groups
                                       or any(p["field"] == "accessibility" for p in problems))
                       else None),
        message=submission.message if submission is not None else "",
        contact=submission.contact if submission is not None else "",
        problems=problems,
        field_problems={p["field"]: p["text"] for p in problems},
        general_error=general_error,
    )


@router.get("/hubs/{hub_id}/correction", response_class=HTMLResponse)
def hub_correction(
    target: TargetDep, settings: SettingsDep, what: str | None = None,
    fix: Annotated[list[str] | None, Query()] = None, asked: str = "", show: str = "",
) -> HTMLResponse:
    """``asked`` names the question just answered (so no answer is an error, not a first
    visit); ``show=what`` or ``show=fix`` goes back to that question with its answer."""
    if what not in WHAT or show == "what":
        known = what if what in WHAT else None
        return _first_question(target, settings, known, asked == "what" and known is None)
    groups = chosen_groups(fix or [])
    if what == "details" and (not groups or show == "fix"):
        return _which_details(target, settings, groups, asked == "fix")
    return _fields_page(target, settings, what, groups)


def _hidden(form: Form) -> list[tuple[str, str]]:
    """The answers, to carry on to the next page (never the step buttons)."""
    return [(name, value) for name, values in form.items() if name not in ("step", "change")
            for value in values]


def _first(form: Form, name: str) -> str:
    return (form.get(name) or [""])[0]


def _what(form: Form, submission: Submission) -> str:
    """The first question's answer as posted; a form without one (or a made-up one) is the
    whole form of details, or a closure."""
    what = _first(form, "what")
    if what in WHAT:
        return what
    return "closed" if submission.closed else "details"


def _problems(target: _Target, exc: ValidationFailed) -> list[dict[str, str]]:
    return problem_views(target.t, exc.details, target.feature, target.example)


def _check_page(target: _Target, settings: Settings, store: Store, catalog: LayerCatalog,
                form: Form, submission: Submission) -> HTMLResponse:
    what, groups = _what(form, submission), chosen_groups(form.get("fix", []))
    if what == "other" and not submission.message.strip():
        return _fields_page(target, settings, what, groups, submission=submission, status=422,
                            problems=_error(target.t, "correction.problem.message", "message"))
    try:
        proposed = check_correction(store, catalog[ASSET_LAYER], target.feature.id,
                                    submission.changes, submission.message, submission.contact)
    except ValidationFailed as exc:
        return _fields_page(target, settings, what, groups, submission=submission,
                            problems=_problems(target, exc), status=422)
    return _render("hub_correction_check.html", target, settings, what=what,
                   what_label=target.t(WHAT_WORDS[what][0]),
                   rows=answer_rows(target.t, target.feature, proposed, submission),
                   hidden=_hidden(form))


def _send(request: Request, target: _Target, settings: Settings, store: Store,
          catalog: LayerCatalog, form: Form, submission: Submission) -> Response:
    t, feature = target.t, target.feature
    what = _what(form, submission)
    groups = chosen_groups(form.get("fix", [])) or _groups_of(submission)
    try:
        correction = submit_correction(
            store, catalog[ASSET_LAYER], feature.id, submission.changes, submission.message,
            submission.contact, client_key_for(request, store),
            per_hour=settings.corrections_per_hour,
        )
    except ValidationFailed as exc:
        return _fields_page(target, settings, what, groups, submission=submission,
                            problems=_problems(target, exc), status=422)
    except TooManyRequests as exc:
        response = _fields_page(target, settings, what, groups, submission=submission,
                                general_error=translated(t, exc), status=429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except NotFound:  # closed or removed while the resident was typing
        raise HubNotFound(target.common) from None
    # Post/redirect/get: reloading the thank-you page does not send the suggestion again.
    query = urlencode({"ref": correction.id, **keep_language(t)})
    return RedirectResponse(f"{target.path}/sent?{query}", 303)


def _groups_of(submission: Submission) -> list[str]:
    """The detail groups a submission without ``fix`` answers holds fields of (the old form)."""
    sent = set(submission.values)
    groups = [g for g, names in DETAIL_GROUPS.items() if sent & set(names)]
    return groups + (["accessibility"] if submission.accessibility_shown else [])


def _receive(request: Request, target: _Target, settings: Settings, store: Store,
             catalog: LayerCatalog, form: Form | None) -> Response:
    if form is None:
        return _fields_page(target, settings, "other", [],
                            general_error=target.t("correction.too_large"), status=413)
    submission = read_submission(form, target.feature)
    step = _first(form, "step")
    if step == "change":
        return _fields_page(target, settings, _what(form, submission),
                            chosen_groups(form.get("fix", [])), submission=submission)
    if step == "check":
        return _check_page(target, settings, store, catalog, form, submission)
    return _send(request, target, settings, store, catalog, form, submission)


@router.post("/hubs/{hub_id}/correction", response_class=HTMLResponse)
async def send_hub_correction(
    request: Request, target: TargetDep, settings: SettingsDep, store: StoreDep,
    catalog: CatalogDep,
) -> Response:
    try:
        form: Form | None = await read_form(request, FORM_BODY_LIMIT)
    except PayloadTooLarge:
        form = None
    return await run_in_threadpool(_receive, request, target, settings, store, catalog, form)


@router.get("/hubs/{hub_id}/correction/sent", response_class=HTMLResponse)
def hub_correction_sent(target: TargetDep, settings: SettingsDep, ref: str = "") -> HTMLResponse:
    return _render("hub_correction_sent.html", target, settings,
                   reference=ref if ref.isdigit() and len(ref) < 12 else "")
