"""The report map's controls: the legend (autoescaped template) and the fit beside them."""

from __future__ import annotations

from dataclasses import dataclass

from branca.element import MacroElement
from jinja2 import Template

from assetmap.analysis import DistrictReport
from assetmap.maps.page import (
    render_fragment,
    script_json,
)
from assetmap.reports.palette import (
    CATCHMENT_COLOUR,
    HUB_COLOUR,
    SCORE_BANDS,
    UNRANKED_FILL,
    band_label,
)

__all__ = ["MAP_CSS", "FitBeside", "Legend", "legend_markup"]


@dataclass(frozen=True)
class LegendBand:
    label: str
    colour: str


class Legend(MacroElement):
    """A legend control whose HTML comes from an autoescaped template (no data text)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
          var legend = L.control({position: "bottomright"});
          legend.onAdd = function () {
            var div = L.DomUtil.create("div", "rm-legend");
            div.setAttribute("role", "group");
            div.setAttribute("aria-label", "Map legend");
            div.innerHTML = {{ this.markup }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
          };
          legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, markup: str, css: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca has no annotations
        self._name = "ReportLegend"
        self.markup = script_json(markup)
        self.css = css


class FitBeside(MacroElement):
    """Fit the district beside the controls on the right, when the map is wide enough."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
          var right = Math.min(340, Math.round(map.getSize().x * 0.35));
          map.fitBounds({{ this.bounds }},
                        {paddingTopLeft: [10, 10], paddingBottomRight: [right, 10]});
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca has no annotations
        self._name = "FitBeside"
        self.bounds = script_json(bounds)


MAP_CSS = """
.rm-legend { background: #ffffff; color: #1b1b1b; padding: 0.5rem 0.75rem;
  border: 1px solid #767676; border-radius: 4px; font-size: 0.85rem; line-height: 1.4;
  max-width: 16rem; }
.rm-legend summary { font-weight: 600; cursor: pointer; }
.rm-legend h3 { font-size: 0.9rem; margin: 0.25rem 0; }
.rm-legend ul { list-style: none; margin: 0 0 0.4rem; padding: 0; }
.rm-legend li { display: flex; align-items: center; gap: 0.4rem; }
.rm-swatch { display: inline-block; width: 1rem; height: 0.8rem; border: 1px solid #525252;
  flex: none; }
.rm-symbol { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 50%;
  flex: none; box-sizing: border-box; }
.rm-site .rm-site-badge, .rm-legend .rm-site-badge { display: flex; align-items: center;
  justify-content: center; width: 22px; height: 22px; background: #4a1486; color: #ffffff;
  font: bold 13px/1 system-ui, sans-serif; border: 2px solid #ffffff; border-radius: 3px;
  box-shadow: 0 0 0 1px #1b1b1b; transform: rotate(0deg); }
.rm-legend .rm-site-badge { width: 1rem; height: 1rem; font-size: 0.7rem; flex: none; }
.rm-site { background: transparent; border: none; }
.rm-site:focus-visible, .leaflet-interactive:focus-visible { outline: 3px solid #1d4ed8; }
"""


def legend_markup(report: DistrictReport) -> str:
    return render_fragment(
        "report_map_legend.html",
        bands=[LegendBand(band_label(lo, hi), colour) for lo, hi, colour in SCORE_BANDS],
        show_unranked=not report.all_areas,
        thresholds=report.thresholds,
        hub_colour=HUB_COLOUR,
        catchment_colour=CATCHMENT_COLOUR,
        unranked_fill=UNRANKED_FILL,
    )

