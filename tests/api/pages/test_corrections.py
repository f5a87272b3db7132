"""Suggested corrections as pages: the residents' form and the officers' queue, with the
limits and escaping a public write needs."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.correcting import asset, officer, pending, stored, suggest
from tests.api.signing_in import sign_in_by_cookie

SAME_SITE = {"Origin": "http://testserver"}
SCRIPT = "<script>alert('x')</script> & more"


def test_html_in_a_message_is_kept_verbatim_and_escaped_on_the_officer_page(
    api: TestClient, token: str, tiny_gpkg: Path
) -> None:
    assert suggest(api, message=SCRIPT, contact="<b>me</b>").status_code == 201
    assert stored(tiny_gpkg)[0]["message"] == SCRIPT
    assert pending(api, token)[0]["message"] == SCRIPT
    page = api.get("/corrections", headers=officer(token))
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "<script>alert" not in page.text and "<b>me</b>" not in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more" in page.text


def form_problems(html: str) -> list[tuple[str, str]]:
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    return [(target, unescape(text))
            for target, text in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)]


def test_the_form_is_prefilled_for_any_asset_residents_can_see(api: TestClient) -> None:
    page = api.get("/hubs/A1/correction")
    assert page.status_code == 200
    assert 'name="phone" value=""' in page.text
    assert 'id="postcode" name="postcode" value="LZ1 1AA"' in page.text
    assert 'id="accessibility-step_free" name="accessibility" value="step_free" checked' in (
        page.text)
    assert 'href="mailto:hub-corrections@council.example?subject=Correction' in page.text
    cafe = api.get("/hubs/A4/correction")  # a café is on the map, though not a hub
    assert cafe.status_code == 200 and "Cotes Café" in cafe.text
    assert api.get("/hubs/A5/correction").status_code == 404  # closed
    assert api.get("/hubs/nope/correction").status_code == 404


def test_the_form_sends_a_suggestion_and_thanks_the_resident(
    api: TestClient, tiny_gpkg: Path
) -> None:
    form = {"name": "Ashby Village Hall", "phone": "0116 496 0123", "postcode": "LZ1 1AA",
            "accessibility_shown": "1", "accessibility": ["step_free", "hearing_loop",
                                                          "accessible_toilet"],
            "message": "Lift installed", "contact": ""}
    sent = api.post("/hubs/A1/correction", data=form)
    assert sent.status_code == 303
    assert sent.headers["location"] == "/hubs/A1/correction/sent?ref=1"
    thanks = api.get(sent.headers["location"])
    assert thanks.status_code == 200
    assert "Thank you" in thanks.text and "reference number is 1" in thanks.text
    [row] = stored(tiny_gpkg)
    assert row["status"] == "pending" and row["message"] == "Lift installed"
    assert row["changes"] == (
        '{"accessibility": "step_free;hearing_loop;accessible_toilet", "phone": "0116 496 0123"}')


def test_form_errors_are_summarised_and_linked_to_their_fields(
    api: TestClient, tiny_gpkg: Path
) -> None:
    response = api.post("/hubs/A1/correction", data={
        "name": "", "postcode": "nowhere", "phone": "0116 496 0123",
        "accessibility_shown": "1", "accessibility": ["step_free", "hearing_loop"],
        "message": "x" * 2_001})
    assert response.status_code == 422
    assert "<title>Error: " in response.text
    assert form_problems(response.text) == [
        ("name", "Name cannot be empty."),
        ("postcode", "Enter a full postcode, like LE1 1AA."),
        ("message", "Your message is too long. Use 2,000 characters or fewer."),
    ]
    assert re.search(r'id="postcode" name="postcode" value="nowhere"[^>]*'
                     r'aria-describedby="postcode-problem" aria-invalid="true"', response.text)
    assert 'aria-describedby="message-hint message-problem" aria-invalid="true"' in response.text
    assert 'value="0116 496 0123"' in response.text  # what they typed is kept
    assert stored(tiny_gpkg) == []


def test_an_empty_form_asks_for_a_change_or_a_message(api: TestClient) -> None:
    page = api.get("/hubs/A1/correction?lang=en-easy")
    assert "Is something wrong here?" in page.text
    response = api.post("/hubs/A1/correction?lang=en-easy",
                        data={"name": "Ashby Village Hall", "accessibility_shown": "1",
                              "accessibility": ["step_free", "hearing_loop"]})
    assert response.status_code == 422
    assert form_problems(response.text) == [("message", "Change something. Or write a message.")]


def test_the_form_says_when_to_try_again_and_keeps_the_text(api: TestClient) -> None:
    for n in range(3):
        assert api.post("/hubs/A1/correction", data={"message": f"note {n}"}).status_code == 303
    refused = api.post("/hubs/A1/correction", data={"message": "Fourth <note>"})
    assert refused.status_code == 429
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3600
    assert "try again in 60 minutes" in refused.text
    assert "Fourth &lt;note&gt;</textarea>" in refused.text
    assert "mailto:" in refused.text


def test_an_oversized_form_gets_a_page_not_a_crash(api: TestClient, tiny_gpkg: Path) -> None:
    refused = api.post("/hubs/A1/correction", data={"message": "é" * 30_000})
    assert refused.status_code == 413
    assert "too long to send" in refused.text
    assert stored(tiny_gpkg) == []


def etag_in(html: str, correction_id: int) -> str:
    section = html.split(f'id="correction-{correction_id}"', 1)[1]
    found = re.search(r'name="etag" value="([^"]*)"', section)
    assert found
    return unescape(found.group(1))


def test_the_queue_page_needs_an_officer(api: TestClient) -> None:
    response = api.get("/corrections")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin?next=")


def test_officers_accept_and_reject_from_the_queue_page(
    api: TestClient, token: str, tiny_gpkg: Path
) -> None:
    suggest(api, changes={"phone": "0116 496 0123"}, message="New line")
    suggest(api, feature_id="A2", changes={"name": "Beeby Hall"})
    sign_in_by_cookie(api, token)
    page = api.get("/corrections")
    assert "Waiting for a decision (2)" in page.text
    first = page.text.split('id="correction-1"', 1)[1].split("</section>", 1)[0]
    assert re.search(r"<th scope=\"row\">Phone</th>\s*<td class=\"of-value\">\(empty\)</td>\s*"
                     r"<td class=\"of-value\">0116 496 0123</td>", first)
    accepted = api.post("/corrections/1/accept", headers=SAME_SITE,
                        data={"etag": etag_in(page.text, 1), "note": "Rang them"})
    assert accepted.status_code == 303
    assert accepted.headers["location"] == "/corrections?done=accepted"
    rejected = api.post("/corrections/2/reject", headers=SAME_SITE, data={"note": "No"})
    assert rejected.headers["location"] == "/corrections?done=rejected"
    after = api.get("/corrections?done=rejected")
    assert "Correction rejected." in after.text and "Waiting for a decision (0)" in after.text
    assert "Rang them" in after.text
    assert asset(api)["phone"] == "0116 496 0123"
    assert asset(api, "A2")["name"] == "Beeby Church Hall"


def test_the_queue_page_explains_a_change_made_meanwhile(api: TestClient, token: str) -> None:
    suggest(api, changes={"phone": "0116 496 0123"})
    sign_in_by_cookie(api, token)
    seen = etag_in(api.get("/corrections").text, 1)
    api.patch("/api/layers/assets/items/A1", json={"properties": {"name": "Ashby Hall"}},
              headers={"If-Match": seen, **SAME_SITE})
    late = api.post("/corrections/1/accept", data={"etag": seen}, headers=SAME_SITE)
    assert late.status_code == 412
    assert "changed after you opened" in late.text
    assert "Waiting for a decision (1)" in late.text and "Ashby Hall" in late.text
    assert etag_in(late.text, 1) != seen
    assert asset(api)["phone"] is None
