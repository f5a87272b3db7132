"""The report as a planner and a councillor read it (issue 16, planners)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from fastapi.testclient import TestClient

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def _visible_text(page: str) -> str:
    """The words a reader sees: no scripts, styles, tags or attribute values."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<code>.*?</code>", " ", page, flags=re.S)  # file names, shown as code
    return re.sub(r"<[^>]+>", " ", page)


def test_the_ranked_table_starts_rank_area_score_under_served_reasons(
    gaps_client: TestClient,
) -> None:
    page = gaps_client.get("/reports/E07000901").text
    table = page[page.index('<table id="ranked-table">'):]
    header = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', table.split("</thead>", 1)[0])
    assert header[:5] == ["Rank", "Community area", "Score (0–100)", "Under-served", "Reasons"]
    assert len(header) <= 7  # the details are a table of their own, so this one fits 1,200 px
    assert 'id="ranked-details-table"' in page


def test_the_page_says_every_code_in_plain_words(gaps_client: TestClient) -> None:
    text = _visible_text(gaps_client.get("/reports/E07000901").text)
    assert re.findall(r"\b[a-z]+(?:_[a-z0-9]+)+\b", text) == []
    assert "EPSG" not in text
    assert "Catchment radius in urban areas (metres)" in text
    assert "no hub: the area contains no hub" in text


def test_the_chart_says_why_its_order_is_not_the_rank_order(gaps_client: TestClient) -> None:
    page = gaps_client.get("/reports/E07000901").text
    caption = page[page.index('<section id="chart"'):].split("</figcaption>", 1)[0]
    assert "rank order" in caption


def test_downloads_say_type_and_size_and_have_readable_names(gaps_client: TestClient) -> None:
    page = gaps_client.get("/reports/E07000901").text
    downloads = page[page.index('id="downloads"'):]
    links = dict(re.findall(r'<li><a href="([^"?]+)[^"]*">([^<]+)</a></li>', downloads))
    assert re.fullmatch(r"Ranked areas \(CSV, [\d,]+ (bytes|KB)\)",
                        links["/reports/E07000901.csv"])
    assert re.fullmatch(r"Candidate sites \(CSV, [\d,]+ (bytes|KB)\)",
                        links["/reports/E07000901.sites.csv"])
    assert "(GeoPackage, " in links["/reports/E07000901.gpkg"]
    assert links["/reports/E07000901.pdf"].startswith("The report to print (PDF, ")
    today = dt.date.today().isoformat()
    answer = gaps_client.get("/reports/E07000901.csv")
    assert (f'filename="riverside-gap-report-{today}.csv"'
            in answer.headers["content-disposition"])


def test_the_candidate_sites_csv(gaps_client: TestClient) -> None:
    answer = gaps_client.get("/reports/Riverside.sites.csv", params={"sites": 2})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    today = dt.date.today().isoformat()
    assert (f'filename="riverside-candidate-sites-{today}.csv"'
            in answer.headers["content-disposition"])
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [row["Rank"] for row in rows] == ["1", "2"]
    assert all(row["Candidate"] and row["Newly covered residents"] for row in rows)


def test_the_county_overview_ranks_the_districts(gaps_client: TestClient) -> None:
    page = gaps_client.get("/reports")
    assert page.status_code == 200
    table = page.text[page.text.index('id="county-overview"'):].split("</table>", 1)[0]
    districts = re.findall(r'<th scope="row"><a href="/reports/(E\d+)">', table)
    assert sorted(districts) == ["E07000901", "E07000902"]
    assert re.findall(r"<tr><td>(\d+)</td>", table) == ["1", "2"]
    assert "share of their residents who live outside every" in page.text
    assert page.text.count("Synthetic") <= 2  # the title's "(synthetic sample data)" and the shell
    assert 'class="fd-header"' in page.text  # the shared header


def test_changing_a_threshold_reruns_the_report_and_echoes_it(gaps_client: TestClient) -> None:
    page = gaps_client.get("/reports/E07000901", params={"urban_catchment_m": "1000"})
    assert page.status_code == 200
    form = page.text[page.text.index('class="rp-thresholds-form"'):].split("</form>", 1)[0]
    assert 'name="urban_catchment_m" value="1000"' in form
    assert 'action="/reports/E07000901"' in form and 'method="get"' in form
    assert "1,000 m for urban small areas" in _visible_text(page.text)


def test_a_refused_threshold_comes_back_with_an_error_summary(gaps_client: TestClient) -> None:
    page = gaps_client.get("/reports/E07000901", params={"urban_catchment_m": "-5"},
                           headers=BROWSER)
    assert page.status_code == 422
    assert "<title>Error: " in page.text
    summary = page.text[page.text.index("id=\"error-summary\""):].split("</ul>", 1)[0]
    assert "There is a problem" in summary
    assert ('<a href="#threshold-urban_catchment_m">Catchment radius in urban areas (metres) '
            "must be greater than 0</a>") in summary
    assert 'value="-5" aria-describedby' in page.text and 'aria-invalid="true"' in page.text
    client = gaps_client.get("/reports/E07000901", params={"urban_catchment_m": "-5"})
    assert client.status_code == 422 and client.json()["error"]["code"] == "validation_error"
