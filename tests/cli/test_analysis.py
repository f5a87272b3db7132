"""The command line: gap tables, reports and errors a planner can act on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import pyogrio

from assetmap.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_gaps_prints_ranked_table_and_thresholds(
    riverside_gpkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "gaps", "--district", "Riverside", "--store", str(riverside_gpkg),
                       "--quiet", "--wide")
    assert code == 0
    assert "Gap analysis: Riverside (E07000901), unparished areas" in out
    assert "urban_catchment_m=800" in out
    lines = [line for line in out.splitlines() if "E430009" in line]
    codes = [re.search(r"E430009\d\d", line).group(0) for line in lines]  # type: ignore[union-attr]
    assert codes == ["E43000902", "E43000901", "E43000903"]
    assert "Ashby Parva" not in out


def test_gaps_fits_the_terminal_width(
    riverside_gpkg: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = run(capsys, "gaps", "--district", "Riverside", "--store", str(riverside_gpkg),
                       "--quiet")
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 100
    header = next(line for line in out.splitlines() if line.startswith("Rank"))
    assert header.split()[:4] == ["Rank", "Community", "area", "Score"]
    assert "Left out to fit 100 characters" in out and "--wide" in out
    assert "NaN" not in out and "nan" not in out.split()


def test_gaps_prints_warnings_before_the_table_and_the_candidate_sites(
    riverside_gpkg: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = run(capsys, "gaps", "--district", "Hillside", "--all-areas", "--store",
                       str(riverside_gpkg), "--quiet")
    assert code == 0
    lines = out.splitlines()
    table = next(i for i, line in enumerate(lines) if line.startswith("Rank"))
    warnings = [i for i, line in enumerate(lines) if line.startswith("warning: ")]
    assert warnings and max(warnings) < table
    code, out, _ = run(capsys, "gaps", "--district", "Riverside", "--store", str(riverside_gpkg),
                       "--quiet")
    sites = out[out.index("Candidate sites, in the order picked"):]
    assert "Southbank Café" in sites or "near " in sites
    assert "Newly" in sites.splitlines()[1]


def test_gaps_shows_no_progress_bar_when_not_on_a_terminal(
    riverside_gpkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "gaps", "--district", "Riverside", "--store", str(riverside_gpkg))
    assert code == 0 and "gap analysis" not in err and "step" not in err


def test_gaps_all_areas_with_overrides_writes_file(
    riverside_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "gaps.gpkg"
    code, out, _ = run(capsys, "gaps", "--district", "e07000901", "--all-areas", "--store",
                       str(riverside_gpkg), "--set", "rural_catchment_m=5000", "--quiet",
                       "--out", str(out_file))
    assert code == 0
    assert "Ashby Parva" in out and "rural_catchment_m=5000" in out
    ranked = pyogrio.read_dataframe(out_file, layer="community_areas")
    assert len(ranked) == 4


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--district", "Nowhere"], "Hillside (E07000902)"),
        (["--district", "Riverside", "--set", "urban_catchment_m=-1"], "urban_catchment_m"),
        (["--district", "Riverside", "--set", "urban_catchment_m"], "NAME=VALUE"),
        (["--district", "Riverside", "--out", "x.xlsx"], ".csv, .geojson or .gpkg"),
    ],
)
def test_gaps_errors_name_the_fix(
    riverside_gpkg: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, "gaps", *argv, "--store", str(riverside_gpkg), "--quiet")
    assert code == 2
    assert err.startswith("error: ") and message in err


def test_report_html_is_standalone(
    riverside_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.html"
    code, out, _ = run(capsys, "report", "--district", "Riverside", "--store",
                       str(riverside_gpkg), "--out", str(target), "--quiet")
    assert code == 0 and "wrote" in out
    html = target.read_text()
    assert "/static/" not in html
    assert "L.map(" in html and "Riverside" in html
    # A saved report is a document, not a page of the service: no council header or links.
    assert 'data-shell="header"' not in html and '<header class="rp-header">' in html


def test_report_pdf_and_bad_suffix(
    riverside_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.pdf"
    assert run(capsys, "report", "--district", "Riverside", "--store", str(riverside_gpkg),
               "--out", str(target), "--quiet")[0] == 0
    assert target.read_bytes().startswith(b"%PDF")
    code, _, err = run(capsys, "report", "--district", "Riverside", "--store",
                       str(riverside_gpkg), "--out", str(tmp_path / "r.docx"), "--quiet")
    assert code == 2 and ".html or .pdf" in err
    assert not (tmp_path / "r.docx").exists()


def test_missing_store_says_how_to_make_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "gaps", "--district", "X", "--store", str(tmp_path / "no.gpkg"),
                       "--quiet")
    assert code == 2 and "assetmap sample" in err


def test_gaps_answers_a_scenario_against_today(
    riverside_gpkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "gaps", "--district", "Riverside", "--store", str(riverside_gpkg),
                       "--quiet", "--close", "H2")
    assert code == 0
    assert "Scenario for Riverside (E07000901), against today:" in out
    assert "Newly outside every catchment: 10,000 residents (10,000 in IMD deciles 4–7)" in out
    assert "Eastwick (E43000903): over capacity -> no hub, poor access" in out


def test_gaps_refuses_an_unknown_id_before_printing_anything(
    riverside_gpkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "gaps", "--district", "Riverside", "--store",
                         str(riverside_gpkg), "--quiet", "--close", "H2,NOPE")
    assert code == 2 and out == ""
    assert "NOPE: no asset has this id" in err
