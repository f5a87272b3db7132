"""Errors as a GOV.UK page for browsers and the canonical JSON body for clients (issue 16)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import assert_canonical_error

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_an_unknown_report_in_a_browser_is_a_page_listing_the_districts(
    gaps_client: TestClient,
) -> None:
    page = gaps_client.get("/reports/Nowhere", headers=BROWSER)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "<title>Page not found" in page.text
    assert "<h1>Page not found</h1>" in page.text
    assert "There is no district report for &ldquo;Nowhere&rdquo;" in page.text
    assert '<a href="/reports/E07000902">Hillside</a>' in page.text
    assert '<a href="/reports/E07000901">Riverside</a>' in page.text
    assert '<a href="/reports">' in page.text


def test_a_client_keeps_the_canonical_error_body(gaps_client: TestClient) -> None:
    assert_canonical_error(gaps_client.get("/reports/Nowhere"), 404, mentions="Riverside")
    refused = gaps_client.get("/reports/Nowhere", headers={"Accept": "application/json"})
    assert_canonical_error(refused, 404, mentions="Riverside")
    asked = gaps_client.get("/no/such/page?f=json", headers=BROWSER)
    assert_canonical_error(asked, 404)


def test_any_unknown_address_in_a_browser_is_page_not_found(client: TestClient) -> None:
    page = client.get("/no/such/page", headers=BROWSER)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "If you typed the web address, check it is correct." in page.text
    assert '<a href="/find">' in page.text
    assert_canonical_error(client.get("/no/such/page"), 404)


def test_a_bad_value_in_a_browser_is_there_is_a_problem(gaps_client: TestClient) -> None:
    page = gaps_client.get("/api/gaps?district=E07000901&sites=x", headers=BROWSER)
    assert page.status_code == 422
    assert "<h1>There is a problem</h1>" in page.text
    assert "sites" in page.text
    assert_canonical_error(gaps_client.get("/api/gaps?district=E07000901&sites=x"), 422)
