"""The report's tables with plain-language column names, and the CSV download.

:func:`ranked_table` is the one table of ranked community areas behind the
HTML table, the PDF and the CSV, so the three always agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from assetmap.analysis import SCORE_DECIMALS, SUPPLY_COLUMN, DistrictReport, GapThresholds
from assetmap.formats.csv import table_csv_bytes
from assetmap.provenance import attribution_lines

__all__ = [
    "FLAG_LABELS",
    "GOVERNANCE_LABELS",
    "HEADLINE_COLUMNS",
    "SUPPLY_LABEL",
    "rank_band_column",
    "ranked_table",
    "report_csv",
    "short_attribution",
    "sites_csv",
    "sites_table",
    "thresholds_table",
    "uncovered_table",
]

SUPPLY_LABEL = "Hub places per 1,000 residents"
GOVERNANCE_LABELS = {
    "unparished": "Unparished (no local council)",
    "town_council": "Town council",
    "parish_council": "Parish council",
    "parish_meeting": "Parish meeting",
    # As layers/community_areas.yaml labels it: a parish whose council type the data lacks.
    "parish_type_unknown": "Parished (council type not known)",
    "unknown": "Unknown (parish boundaries not loaded)",
}
FLAG_LABELS = {
    "no_hub": "No hub",
    "poor_access": "Poor access",
    "over_capacity": "Over capacity",
    "high_need": "High need",
}


def _names(areas: pd.DataFrame) -> pd.Series:
    codes = areas["code"].astype(str)
    if "name" not in areas.columns:
        return codes
    names = areas["name"].astype(object)
    return names.where(names.notna(), codes).astype(str)


def _text(frame: pd.DataFrame, column: str) -> np.ndarray:
    """``column`` as text, empty where the frame lacks it or a value is missing."""
    if column not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    values = frame[column].astype(object).where(frame[column].notna(), "")
    return np.asarray(values.astype(str), dtype=object)


def _whole(values: pd.Series) -> pd.Series:
    """Rounded to whole numbers, empty where unknown."""
    return pd.Series(np.round(values.to_numpy(float)), index=values.index).astype("Int64")


def _percent(values: pd.Series) -> pd.Series:
    return pd.Series(np.round(values.to_numpy(float) * 100, 1), index=values.index)


def _flags(areas: pd.DataFrame) -> list[str]:
    present = [name for name in FLAG_LABELS if name in areas.columns]
    return [
        "; ".join(FLAG_LABELS[name] for name in present if row[name])
        for row in areas[present].to_dict("records")
    ]


# What a councillor reads first, in this order; every other column is a detail after them.
HEADLINE_COLUMNS = ("Rank", "Community area", "Score (0–100)", "Under-served", "Reasons")


def ranked_table(report: DistrictReport) -> pd.DataFrame:
    """Ranked community areas, rank 1 (most under-served) first, one row each.

    Columns: :data:`HEADLINE_COLUMNS`, then the details (code, governance, the measures).
    """
    areas = report.areas
    governance = areas.get("governance", pd.Series("", index=areas.index)).astype(object)
    table = pd.DataFrame(
        {
            "Rank": areas["rank"].astype(int).to_numpy(),
            "Community area": _names(areas).to_numpy(),
            "Score (0–100)": np.round(areas["score"].to_numpy(float), SCORE_DECIMALS),
            "Under-served": np.where(areas["under_served"].to_numpy(bool), "yes", "no"),
            "Reasons": areas["reasons"].astype(str).to_numpy(),
            "Area code": areas["code"].astype(str).to_numpy(),
            "Governance": [GOVERNANCE_LABELS.get(str(g), str(g)) for g in governance],
            "Population": _whole(areas["population"]).to_numpy(),
            "Hubs": areas["hub_count"].astype(int).to_numpy(),
            "Residents per hub": _whole(areas["residents_per_hub"]).to_numpy(),
            "Residents outside every catchment": _whole(areas["uncovered_population"]).to_numpy(),
            "% outside every catchment": _percent(areas["share_outside_catchment"]).to_numpy(),
            "Mean distance to nearest hub (m)": _whole(
                areas["pop_weighted_mean_distance_m"]
            ).to_numpy(),
            f"% in {report.thresholds.deprived_label}": _percent(
                areas["deprived_share"]
            ).to_numpy(),
            "Flags": _flags(areas),
        }
    )
    if SUPPLY_COLUMN in areas.columns:  # a measure beside the others (E2SFCA), not in the score
        at = table.columns.get_loc("Mean distance to nearest hub (m)") + 1
        table.insert(int(at), SUPPLY_LABEL, np.round(areas[SUPPLY_COLUMN].to_numpy(float), 1))
    return table


def rank_band_column(report: DistrictReport) -> list[str]:
    """The ranked areas' bands ("3", "3–5"): ranks whose shown scores tie share one."""
    return [str(band) for band in report.areas["rank_band"]]


def uncovered_table(report: DistrictReport) -> pd.DataFrame:
    """Residents outside every catchment by community area, most first (the chart's data)."""
    areas = report.areas
    table = pd.DataFrame(
        {
            "Community area": _names(areas).to_numpy(),
            "Residents outside every catchment": _whole(areas["uncovered_population"]).to_numpy(),
            "Population": _whole(areas["population"]).to_numpy(),
            "% outside every catchment": _percent(areas["share_outside_catchment"]).to_numpy(),
            "Under-served": areas["under_served"].to_numpy(bool),
        }
    )
    return table.sort_values(
        ["Residents outside every catchment", "Community area"],
        ascending=[False, True],
        kind="mergesort",
        na_position="last",
    ).reset_index(drop=True)


def sites_table(report: DistrictReport) -> pd.DataFrame:
    """The siting shortlist in pick order, with district-wide before/after shares."""
    sites = report.sites
    return pd.DataFrame(
        {
            "Rank": sites["rank"].astype(int).to_numpy(),
            "Kind": sites["kind"].astype(str).to_numpy(),
            "Candidate": sites["name"].astype(str).to_numpy(),
            "Candidate id": sites["candidate_id"].astype(str).to_numpy(),
            "Postcode": _text(sites, "postcode"),
            "Grid reference": _text(sites, "grid_reference"),
            "Newly covered residents": _whole(sites["newly_covered_population"]).to_numpy(),
            "Small areas newly covered": sites["newly_covered_small_areas"].astype(int).to_numpy(),
            "Residents still outside every catchment": _whole(
                sites["uncovered_population_after"]
            ).to_numpy(),
            "District % outside before": _percent(sites["uncovered_share_before"]).to_numpy(),
            "District % outside after": _percent(sites["uncovered_share_after"]).to_numpy(),
            "District mean distance to a hub after (m)": _whole(
                sites["mean_distance_after_m"]).to_numpy()
            if "mean_distance_after_m" in sites.columns else np.full(len(sites), pd.NA),
        }
    )


def thresholds_table(report: DistrictReport) -> pd.DataFrame:
    """Every threshold the analysis ran with, its default and what it means."""
    defaults = GapThresholds().as_flat_dict()
    descriptions = GapThresholds.descriptions()
    used = report.thresholds.as_flat_dict()
    return pd.DataFrame(
        {
            "Setting": list(used),
            "Value": list(used.values()),
            "Default": [defaults.get(name) for name in used],
            "Meaning": [descriptions.get(name, "") for name in used],
        }
    )


def short_attribution(report: DistrictReport) -> str:
    """One line for a CSV's Attribution column; the full lines are in the metadata file."""
    lines = attribution_lines(report.attribution)
    if not lines:
        return ""
    return lines[0] + ("; full attribution in the metadata file" if len(lines) > 1 else "")


def _with_notes(report: DistrictReport, table: pd.DataFrame) -> pd.DataFrame:
    if report.view:  # only some hub categories loaded: every row says what the figures see
        table["Data note"] = report.view
    attribution = short_attribution(report)
    if attribution:
        table["Attribution"] = attribution
    return table


def report_csv(report: DistrictReport) -> bytes:
    """The ranked table as CSV: UTF-8 with a byte-order mark (for Excel), CRLF lines.

    When the data's licences require attribution, a last ``Attribution`` column says it in
    one short line; the full lines, thresholds and sources are in :func:`metadata_csv`.
    """
    table = ranked_table(report)
    table["Rank band"] = rank_band_column(report)  # after the score it bands; columns stay put
    return table_csv_bytes(_with_notes(report, table))


def sites_csv(report: DistrictReport) -> bytes:
    """The candidate sites in pick order as CSV (same encoding as :func:`report_csv`)."""
    return table_csv_bytes(_with_notes(report, sites_table(report)))
