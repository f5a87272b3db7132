"""The method section says which siting model a report used, its weights and the capacity rule."""

from __future__ import annotations

from assetmap.analysis import EquityWeights, SitingOptions, method_text
from tests.analysis.riverside import MakeReport


def test_method_names_the_model_used_and_the_weights(make_report: MakeReport) -> None:
    plain = " ".join(method_text(make_report()))
    assert "This report used maximal covering." in plain
    assert "they were off here." in plain
    report = make_report(siting=SitingOptions(
        objective="set_cover", target_share=0.8, time_limit_s=4,
        equity=EquityWeights(enabled=True, unparished=2.0, deprived=3.0)))
    method = " ".join(method_text(report))
    assert "This report used set covering." in method and "(80% here)" in method
    assert "time limit (4 s)" in method
    assert ("a resident of an unparished area counted 2 times and one in IMD deciles 1–3 "
            "3 times") in method


def test_method_states_capacity_default_and_decay(make_report: MakeReport) -> None:
    method = " ".join(method_text(make_report(decay="stepped")))
    assert "or 100 where it says nothing" in method
    assert "Here 0 of the " in method and "the report used stepped decay." in method
    assert "the flags, the score and the ranking do not use it" in method
