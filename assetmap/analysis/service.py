"""Gap reports for requests, reusing what does not change between them.

The analysis inputs (every small area, community area and asset) are read
from the store once per store version; a report is built once per district,
options and store version. Routes only parse parameters and serialise.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from assetmap.analysis.coverage import CoverageIndex, build_coverage
from assetmap.analysis.district import DistrictReport, build_district_report
from assetmap.analysis.inputs import AnalysisInputs
from assetmap.analysis.thresholds import GapThresholds, parse_thresholds
from assetmap.layers import LayerCatalog
from assetmap.store import Store

__all__ = ["ReportOptions", "ReportService"]


@dataclass(frozen=True)
class ReportOptions:
    """What a request asked for: focus, number of candidate sites, thresholds."""

    all_areas: bool
    sites: int
    thresholds: GapThresholds

    def key(self) -> tuple[Any, ...]:
        return (self.all_areas, self.sites, tuple(sorted(self.thresholds.as_flat_dict().items())))


class ReportService:
    def __init__(
        self, store: Store, catalog: LayerCatalog, defaults: GapThresholds, max_reports: int = 32,
        *, stale_after_days: int = 365,
    ) -> None:
        self._store = store
        self._catalog = catalog
        self._defaults = defaults
        self._max_reports = max_reports
        self._inputs: tuple[str, AnalysisInputs] | None = None
        self._reports: OrderedDict[tuple[Any, ...], DistrictReport] = OrderedDict()
        self._lock = threading.Lock()
        self.stale_after_days = stale_after_days
        # Scenario indexes: one per store version and thresholds (a few kept).
        self._coverage: OrderedDict[tuple[Any, ...], CoverageIndex] = OrderedDict()

    def options(
        self, overrides: Iterable[tuple[str, str]], *, all_areas: bool, sites: int
    ) -> ReportOptions:
        """Options with threshold overrides (``urban_catchment_m=1000``) over the defaults."""
        thresholds = parse_thresholds(dict(overrides), self._defaults)
        return ReportOptions(all_areas=all_areas, sites=sites, thresholds=thresholds)

    def inputs(self) -> AnalysisInputs:
        version = self._store.version()
        with self._lock:
            if self._inputs is not None and self._inputs[0] == version:
                return self._inputs[1]
        inputs = AnalysisInputs.from_store(self._store, self._catalog)
        with self._lock:
            self._inputs = (version, inputs)
        return inputs

    def coverage(self, thresholds: GapThresholds | None = None) -> CoverageIndex:
        """The county's coverage index for scenarios, built once per store version."""
        thresholds = thresholds or self._defaults
        key = (self._store.version(), tuple(sorted(thresholds.as_flat_dict().items())))
        with self._lock:
            if key in self._coverage:
                self._coverage.move_to_end(key)
                return self._coverage[key]
        index = build_coverage(self.inputs(), thresholds)
        with self._lock:
            self._coverage[key] = index
            while len(self._coverage) > 4:
                self._coverage.popitem(last=False)
        return index

    def report(self, district: str, options: ReportOptions) -> DistrictReport:
        # The date is part of the key: which records are stale changes at midnight.
        key = (self._store.version(), district.strip().casefold(), options.key(),
               date.today().isoformat())
        with self._lock:
            if key in self._reports:
                self._reports.move_to_end(key)
                return self._reports[key]
        report = build_district_report(
            self.inputs(),
            district,
            options.thresholds,
            all_areas=options.all_areas,
            n_sites=options.sites,
            stale_after_days=self.stale_after_days,
        )
        with self._lock:
            self._reports[key] = report
            while len(self._reports) > self._max_reports:
                self._reports.popitem(last=False)
        return report
