"""The residents' correction form as GOV.UK question pages: what do you want to tell us, which
details, only those fields, check your answers, sent; errors summarised and linked (422)."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.correcting import stored

FORM = "/hubs/A1/correction"


def form_problems(html: str) -> list[tuple[str, str]]:
    summary = html.split('id="error-summary"', 1)[1].split("</ul>", 1)[0]
    return [(target, unescape(text))
            for target, text in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)]


def text_inputs(html: str) -> list[str]:
    form = html.split("<form", 1)[1].split("</form>", 1)[0]
    return re.findall(r'<input type="text" id="([^"]+)"', form)


def hidden(html: str) -> list[tuple[str, str]]:
    return [(n, unescape(v)) for n, v in
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)]


def test_the_first_page_asks_one_question_and_no_fields(api: TestClient) -> None:
    page = api.get(FORM)
    assert page.status_code == 200
    assert "<h1>What do you want to tell us about Ashby Village Hall?</h1>" in page.text
    assert re.findall(r'type="radio" id="what-(\w+)" name="what"', page.text) == [
        "closed", "details", "other"]
    assert text_inputs(page.text) == [] and "<textarea" not in page.text
    assert 'href="mailto:hub-corrections@council.example?subject=Correction' in page.text
    assert api.get("/hubs/A4/correction").status_code == 200  # a café: on the map, not a hub
    assert api.get("/hubs/A5/correction").status_code == 404  # closed
    assert api.get("/hubs/nope/correction").status_code == 404


def test_no_answer_to_the_first_question_is_an_error_above_the_form(api: TestClient) -> None:
    page = api.get(FORM, params={"asked": "what"})
    assert page.status_code == 422
    assert "<title>Error: What do you want to tell us" in page.text
    assert page.text.index('id="error-summary"') < page.text.index("<form")
    assert form_problems(page.text) == [("what-closed", "Select what you want to tell us")]
    assert 'id="what-error"' in page.text


def test_reporting_a_closure_asks_only_for_a_message_and_contact(
    api: TestClient, tiny_gpkg: Path
) -> None:
    page = api.get(FORM, params={"what": "closed"})
    assert page.status_code == 200
    assert "<h1>Tell us about Ashby Village Hall closing</h1>" in page.text
    assert text_inputs(page.text) == ["contact"]  # no name, address, phone… to scroll past
    assert ("closed", "yes") in hidden(page.text)
    assert '<a href="/privacy">How we use your contact details (privacy notice)</a>' in page.text
    # How long the contact is kept, as ASSETMAP_CONTACT_RETENTION_DAYS (90) has it.
    assert "We delete your email or phone number 90 days after we decide" in page.text
    check = api.post(FORM, data={"what": "closed", "closed": "yes", "message": "Shut in May",
                                 "contact": "", "step": "check"})
    assert check.status_code == 200
    assert "<h1>Check your answers before sending</h1>" in check.text
    assert "It has closed" in check.text and "Shut in May" in check.text
    assert stored(tiny_gpkg) == []  # nothing is sent before the resident says so
    sent = api.post(FORM, data={**dict(hidden(check.text)), "step": "send"})
    assert sent.status_code == 303 and sent.headers["location"] == f"{FORM}/sent?ref=1"
    [row] = stored(tiny_gpkg)
    assert json.loads(row["changes"]) == {"status": "closed"} and row["message"] == "Shut in May"


def test_wrong_details_shows_only_the_fields_chosen_prefilled(api: TestClient) -> None:
    which = api.get(FORM, params={"what": "details"})
    assert "<h1>Which details of Ashby Village Hall are wrong?</h1>" in which.text
    none = api.get(FORM, params={"what": "details", "asked": "fix"})
    assert none.status_code == 422
    assert form_problems(none.text) == [("fix-name", "Select which details are wrong")]
    page = api.get(FORM, params={"what": "details", "fix": ["contact_details", "address",
                                                           "accessibility"]})
    assert page.status_code == 200
    assert text_inputs(page.text) == ["address", "postcode", "phone", "email", "website",
                                      "contact"]
    assert 'id="postcode" name="postcode" value="LZ1 1AA"' in page.text
    assert 'name="phone" value=""' in page.text
    assert 'id="accessibility-step_free" name="accessibility" value="step_free" checked' in (
        page.text)
    back = re.search(r'<a class="cr-back" href="([^"]+)"', page.text)[1]  # type: ignore[index]
    again = api.get(unescape(back))
    assert 'id="fix-address" name="fix" value="address" checked' in again.text


def test_check_answers_shows_the_change_and_change_keeps_what_was_typed(
    api: TestClient, tiny_gpkg: Path
) -> None:
    answers = {"what": "details", "fix": ["opening_times"], "opening_times": "Mon 9-12",
               "message": "", "contact": "me@example.org"}
    check = api.post(FORM, data={**answers, "step": "check"})
    assert check.status_code == 200
    rows = re.findall(r"<dt>([^<]+)</dt>\s*<dd><span class=\"cr-answer\">([^<]*)</span>",
                      check.text)
    assert ("Opening times", "Mon 9-12") in rows and ("Your email or phone number",
                                                      "me@example.org") in rows
    assert "We have: Mon-Fri 9-5" in check.text
    change = api.post(FORM, data={**dict(hidden(check.text)), "fix": "opening_times",
                                  "step": "change"})
    assert change.status_code == 200
    assert 'id="opening_times" name="opening_times" value="Mon 9-12"' in change.text
    assert 'value="me@example.org"' in change.text
    assert stored(tiny_gpkg) == []


def test_field_errors_come_back_at_check_with_the_fields_and_their_messages(
    api: TestClient, tiny_gpkg: Path
) -> None:
    response = api.post(FORM, data={
        "what": "details", "fix": ["name", "address"], "name": "", "address": "1 Main St",
        "postcode": "nowhere", "message": "x" * 2_001, "step": "check"})
    assert response.status_code == 422
    assert "<title>Error: " in response.text
    assert form_problems(response.text) == [
        ("name", "Name cannot be empty."),
        ("postcode", "Enter a full postcode, like LZ2 1AA."),  # one the store knows
        ("message", "Your message is too long. Use 2,000 characters or fewer."),
    ]
    assert re.search(r'id="postcode" name="postcode" value="nowhere"[^>]*'
                     r'aria-describedby="postcode-error" aria-invalid="true"', response.text)
    assert 'aria-describedby="message-hint message-error" aria-invalid="true"' in response.text
    assert response.text.index('id="error-summary"') < response.text.index("<form")
    assert stored(tiny_gpkg) == []


def test_something_else_needs_a_message(api: TestClient) -> None:
    page = api.get(FORM, params={"what": "other"})
    assert text_inputs(page.text) == ["contact"] and "<textarea" in page.text
    empty = api.post(FORM, data={"what": "other", "message": " ", "step": "check"})
    assert empty.status_code == 422
    assert form_problems(empty.text) == [("message", "Enter what you want to tell us")]


def test_a_whole_form_posted_at_once_is_still_sent_and_checked(
    api: TestClient, tiny_gpkg: Path
) -> None:
    form = {"name": "Ashby Village Hall", "phone": "0116 496 0123", "postcode": "LZ1 1AA",
            "accessibility_shown": "1", "accessibility": ["step_free", "hearing_loop",
                                                          "accessible_toilet"],
            "message": "Lift installed", "contact": ""}
    sent = api.post(FORM, data=form)
    assert sent.status_code == 303
    assert sent.headers["location"] == f"{FORM}/sent?ref=1"
    thanks = api.get(sent.headers["location"])
    assert thanks.status_code == 200
    assert "Thank you" in thanks.text and "reference number is 1" in thanks.text
    [row] = stored(tiny_gpkg)
    assert row["status"] == "pending" and row["message"] == "Lift installed"
    assert row["changes"] == (
        '{"accessibility": "step_free;hearing_loop;accessible_toilet", "phone": "0116 496 0123"}')
    nothing = api.post(f"{FORM}?lang=en-easy",
                       data={"name": "Ashby Village Hall", "accessibility_shown": "1",
                             "accessibility": ["step_free", "hearing_loop"]})
    assert nothing.status_code == 422
    assert form_problems(nothing.text) == [("message", "Change something. Or write a message.")]


def test_the_form_says_when_to_try_again_and_keeps_the_text(api: TestClient) -> None:
    for n in range(3):
        assert api.post(FORM, data={"message": f"note {n}"}).status_code == 303
    refused = api.post(FORM, data={"what": "other", "message": "Fourth <note>", "step": "send"})
    assert refused.status_code == 429
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3600
    assert "try again in 60 minutes" in refused.text
    assert "Fourth &lt;note&gt;</textarea>" in refused.text
    assert "mailto:" in refused.text


def test_an_oversized_form_gets_a_page_not_a_crash(api: TestClient, tiny_gpkg: Path) -> None:
    refused = api.post(FORM, data={"message": "é" * 30_000})
    assert refused.status_code == 413
    assert "too long to send" in refused.text
    assert stored(tiny_gpkg) == []


def test_made_up_answers_are_not_a_crash(api: TestClient, tiny_gpkg: Path) -> None:
    for step in ("check", "change", "send"):
        page = api.post(FORM, data={"what": "<b>x</b>", "fix": "nope", "step": step,
                                    "message": ""})
        assert page.status_code in (200, 422), step
        assert "<b>x</b>" not in page.text
    assert api.get(FORM, params={"what": "nope", "fix": "nope"}).status_code == 200
    assert stored(tiny_gpkg) == []
