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
