"""/find as a GOV.UK page: errors above the form (422, "Error:" title, inline at the field, no
empty map), numbered pins matching the numbered list, the map before the list, straight-line
distances said, and a hint the store can answer."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.layers import load_catalog
from assetmap.store import open_store


def _map_data(text: str) -> dict[str, object]:
    raw = text.split('<script type="application/json" id="finder-data">', 1)[1]
    data: dict[str, object] = json.loads(raw.split("</script>", 1)[0])
    return data


def _hint(text: str) -> str:
    return unescape(re.search(r'<p class="fd-hint" id="q-hint">([^<]+)</p>', text)[1])  # type: ignore[index]


@pytest.mark.parametrize(("params", "field"), [
    ({"q": "LZ9 9ZZ"}, "q"), ({"q": "Atlantis"}, "q"), ({"q": "LZ1 1AA", "day": "caturday"}, "day"),
])
def test_an_error_is_summarised_above_the_form_and_shown_at_its_field(
    client: TestClient, params: dict[str, str], field: str
) -> None:
    response = client.get("/find", params=params)
    assert response.status_code == 422
    text = response.text
    assert re.search(r"<title>Error: ", text)
    summary = text.index('id="error-summary"')
    assert summary < text.index("<h1>") < text.index("<form")
    assert f'<a href="#{field}">' in text[summary:text.index("<form")]
    inline = text.index(f'id="{field}-error"')
    control_at = text.index(f'id="{field}" name="{field}"')
    assert text.index(f'<label for="{field}">') < inline < control_at
    control = re.search(rf'<(?:input|select) id="{field}"[^>]*>', text)[0]  # type: ignore[index]
    assert f"{field}-error" in control and 'aria-invalid="true"' in control
    assert 'id="finder-map"' not in text  # no empty map under the error


def test_a_good_search_has_no_error_and_is_200(client: TestClient) -> None:
    response = client.get("/find", params={"q": "LZ1 1AA"})
    assert response.status_code == 200
    assert "error-summary" not in response.text and "<title>Error" not in response.text


def test_pins_carry_the_numbers_of_the_list(client: TestClient) -> None:
    text = client.get("/find", params={"q": "LZ1 1AA"}).text
    hubs = _map_data(text)["hubs"]
    assert isinstance(hubs, list) and len(hubs) >= 2
    listed = re.findall(r'<span class="fd-number">(\d+)</span> <a href="/hubs/([^"]+)">', text)
    assert listed == [(str(h["number"]), h["id"]) for h in hubs]
    assert [h["number"] for h in hubs] == list(range(1, len(hubs) + 1))


def test_the_map_comes_before_the_list_with_a_way_past_it(client: TestClient) -> None:
    text = client.get("/find", params={"q": "LZ1 1AA"}).text
    assert (text.index('id="results-summary"') < text.index('id="finder-map"')
            < text.index('id="results-list"'))
    assert '<a href="#results-list">Skip the map and go to the list</a>' in text


def test_the_page_says_distances_are_straight_line(client: TestClient) -> None:
    text = client.get("/find", params={"q": "LZ1 1AA"}).text
    assert "Distances are in a straight line, not along roads or paths." in text
    easy = client.get("/find", params={"q": "LZ1 1AA", "lang": "en-easy"}).text
    assert "in a straight line" in easy


def test_the_hint_names_a_postcode_and_place_the_store_knows(client: TestClient) -> None:
    hint = _hint(client.get("/find").text)
    assert "LE1 1AA" not in hint
    postcode, place = re.fullmatch(r"For example (.+) or (.+)\.", hint).groups()  # type: ignore[union-attr]
    for example in (postcode, place):
        tried = client.get("/find", params={"q": example})
        assert tried.status_code == 200 and 'id="results-summary"' in tried.text, example


def test_the_samples_hint_postcode_is_inside_the_county() -> None:
    settings = Settings()
    with TestClient(create_app(settings)) as sample:
        hint = _hint(sample.get("/find").text)
    postcode = re.fullmatch(r"For example (.+) or (.+)\.", hint)[1]  # type: ignore[index]
    store = open_store(settings.store)
    catalog = load_catalog(settings.layers_dir)
    postcodes = store.read(catalog["postcodes"])
    point = postcodes[postcodes["postcode"] == postcode].to_crs(27700).geometry
    assert len(point) == 1
    county = store.read(catalog["districts"]).to_crs(27700).geometry.union_all()
    assert county.contains(point.iloc[0])


def test_error_messages_give_the_same_known_postcode_as_the_hint(client: TestClient) -> None:
    hint = _hint(client.get("/find").text)
    postcode = re.fullmatch(r"For example (.+) or (.+)\.", hint)[1]  # type: ignore[index]
    half = client.get("/find", params={"q": "LZ9"}).text
    assert f"Enter the full postcode, for example {postcode}, or" in unescape(half)
    assert "LE1 1AA" not in half


def test_with_results_the_unused_filters_fold_away(client: TestClient) -> None:
    assert '<details class="fd-more" open>' in client.get("/find").text
    assert '<details class="fd-more">' in client.get("/find", params={"q": "LZ1 1AA"}).text
    chosen = client.get("/find", params={"q": "LZ1 1AA", "day": "th"}).text
    assert '<details class="fd-more" open>' in chosen  # a filter in use stays in sight
