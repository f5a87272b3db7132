"""The service shell: the council's name, logo, service name and footer links on every page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assetmap.api import create_app
from assetmap.config import FooterLink, Settings
from assetmap.errors import ConfigError
from assetmap.register.users import add_user
from assetmap.store import open_store
from tests.api.signing_in import sign_in_by_cookie


@pytest.fixture
def council(tiny_gpkg: Path, tmp_path: Path) -> Iterator[TestClient]:
    logo = tmp_path / "crest.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    settings = Settings(
        store=str(tiny_gpkg), council_name="Harborough District Council",
        council_url="https://www.harborough.gov.uk", service_name="Find a place to meet",
        officer_service_name="Community places register", logo=logo,
        footer_links=[FooterLink(text="Council home", href="https://www.harborough.gov.uk")],
    )
    with TestClient(create_app(settings)) as client:
        yield client


def _header(html: str) -> str:
    return html.split('<header class="sh-header"', 1)[1].split("</header>", 1)[0]


def _footer_links(html: str) -> list[tuple[str, str]]:
    footer = html.split("<footer", 1)[1].split("</footer>", 1)[0]
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', footer)


def test_public_pages_carry_the_councils_name_logo_and_service(council: TestClient) -> None:
    for path in ("/find", "/hubs/A1", "/hubs/A1/correction", "/privacy"):
        page = council.get(path)
        assert page.status_code == 200, path
        header = _header(page.text)
        assert 'href="https://www.harborough.gov.uk"' in header
        assert "Harborough District Council" in header and "Find a place to meet" in header
        assert 'src="/shell/logo"' in header
        assert re.search(r"<title>[^<]+ – Harborough District Council", page.text), path


def test_the_footer_links_the_policy_pages_and_the_councils_own(council: TestClient) -> None:
    links = _footer_links(council.get("/find").text)
    assert links[:5] == [
        ("/accessibility", "Accessibility statement"), ("/privacy", "Privacy notice"),
        ("/cookies", "Cookies"), ("/contact", "Contact"),
        ("https://www.harborough.gov.uk", "Council home"),
    ]


def test_easy_read_footer_keeps_the_language_in_its_links(council: TestClient) -> None:
    links = dict(_footer_links(council.get("/find?lang=en-easy").text))
    assert links["/privacy?lang=en-easy"] == "What we do with your information"


def test_officer_pages_carry_the_shell_too(council: TestClient, tiny_gpkg: Path) -> None:
    sign_in_by_cookie(council, add_user(open_store(str(tiny_gpkg)), "olive", "officer"))
    page = council.get("/stale")
    assert page.status_code == 200
    assert "Community places register" in _header(page.text)
    assert "<title>Stale records – Community places register – Harborough District Council" in (
        page.text)
    assert ("/privacy", "Privacy notice") in _footer_links(page.text)


def test_the_logo_is_served_from_the_service_itself(council: TestClient) -> None:
    logo = council.get("/shell/logo")
    assert logo.status_code == 200 and logo.headers["content-type"] == "image/png"
    assert logo.content.startswith(b"\x89PNG")
    assert "default-src 'none'" in logo.headers["content-security-policy"]


def test_without_a_logo_the_header_names_the_council_alone(tiny_gpkg: Path) -> None:
    with TestClient(create_app(Settings(store=str(tiny_gpkg), logo=None))) as client:
        header = _header(client.get("/find").text)
        assert "<img" not in header and "Sample County Council" in header
        assert client.get("/shell/logo").status_code == 404


def test_the_sample_defaults_keep_the_synthetic_label(client: TestClient) -> None:
    page = client.get("/find").text
    assert "Sample County Council" in _header(page)
    assert "(synthetic sample data)</title>" in page


def test_a_logo_that_is_not_an_image_or_missing_is_a_settings_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assetmap.config import load_settings

    monkeypatch.setenv("ASSETMAP_LOGO", str(tmp_path / "logo.gif"))
    with pytest.raises(ConfigError, match="ASSETMAP_LOGO"):
        load_settings()
    monkeypatch.setenv("ASSETMAP_LOGO", str(tmp_path / "absent.svg"))
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings()
