"""The report's equality view, stale coverage, rank stability and "today vs scenario".

Plain data for the templates and the command line: tables as lists of rows
(header cells first), summary rows as (label, value) pairs, lines as text. The
figures come from the report's :class:`~assetmap.analysis.views.DistrictViews`
and from a :class:`~assetmap.analysis.ScenarioOutcome`.
"""

from __future__ import annotations

from dataclasses import dataclass

from assetmap.analysis import DistrictReport, ResidentsProfile, ScenarioOutcome
from assetmap.reports.wording import plain_words

__all__ = [
    "ScenarioView",
    "equality_rows",
    "profile_text",
    "scenario_lines",
    "scenario_view",
    "stability_column",
    "stale_figure",
]


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.1%}" if whole > 0 else "n/a"


def profile_text(profile: ResidentsProfile) -> str:
    """``"1,200 residents: 300 in IMD deciles 1–3, …; 25.0% aged 65+; 900 in unparished areas"``."""
    bands = ", ".join(f"{value:,.0f} in {label}" for label, value in profile.by_imd_band if value)
    older = ("share aged 65+ not known" if profile.share_65_plus is None
             else f"{profile.share_65_plus:.1%} aged 65+")
    return (f"{profile.residents:,.0f} residents" + (f" ({bands})" if bands else "")
            + f"; {older}; {profile.unparished:,.0f} in unparished areas")


def equality_rows(report: DistrictReport) -> list[list[str]]:
    """Rows of the equality table: group, outside every catchment (and %), all residents (and %)."""
    if report.views is None:
        return []
    outside, everyone = report.views.equality.outside, report.views.equality.everyone
    rows = [["All residents", f"{outside.residents:,.0f}", "100.0%",
             f"{everyone.residents:,.0f}", "100.0%"]]
    for (label, mine), (_, all_of) in zip(outside.by_imd_band, everyone.by_imd_band, strict=True):
        rows.append([label, f"{mine:,.0f}", _share(mine, outside.residents), f"{all_of:,.0f}",
                     _share(all_of, everyone.residents)])

    def older(p: ResidentsProfile) -> tuple[str, str]:
        if p.aged_65_plus is None or p.share_65_plus is None:
            return "not known", "not known"
        return f"{p.aged_65_plus:,.0f}", f"{p.share_65_plus:.1%}"

    rows.append(["Aged 65+ (estimated)", *older(outside), *older(everyone)])
    rows.append(["In unparished areas", f"{outside.unparished:,.0f}",
                 _share(outside.unparished, outside.residents), f"{everyone.unparished:,.0f}",
                 _share(everyone.unparished, everyone.residents)])
    return rows


def stale_figure(report: DistrictReport) -> tuple[str, str, str] | None:
    """(label, value, detail) of the summary figure on coverage resting on stale records."""
    if report.views is None:
        return None
    stale = report.views.stale
    value = "n/a" if stale.share is None else f"{stale.share:.0%}"
    return ("Coverage resting on records not checked lately", value, stale.sentence())


def stability_column(report: DistrictReport) -> list[str]:
    """Each ranked area's stability statement, in the ranked table's order."""
    if report.views is None:
        return ["" for _ in range(len(report.areas))]
    by_code = dict(zip(report.views.stability["code"], report.views.stability["stability"],
                       strict=True))
    return [str(by_code.get(str(code), "")) for code in report.areas["code"]]


@dataclass(frozen=True)
class ScenarioView:
    """Today vs a scenario: a summary list and the areas whose flags change."""

    title: str
    summary: list[tuple[str, str]]
    columns: list[str]
    flag_rows: list[list[str]]
    notes: list[str]


def _change_text(outcome: ScenarioOutcome) -> tuple[str, str]:
    closed = ", ".join(outcome.change.close) or "none"
    opened = "; ".join(f"{lon:.5f}, {lat:.5f}" for lon, lat in outcome.change.open) or "none"
    return closed, opened


def scenario_view(outcome: ScenarioOutcome, name: str = "") -> ScenarioView:
    closed, opened = _change_text(outcome)
    before, after = outcome.uncovered_before, outcome.uncovered_after
    summary = [
        ("Hubs closed", closed),
        ("Hubs opened (longitude, latitude)", opened),
        ("Residents outside every catchment today",
         f"{before:,.0f} ({_share(before, outcome.population)})"),
        ("Residents outside every catchment in the scenario",
         f"{after:,.0f} ({_share(after, outcome.population)}); change {after - before:+,.0f}"),
        ("Newly outside every catchment", profile_text(outcome.newly_outside)),
        ("Newly inside a catchment", profile_text(outcome.newly_inside)),
    ]
    changed = outcome.flag_changes
    rows = [
        [str(r.name), str(r.code), plain_words(str(r.flags_before)),
         plain_words(str(r.flags_after)),
         f"{r.uncovered_before:,.0f}", f"{r.uncovered_after:,.0f}", f"{r.uncovered_change:+,.0f}"]
        for r in changed.itertuples(index=False)
    ]
    notes = []
    if outcome.missing:
        notes.append(f"No longer in the register, so left out: {', '.join(outcome.missing)}.")
    if outcome.not_hubs:
        notes.append(f"No longer hubs (closed already, or another category), so closing them "
                     f"changes nothing: {', '.join(outcome.not_hubs)}.")
    return ScenarioView(
        title=f"Today and the scenario{f' “{name}”' if name else ''}",
        summary=summary,
        columns=["Community area", "Code", "Flags today", "Flags in the scenario",
                 "Outside today", "Outside in the scenario", "Change"],
        flag_rows=rows,
        notes=notes,
    )


def scenario_lines(outcome: ScenarioOutcome) -> list[str]:
    """The scenario as lines of text (``assetmap gaps --close … --open …``)."""
    view = scenario_view(outcome)
    lines = [f"Scenario for {outcome.district_name} ({outcome.district_code}), against today:"]
    lines += [f"  {label}: {value}" for label, value in view.summary]
    if view.flag_rows:
        lines.append("  Areas whose flags change:")
        lines += [f"    {r[0]} ({r[1]}): {r[2]} -> {r[3]}; outside {r[4]} -> {r[5]} ({r[6]})"
                  for r in view.flag_rows]
    else:
        lines.append("  No community area's flags change.")
    lines += [f"  note: {note}" for note in view.notes]
    return lines

