"""``assetmap gaps`` and ``assetmap report`` choose the siting objective as the API does."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_analysis import run


def test_gaps_states_the_objective_its_proof_and_greedy(
    riverside_gpkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "gaps", "--district", "Riverside", "--store", str(riverside_gpkg),
                       "--objective", "p_median", "--sites", "2", "--equity-weights", "--quiet",
                       "--wide")
    assert code == 0
    lines = [line for line in out.splitlines() if line.startswith("Siting: ")]
    assert lines[0].startswith("Siting: Objective: lowest population-weighted mean distance "
                               "to the nearest hub for 2 new hubs (p-median). Solved exactly")
    assert "proven optimal" in lines[0]
    assert lines[1].startswith("Siting: Greedy picking gives ")
    assert lines[2].startswith("Siting: Equity weights: a resident of an unparished area "
                               "counts 1.5 times")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--objective", "set_cover", "--target-pct", "120"], "target_pct='120.0': give a number"),
        (["--points", "52.6,-1.1"], "candidate point 1"),
        (["--time-limit", "0"], "time_limit"),
        (["--equity-unparished", "20"], "equity_unparished"),
        (["--sites", "-1"], "--sites -1"),
    ],
)
def test_bad_siting_options_exit_2_naming_the_fix(
    riverside_gpkg: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, "gaps", "--district", "Riverside", "--store", str(riverside_gpkg),
                       *argv, "--quiet")
    assert code == 2 and message in err
