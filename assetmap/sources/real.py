"""Build a store from the real Leicestershire open data (``assetmap build-real``).

Reads the files described in ``shared/data/real/PROVENANCE.md`` with the same
importers ``assetmap import`` uses and writes one new GeoPackage, all or
nothing:

- ``districts``: the LAD 2013 districts whose interior lies inside the county
  outline (E10000018): the 7 Leicestershire districts. Leicester and Rutland
  (unitary authorities, outside the county) are left out.
- ``small_areas``: the county's 2011 Output Areas with mid-2015 population, share
  aged 65+ (single-year ages), their LSOA (ONS lookup) and its IMD 2019 decile and
  rank. ``urban`` and the population-weighted centroid are left empty: no
  Rural-Urban Classification or centroid file is available, so the analysis
  classes each OA by its stated density rule and places its residents at a point
  inside the OA (``point_on_surface``), and says so in every output.
- ``postcodes``: Code-Point Open 2014, every LLR postcode (so the finder works
  for people just over the county line too).
- ``assets``: public libraries. Those in the county's districts, plus libraries of
  neighbouring authorities within ``border_km`` of the county (residents cross
  authority lines, and the gap method counts the nearest hub anywhere); each
  carries the code of the authority it lies in.
- no ``community_areas``: parish boundaries are not in the real data; the gap
  analysis then ranks LSOAs as stated fallback units.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from assetmap.errors import DataError
from assetmap.layers import LayerCatalog
from assetmap.sources.boundaries import districts_in, read_boundaries
from assetmap.sources.checks import ImportReport, vintage_warnings
from assetmap.sources.importing import METADATA_TABLE, typed_for_layer
from assetmap.sources.libraries import read_libraries
from assetmap.sources.postcodes import read_postcodes
from assetmap.sources.small_areas import (
    apply_imd,
    apply_lookup,
    apply_population,
    small_areas_from_boundaries,
)
from assetmap.sources.statistics import read_imd, read_lookup, read_population
from assetmap.store.gpkg_write import write_geopackage

__all__ = ["ATTRIBUTION", "REAL_FILES", "RealBuild", "build_real"]

REAL_FILES = {
    "county": "boundaries/county_leicestershire_derived_from_lad13.geojson",
    "districts": "boundaries/lad13_leics_lei_rut.geojson",
    "oa": "boundaries/oa11_leics_lei_rut.geojson",
    "lookup": "stats/oa11_lsoa11_msoa11_lad17_oac11_lookup_leics_lei_rut.csv",
    "population": "stats/oa11_population_mid2015_sya_leics_lei_rut.csv",
    "imd": "stats/imd2019_domains_lsoa11_leics_lei_rut.csv",
    "postcodes": "postcodes/codepoint_open_2014_leics_lei_rut.csv",
    "libraries": "facilities/public_libraries_leics_lei_rut_librarieshacked.csv",
}

# The licence lines PROVENANCE.md requires, one per source (the ONS/OS line's "[year]" is
# the boundaries' own, 2016, as the UK-GeoJSON readme states it).
ATTRIBUTION = {
    "ons": "Source: Office for National Statistics licensed under the Open Government Licence "
           "v3.0. Contains OS data © Crown copyright and database right 2016.",
    "boundaries": "Boundaries: martinjc/UK-GeoJSON compilation © Martin Chorley, CC BY 4.0.",
    "codepoint": "Contains OS data © Crown copyright and database right 2014; Contains Royal "
                 "Mail data © Royal Mail copyright and database right 2014; Contains National "
                 "Statistics data © Crown copyright and database right 2014.",
    "imd": "English Indices of Deprivation 2019, MHCLG, Open Government Licence v3.0.",
    "libraries": "Public libraries: Libraries Hacked (librarydata-db), from the DCMS "
                 "\"Public libraries in England\" basic dataset, Open Government Licence v3.0.",
}
# source:<name> = "detail | vintage | attribution", listed in every report.
_SOURCES = {
    "Districts": ("ONS Local Authority Districts, generalised clipped (via UK-GeoJSON)",
                  "December 2013", f"{ATTRIBUTION['ons']} {ATTRIBUTION['boundaries']}"),
    "Output Areas": ("ONS 2011 Output Areas, generalised clipped (via UK-GeoJSON); residents "
                     "placed at a point inside each OA (no population-weighted centroids); "
                     "urban or rural by the analysis's density rule (no Rural-Urban "
                     "Classification loaded)",
                     "2011 boundaries", f"{ATTRIBUTION['ons']} {ATTRIBUTION['boundaries']}"),
    "Population": ("ONS small-area population estimates by single year of age (via Libraries "
                   "Hacked england-librarydata)", "mid-2015", ATTRIBUTION["ons"]),
    "OA to LSOA lookup": ("ONS OA11-LSOA11-MSOA11-LAD17 lookup", "2011 / 2017",
                          ATTRIBUTION["ons"]),
    "Deprivation": ("English Indices of Deprivation 2019, File 2 (ranks and deciles by LSOA; "
                    "each OA takes its LSOA's decile)", "2019 (LSOA 2011)", ATTRIBUTION["imd"]),
    "Postcodes": ("OS Code-Point Open postcode unit centroids", "August 2014",
                  ATTRIBUTION["codepoint"]),
    "Libraries": ("Libraries Hacked public library data for Leicestershire, Leicester and "
                  "Rutland, placed at postcode centroids", "April 2025",
                  ATTRIBUTION["libraries"]),
}
TITLE = "Leicestershire community assets (real open data)"


@dataclass
class RealBuild:
    """What the build read and wrote, and how long it took."""

    path: Path
    counts: dict[str, int]
    reports: dict[str, ImportReport] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [f"{name}: {report.summary()}" for name, report in self.reports.items()]
        out += [f"  {note}" for note in self.notes]
        for name, report in self.reports.items():
            out += [f"warning: {name}: {warning}" for warning in report.warnings]
        written = ", ".join(f"{name} {n:,}" for name, n in self.counts.items())
        out.append(f"wrote {self.path} in {self.seconds:.1f} s: {written}")
        return out


def _files(source: Path) -> dict[str, Path]:
    paths = {name: source / relative for name, relative in REAL_FILES.items()}
    missing = [str(path) for path in paths.values() if not path.is_file()]
    if missing:
        raise DataError(
            f"{source}: the real data folder lacks {', '.join(missing)}; see its PROVENANCE.md "
            f"(the build needs every file listed in assetmap/sources/real.py)"
        )
    return paths


def _metadata(county: pd.Series, vintages: dict[str, str]) -> pd.DataFrame:
    rows = {
        "synthetic": "false",
        "title": TITLE,
        "attribution": "\n".join(ATTRIBUTION.values()),
        "county_code": str(county["code"]),
        "county_name": str(county["name"]),
    }
    rows.update({f"vintage:{g}": v for g, v in vintages.items()})
    rows.update({f"source:{name}": " | ".join(parts) for name, parts in _SOURCES.items()})
    return pd.DataFrame({"key": list(rows), "value": list(rows.values())})


def build_real(source: Path, out: Path, catalog: LayerCatalog, *,
               border_km: float = 5.0) -> RealBuild:
    """Build the real store at ``out`` from the files under ``source`` (see module doc)."""
    started = time.perf_counter()
    files = _files(source)
    build = RealBuild(out, {})
    county = read_boundaries(files["county"], "county")
    lads = read_boundaries(files["districts"], "districts")
    inside = districts_in(lads.table, county.table)
    districts = lads.table[inside].reset_index(drop=True)
    lads.report.skip("outside the county", int((~inside).sum()))
    lads.report.kept = len(districts)
    build.reports.update(county=county.report, districts=lads.report)
    build.notes.append(
        f"districts: kept the {len(districts)} inside {county.table['name'].iloc[0]}; left out "
        f"{', '.join(lads.table.loc[~inside, 'name'])} (outside the county)"
    )

    oas = read_boundaries(files["oa"], "oa", districts=districts)
    small, _ = small_areas_from_boundaries(oas)
    lookup, population, imd = (read_lookup(files["lookup"]),
                               read_population(files["population"]), read_imd(files["imd"]))
    for step, part in ((apply_lookup, lookup), (apply_population, population), (apply_imd, imd)):
        small, lines = step(small, part)
        build.notes += [f"small areas: {line}" for line in lines]
    build.reports.update(oa=oas.report, lookup=lookup.report, population=population.report,
                         imd=imd.report)
    stored = {"LAD": lads.report.vintage.split()[-1], "OA": "2011", "LSOA": "2011"}
    for name, part in (("lookup", lookup), ("population", population), ("imd", imd)):
        part.report.warnings += vintage_warnings(files[name].name, part.vintages, stored)

    postcodes = read_postcodes(files["postcodes"])
    build.reports["postcodes"] = ImportReport(
        "postcodes", postcodes.rows_read, len(postcodes.postcodes), postcodes.skipped
    )
    libraries = read_libraries(
        files["libraries"], districts=lads.table, postcodes=postcodes.postcodes,
        keep_districts=set(districts["code"]), border_m=border_km * 1000,
    )
    build.reports["libraries"] = libraries.report

    tables: dict[str, pd.DataFrame] = {
        "districts": typed_for_layer(districts, catalog["districts"]),
        "small_areas": typed_for_layer(small, catalog["small_areas"]),
        "postcodes": typed_for_layer(postcodes.postcodes, catalog["postcodes"]),
        "assets": typed_for_layer(libraries.assets, catalog["assets"]),
    }
    tables[METADATA_TABLE] = _metadata(county.table.iloc[0], stored)
    counts = write_geopackage(out, tables)
    build.counts = {name: n for name, n in counts.items() if name != METADATA_TABLE}
    build.seconds = time.perf_counter() - started
    return build

