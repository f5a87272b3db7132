"""Moved to :mod:`assetmap.formats.csv`; this name stays until every caller has switched."""

from assetmap.formats.csv import FORMULA_START, neutralise, neutralise_formulas

__all__ = ["FORMULA_START", "neutralise", "neutralise_formulas"]
