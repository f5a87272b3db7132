"""Fixtures: the hand-built Riverside county (tests/analysis/riverside.py) as district reports."""

from tests.analysis.riverside import make_report, report

__all__ = ["make_report", "report"]
