"""Commands that need no chart, map or PDF start without loading what draws them."""

from __future__ import annotations

import os
import subprocess
import sys

from assetmap.config import PROJECT_ROOT


def test_the_command_line_loads_no_charting_mapping_or_pdf_library() -> None:
    """matplotlib, folium and WeasyPrint took over a second of every `assetmap import`."""
    probe = ("import sys, assetmap.cli, assetmap.cli.imports, assetmap.cli.analysis; "
             "print(sorted({'matplotlib', 'folium', 'weasyprint'} & set(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
                          timeout=120, check=True)
    assert done.stdout.strip() == "[]"


def test_report_functions_are_still_there_when_asked_for() -> None:
    import assetmap.reports as reports

    assert callable(reports.report_html) and callable(reports.uncovered_chart_svg)
    assert set(reports.__all__) <= set(dir(reports))
