"""The footer's pages: shipped as templates, replaced by a council's own, stating the settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import Settings


@pytest.mark.parametrize(("path", "heading"), [
    ("/accessibility", "<h1>Accessibility statement for Find a community hub</h1>"),
    ("/privacy", "<h1>Privacy notice for Find a community hub</h1>"),
    ("/cookies", "<h1>Cookies</h1>"),
    ("/contact", "<h1>Contact Sample County Council</h1>"),
])
def test_each_footer_page_is_a_public_page(client: TestClient, path: str, heading: str) -> None:
    page = client.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert heading in page.text
    assert '<header class="sh-header"' in page.text and "<footer" in page.text


def test_the_privacy_notice_states_the_retention_the_service_applies(tiny_gpkg: Path) -> None:
    settings = Settings(store=str(tiny_gpkg), contact_retention_days=30,
                        contact_email="dpo@harborough.example")
    with TestClient(create_app(settings)) as client:
        page = client.get("/privacy").text
    assert "Your contact details are deleted 30 days after an officer has decided" in page
    assert 'href="mailto:dpo@harborough.example"' in page


def test_the_accessibility_statement_names_the_council_and_its_contact(
    tiny_gpkg: Path
) -> None:
    settings = Settings(store=str(tiny_gpkg), council_name="Melton Borough Council",
                        contact_email="access@melton.example", contact_phone="01664 502 502")
    with TestClient(create_app(settings)) as client:
        page = client.get("/accessibility").text
    assert "a service run by Melton Borough Council" in page
    assert "email <a href=\"mailto:access@melton.example\">" in page and "01664 502 502" in page
    assert "Enforcement procedure" in page


def test_a_councils_own_page_replaces_the_shipped_one(tiny_gpkg: Path, tmp_path: Path) -> None:
    own = tmp_path / "pages"
    own.mkdir()
    (own / "privacy.html").write_text(
        '{% extends "public_base.html" %}{% block title %}Privacy{% endblock %}'
        "{% block main %}<h1>How {{ shell.council_name }} uses your data</h1>"
        "<p>Kept {{ contact_retention_days }} days.</p>{% endblock %}", encoding="utf-8")
    settings = Settings(store=str(tiny_gpkg), policy_pages_dir=own)
    with TestClient(create_app(settings)) as client:
        privacy = client.get("/privacy").text
        cookies = client.get("/cookies").text
    assert "<h1>How Sample County Council uses your data</h1>" in privacy
    assert "<p>Kept 90 days.</p>" in privacy and '<header class="sh-header"' in privacy
    assert "<h1>Cookies</h1>" in cookies  # not in the council's folder: the shipped page


def test_the_cookies_page_lists_the_sign_in_cookie_the_service_sets(client: TestClient) -> None:
    page = client.get("/cookies").text
    assert "<td>assetmap_session</td>" in page
    assert "assetmap_oidc_state" not in page  # no identity provider configured here
