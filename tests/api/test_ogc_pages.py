"""``/ogc`` read in a browser: HTML pages of the same resources, JSON kept for clients."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
ITEMS = "/ogc/collections/assets/items"


def test_the_landing_page_in_a_browser_is_html_with_links(client: TestClient) -> None:
    page = client.get("/ogc", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "data for GIS</h1>" in page.text
    assert 'href="http://testserver/ogc/collections?f=html"' in page.text
    assert 'href="http://testserver/ogc?f=json"' in page.text
    assert client.get("/ogc").headers["content-type"] == "application/json"


def test_collections_and_one_collection_as_pages(client: TestClient) -> None:
    listing = client.get("/ogc/collections", headers=BROWSER)
    assert listing.status_code == 200
    assert '<a href="/ogc/collections/assets?f=html">' in listing.text
    one = client.get("/ogc/collections/assets", headers=BROWSER)
    assert one.status_code == 200 and "Browse the features" in one.text


def test_items_page_has_a_numbered_offline_map_matching_the_table(client: TestClient) -> None:
    page = client.get(ITEMS, params={"limit": 2}, headers=BROWSER)
    assert page.status_code == 200
    svg = page.text.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg and svg.count("<circle") == 2
    assert re.findall(r'class="mm-number">(\d+)<', svg) == ["1", "2"]
    rows = page.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert re.findall(r"<tr><td>(\d+)</td>", rows) == ["1", "2"]
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing fetched
    assert "Next page" in page.text and "offset=2&amp;limit=2&amp;f=html" in page.text


def test_one_item_as_a_page_and_f_json_overrides(client: TestClient) -> None:
    page = client.get(f"{ITEMS}/A1", params={"f": "html"})
    assert page.status_code == 200 and "<svg" in page.text and "<dt>Name</dt>" in page.text
    data = client.get(f"{ITEMS}/A1", params={"f": "json"}, headers={"Accept": "text/html"})
    assert data.headers["content-type"] == "application/geo+json"
    assert data.json()["id"] == "A1"
