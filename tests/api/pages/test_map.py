"""The officer map page (``/``) on the store it serves, and the officer shell for visitors."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_the_legend_lists_the_categories_the_store_holds(browser: TestClient) -> None:
    html = browser.get("/").text
    legend = re.search(r'<section class="am-legend".*?</section>', html, re.S)
    assert legend is not None
    listed = re.findall(r'aria-hidden="true"></span>([^<]+)</li>', legend.group(0))
    # The tiny county: four categories of asset, four kinds of parish; none of the others.
    for held in ("Village hall", "Church hall", "Community centre", "Community café",
                 "Parish council", "Parish meeting", "Unparished (no local council)",
                 "Town council"):
        assert held in listed
    for absent in ("Community hub", "Council library", "Community-managed library",
                   "Parished (council type not known)"):
        assert absent not in listed


def test_signed_out_visitors_see_no_officer_links(browser: TestClient) -> None:
    signin = browser.get("/signin").text
    assert 'aria-label="Officer pages"' not in signin
    assert 'href="/stale"' not in signin and 'href="/audit"' not in signin
