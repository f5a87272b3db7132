"""The resident's "Tell us about a place we don't have" pages: the form, its errors in the
GOV.UK pattern (422, "Error:" in the title, a linked summary and the message at the field),
"Is it one of these?" before a likely duplicate is sent, and the thank-you page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import Settings
from tests.api.correcting import suggestions_in

PAGE = "/find/new-place"
HUT = {"name": "Beeby Scout Hut", "category": "community_centre", "postcode": "LZ2 1AA"}


@pytest.fixture
def site(store_location: str) -> Iterator[TestClient]:
    settings = Settings(store=store_location, corrections_per_hour=3,
                        contact_retention_days=30)
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client


stored = suggestions_in


def summary(html: str) -> list[tuple[str, str]]:
    box = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    return [(target, unescape(text))
            for target, text in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', box)]


def test_the_form_offers_the_kinds_of_place_by_label_and_says_how_long_contacts_are_kept(
    site: TestClient,
) -> None:
    page = site.get(PAGE, params={"name": "Scout hut"})
    assert page.status_code == 200
    assert 'name="name" value="Scout hut"' in page.text
    assert re.search(r'<input type="radio" id="category-village_hall" name="category" '
                     r'value="village_hall">\s*<label for="category-village_hall">Village hall',
                     page.text)
    assert "Community-managed library" in page.text and "community_library<" not in page.text
    assert "For example LZ1 1AA." in page.text  # a postcode this service knows
    assert "We delete your email or phone number 30 days after we decide" in page.text
    assert 'id="longitude" name="longitude"' in page.text  # filled by a click on the map


def test_every_problem_is_summarised_linked_and_shown_at_its_field(
    site: TestClient, store_location: str
) -> None:
    page = site.post(PAGE, data={"name": "", "postcode": "LZ1", "contact": "me@"})
    assert page.status_code == 422
    assert re.search(r"<title>Error: Tell us about a place we don&#39;t have", page.text)
    assert page.text.index('id="error-summary"') < page.text.index("<form")
    assert summary(page.text) == [
        ("name", "Enter the name of the place."),
        ("category-community_hub", "Choose what kind of place it is."),
        ("postcode", "Enter the full postcode, with both parts, like LE12 7RX."),
        ("contact", "Enter an email address like name@example.org or a phone number like "
                    "0116 496 0123, or leave it empty."),
    ]
    assert re.search(r'id="postcode-error">.*Error:</span> Enter the full postcode', page.text)
    assert 'aria-describedby="postcode-hint postcode-error"' in page.text
    assert 'value="LZ1" class="np-postcode"' in page.text  # what was typed is kept
    assert re.search(r'id="postcode"[^>]*aria-invalid="true"', page.text)
    assert stored(store_location) == []


@pytest.mark.parametrize(("sent", "says"), [
    ({"postcode": "LE1 1AA"}, "We could not find the postcode LE1 1AA in the area"),
    ({"postcode": "", "longitude": "-3.0", "latitude": "53.0"}, "outside the area"),
    ({"postcode": ""}, "Enter the postcode of the place, or select it on the map."),
])
def test_a_place_outside_the_county_or_unknown_is_explained(
    site: TestClient, sent: dict[str, str], says: str
) -> None:
    page = site.post(PAGE, data={**HUT, **sent})
    assert page.status_code == 422
    assert [target for target, _ in summary(page.text)] == ["postcode"]
    assert says in summary(page.text)[0][1]


def test_a_new_place_is_sent_and_thanked_once(site: TestClient, store_location: str) -> None:
    sent = site.post(PAGE, data={**HUT, "contact": "cubs@example.org", "message": "Cubs"})
    assert sent.status_code == 303
    assert sent.headers["location"] == f"{PAGE}/sent?ref=1"
    thanks = site.get(sent.headers["location"])
    assert "Thank you for telling us" in thanks.text
    assert "Your reference number is 1." in thanks.text
    (row,) = stored(store_location)
    assert (row["kind"], row["contact"], row["message"]) == ("new_place", "cubs@example.org",
                                                           "Cubs")


def test_a_likely_duplicate_is_pointed_out_before_sending(
    site: TestClient, store_location: str
) -> None:
    asked = site.post(PAGE, data={**HUT, "name": "Ashby Hall", "postcode": "LZ1 1AA"})
    assert asked.status_code == 200
    assert "<h1>Is it one of these?</h1>" in asked.text
    assert '<a href="/hubs/A1/correction">It is Ashby Village Hall: suggest a correction</a>' \
        in asked.text
    assert stored(store_location) == []
    carried = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                              asked.text))
    assert carried == {"name": "Ashby Hall", "category": "community_centre",
                       "postcode": "LZ1 1AA"}
    back = site.post(PAGE, data={**carried, "different": "back"})
    assert back.status_code == 200 and 'name="name" value="Ashby Hall"' in back.text
    assert stored(store_location) == []
    sent = site.post(PAGE, data={**carried, "different": "yes"})
    assert sent.status_code == 303 and len(stored(store_location)) == 1


def test_too_many_suggestions_are_refused_with_the_text_kept(site: TestClient) -> None:
    for _ in range(3):
        assert site.post(PAGE, data=HUT).status_code == 303
    refused = site.post(PAGE, data={**HUT, "message": "Fourth"})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 3_000
    assert "Please try again in" in refused.text and ">Fourth</textarea>" in refused.text


def test_an_oversized_form_gets_a_page(site: TestClient) -> None:
    page = site.post(PAGE, data={**HUT, "message": "m" * 70_000})
    assert page.status_code == 413 and "too long to send" in page.text


def test_the_finder_links_to_the_form(site: TestClient) -> None:
    assert f'href="{PAGE}"' in site.get("/find").text
    nothing = site.get("/find", params={"q": "LZ1 1AA", "what": "zzzz"}).text
    found_none = nothing.split('id="activities-none"', 1)[1].split("</section>", 1)[0]
    assert f'<a href="{PAGE}">Is a place missing?' in found_none
