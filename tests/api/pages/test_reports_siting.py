"""The report page's objective form (``/reports/{district}?objective=…``) on Riverside."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_report_page_has_the_objective_form(gaps_client: TestClient) -> None:
    page = gaps_client.get("/reports/Riverside",
                           params={"objective": "set_cover", "target_pct": "80",
                                   "all_areas": "true"}).text
    form = page[page.index('<form class="rp-siting-form"'):]
    form = form[: form.index("</form>")]
    assert 'action="/reports/E07000901#sites"' in form
    assert '<input type="radio" id="objective-set_cover" name="objective" value="set_cover" ' \
           'checked>' in form
    assert '<input type="hidden" name="all_areas" value="true">' in form
    assert 'name="target_pct"' in form and 'value="80.0"' in form
    assert '<label for="objective-p_median">' in form  # every input has its label
    assert "so that 80% of residents" in page
    assert "Hub places per 1,000 residents" in page
