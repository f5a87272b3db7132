"""Build a store from the real Leicestershire open data (``assetmap build-real``).

Reads the files described in ``shared/data/real/PROVENANCE.md`` with the same
importers ``assetmap import`` uses and writes one new GeoPackage, all or
nothing:

- ``districts``: the LAD 2013 districts whose interior lies inside the county
  outline (E10000018): the 7 Leicestershire districts. Leicester and Rutland
  (unitary authorities, outside the county) are left out.
- ``small_areas``: the county's 2011 Output Areas with mid-2015 population, share
  aged 65+ (single-year ages), their LSOA (ONS lookup) and its IMD 2019 decile and
  rank, and ``urban`` from the ONS 2011 Rural-Urban Classification of its LSOA
  (C1/C2 urban; D1, E1 … rural). The population-weighted centroid is left
  empty: no centroid file is available, so the analysis places each OA's
  residents at a point inside it (``point_on_surface``), and says so.
- ``postcodes``: Code-Point Open 2014, every LLR postcode (so the finder works
  for people just over the county line too).
- ``assets``: public libraries. Those in the county's districts, plus libraries of
  neighbouring authorities within ``border_km`` of the county (residents cross
  authority lines, and the gap method counts the nearest hub anywhere); each
  carries the code of the authority it lies in.
- ``community_areas``: the ONS 2011 parish shapes (their codes and names were lost
  upstream: each is ``<district>-P<n>``, named where PROVENANCE.md verified its
  name and otherwise "Harborough parish 12 (name not known)", governance
  ``parish_type_unknown`` unless ``governance`` lists it) and the derived
  unparished areas, one per district that has one, each named after its town as
  PROVENANCE.md section 6 names it (``<district>-U1``, governance ``unparished``).
  Each Output Area and asset carries the code of the community area it lies in
  (:func:`assetmap.sources.boundaries.assign_community_areas`).
- ``places``: the 2013 electoral wards of the county's districts, each at a point
  inside it, for the finder's place search (ward names carry the towns:
  "Lutterworth Orchard", "Oadby Grange").
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import geopandas as gpd

from assetmap.errors import DataError
from assetmap.layers import LayerCatalog
from assetmap.sources import is_unnamed_area_label
from assetmap.sources.boundaries import (
    assign_community_areas,
    combine_community_areas,
    districts_in,
    read_boundaries,
    read_governance,
)
from assetmap.sources.checks import ImportReport, vintage_warnings
from assetmap.sources.importing import METADATA_TABLE, typed_for_layer
from assetmap.sources.libraries import read_libraries
from assetmap.sources.postcodes import read_postcodes
from assetmap.sources.small_areas import (
    apply_imd,
    apply_lookup,
    apply_population,
    apply_ruc,
    small_areas_from_boundaries,
)
from assetmap.sources.statistics import read_imd, read_lookup, read_population, read_ruc
from assetmap.store.gpkg_write import write_geopackage

__all__ = ["ATTRIBUTION", "REAL_FILES", "UNPARISHED_TOWNS", "RealBuild", "build_real"]

REAL_FILES = {
    "county": "boundaries/county_leicestershire_derived_from_lad13.geojson",
    "districts": "boundaries/lad13_leics_lei_rut.geojson",
    "parishes": "boundaries/parncp11_bgc_parished_leics_rut.geojson",
    "unparished": "boundaries/unparished_areas_2011_derived_leics_lei_rut.geojson",
    "wards": "boundaries/wards13_leics_lei_rut.geojson",
    "oa": "boundaries/oa11_leics_lei_rut.geojson",
    "lookup": "stats/oa11_lsoa11_msoa11_lad17_oac11_lookup_leics_lei_rut.csv",
    "population": "stats/oa11_population_mid2015_sya_leics_lei_rut.csv",
    "imd": "stats/imd2019_domains_lsoa11_leics_lei_rut.csv",
    "ruc": "stats/ruc11_lsoa11_leics_lei_rut.csv",
    "postcodes": "postcodes/codepoint_open_2014_leics_lei_rut.csv",
    "libraries": "facilities/public_libraries_leics_lei_rut_librarieshacked.csv",
}

# The licence lines PROVENANCE.md requires, one per source (the ONS/OS line's "[year]" is
# the boundaries' own, 2016, as the UK-GeoJSON readme states it).
ATTRIBUTION = {
    "ons": "Source: Office for National Statistics licensed under the Open Government Licence "
           "v3.0. Contains OS data © Crown copyright and database right 2016.",
    "parishes": "Source: Office for National Statistics licensed under the Open Government "
                "Licence v3.0. Contains OS data © Crown copyright and database right 2011.",
    "boundaries": "Boundaries: martinjc/UK-GeoJSON compilation © Martin Chorley, CC BY 4.0.",
    "codepoint": "Contains OS data © Crown copyright and database right 2014; Contains Royal "
                 "Mail data © Royal Mail copyright and database right 2014; Contains National "
                 "Statistics data © Crown copyright and database right 2014.",
    "imd": "English Indices of Deprivation 2019, MHCLG, Open Government Licence v3.0.",
    "ruc": "Rural-Urban Classification 2011: mySociety uk_ruc data package, CC BY 4.0.",
    "libraries": "Public libraries: Libraries Hacked (librarydata-db), from the DCMS "
                 "\"Public libraries in England\" basic dataset, Open Government Licence v3.0.",
}
# source:<name> = "detail | vintage | attribution", listed in every report.
_SOURCES = {
    "Districts": ("ONS Local Authority Districts, generalised clipped (via UK-GeoJSON)",
                  "December 2013", f"{ATTRIBUTION['ons']} {ATTRIBUTION['boundaries']}"),
    "Output Areas": ("ONS 2011 Output Areas, generalised clipped (via UK-GeoJSON); residents "
                     "placed at a point inside each OA (no population-weighted centroids); "
                     "urban or rural from the 2011 Rural-Urban Classification of its LSOA",
                     "2011 boundaries", f"{ATTRIBUTION['ons']} {ATTRIBUTION['boundaries']}"),
    "Parishes": ("ONS Parishes and Non Civil Parished Areas (Dec 2011) EW BGC, generalised "
                 "clipped (via henryjameslau/geoportal-boundaries-as-topojson); the source lost "
                 "each parish's code and name: 13 names verified by shape, the others shown as "
                 "\"<district> parish <n> (name not known)\"; some shapes are small parishes "
                 "grouped together; council types not known",
                 "December 2011", ATTRIBUTION["parishes"]),
    "Unparished areas": ("Derived: each district minus its parish shapes (one area per "
                         "district that has one, named after its town)", "2011 boundaries",
                         f"{ATTRIBUTION['parishes']} {ATTRIBUTION['ons']}"),
    "Population": ("ONS small-area population estimates by single year of age (via Libraries "
                   "Hacked england-librarydata)", "mid-2015", ATTRIBUTION["ons"]),
    "OA to LSOA lookup": ("ONS OA11-LSOA11-MSOA11-LAD17 lookup", "2011 / 2017",
                          ATTRIBUTION["ons"]),
    "Deprivation": ("English Indices of Deprivation 2019, File 2 (ranks and deciles by LSOA; "
                    "each OA takes its LSOA's decile)", "2019 (LSOA 2011)", ATTRIBUTION["imd"]),
    "Rural-Urban Classification": (
        "ONS 2011 Rural-Urban Classification of LSOAs (via mySociety uk_ruc); each OA takes "
        "its LSOA's class: urban (C1, C2) or rural (D1, D2, E1, E2)", "2011 (LSOA 2011)",
        f"{ATTRIBUTION['ruc']} Source: Office for National Statistics licensed under the Open "
        f"Government Licence v3.0."),
    "Wards": ("ONS electoral wards, generalised clipped (via UK-GeoJSON): names for the "
              "place search", "December 2013", f"{ATTRIBUTION['ons']} {ATTRIBUTION['boundaries']}"),
    "Postcodes": ("OS Code-Point Open postcode unit centroids", "August 2014",
                  ATTRIBUTION["codepoint"]),
    "Libraries": ("Libraries Hacked public library data for Leicestershire, Leicester and "
                  "Rutland, placed at postcode centroids", "April 2025",
                  ATTRIBUTION["libraries"]),
}
TITLE = "Leicestershire community assets (real open data)"
# PROVENANCE.md section 6: the town each district's unparished area is (Oadby and Wigston's is
# the whole district). Leicester's is the whole city, outside the county's districts.
UNPARISHED_TOWNS = {
    "E07000130": "Loughborough",
    "E07000131": "Market Harborough",
    "E07000132": "Hinckley",
    "E07000133": "Melton Mowbray",
    "E07000134": "Coalville",
    "E07000135": "Oadby and Wigston",
    "E06000016": "Leicester",
}
NOTICE = ("Parish shapes are the real ONS 2011 ones, but the source lost their names and "
          "codes: {unnamed:,} of {parishes:,} are shown as \"<district> parish <n> (name not "
          "known)\", and no parish's council type is known.")


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


def _metadata(county: pd.Series, vintages: dict[str, str], notice: str) -> pd.DataFrame:
    rows = {
        "synthetic": "false",
        "title": TITLE,
        "notice": notice,
        "attribution": "\n".join(ATTRIBUTION.values()),
        "county_code": str(county["code"]),
        "county_name": str(county["name"]),
    }
    rows.update({f"vintage:{g}": v for g, v in vintages.items()})
    rows.update({f"source:{name}": " | ".join(parts) for name, parts in _SOURCES.items()})
    return pd.DataFrame({"key": list(rows), "value": list(rows.values())})


def build_real(source: Path, out: Path, catalog: LayerCatalog, *,
               border_km: float = 5.0, governance: Path | None = None) -> RealBuild:
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

    areas, unnamed = _community_areas(files, districts, build, governance)

    stored = {"LAD": lads.report.vintage.split()[-1], "OA": "2011", "LSOA": "2011"}
    small = _small_areas(files, districts, build, stored)

    postcodes = read_postcodes(files["postcodes"])
    build.reports["postcodes"] = ImportReport(
        "postcodes", postcodes.rows_read, len(postcodes.postcodes), postcodes.skipped
    )
    libraries = read_libraries(
        files["libraries"], districts=lads.table, postcodes=postcodes.postcodes,
        keep_districts=set(districts["code"]), border_m=border_km * 1000,
    )
    build.reports["libraries"] = libraries.report

    places = _wards(files["wards"], districts, build)
    assets = libraries.assets.copy()
    parishes = _in_community_areas(small, assets, areas, unnamed, build)
    tables: dict[str, pd.DataFrame] = {
        "districts": typed_for_layer(districts, catalog["districts"]),
        "community_areas": typed_for_layer(areas, catalog["community_areas"]),
        "small_areas": typed_for_layer(small, catalog["small_areas"]),
        "postcodes": typed_for_layer(postcodes.postcodes, catalog["postcodes"]),
        "places": typed_for_layer(places, catalog["places"]),
        "assets": typed_for_layer(assets, catalog["assets"]),
    }
    stored["PARNCP"] = "2011"
    notice = NOTICE.format(unnamed=unnamed, parishes=parishes)
    tables[METADATA_TABLE] = _metadata(county.table.iloc[0], stored, notice)
    counts = write_geopackage(out, tables)
    build.counts = {name: n for name, n in counts.items() if name != METADATA_TABLE}
    build.seconds = time.perf_counter() - started
    return build


def _small_areas(files: dict[str, Path], districts: pd.DataFrame, build: RealBuild,
                 stored: dict[str, str]) -> gpd.GeoDataFrame:
    """The county's OAs with population, LSOA, IMD decile and urban or rural class."""
    oas = read_boundaries(files["oa"], "oa", districts=districts)
    small, _ = small_areas_from_boundaries(oas)
    lookup, population, imd = (read_lookup(files["lookup"]),
                               read_population(files["population"]), read_imd(files["imd"]))
    for step, part in ((apply_lookup, lookup), (apply_population, population), (apply_imd, imd)):
        small, lines = step(small, part)
        build.notes += [f"small areas: {line}" for line in lines]
    ruc = read_ruc(files["ruc"])
    small, lines = apply_ruc(small, ruc, stored, str(files["ruc"]))
    build.notes += [f"small areas: {line}" for line in lines]
    build.reports.update(oa=oas.report, lookup=lookup.report, population=population.report,
                         imd=imd.report, ruc=ruc.report)
    for name, part in (("lookup", lookup), ("population", population), ("imd", imd),
                       ("ruc", ruc)):
        part.report.warnings += vintage_warnings(files[name].name, part.vintages, stored)
    return small


def _in_community_areas(small: pd.DataFrame, assets: pd.DataFrame, areas: pd.DataFrame,
                        unnamed: int, build: RealBuild) -> int:
    """Give OAs and libraries their community area's code; returns the number of parishes."""
    small["community_area_code"] = assign_community_areas(small, areas)
    assets["community_area_code"] = assign_community_areas(assets, areas)
    parishes = int((areas["governance"] != "unparished").sum())
    build.notes.append(
        f"community areas: {len(areas) - parishes:,} unparished areas "
        f"({', '.join(areas.loc[areas['governance'] == 'unparished', 'name'])}), "
        f"{parishes:,} parishes ({parishes - unnamed:,} named); "
        f"{int(small['community_area_code'].notna().sum()):,} of {len(small):,} output areas "
        f"and {int(assets['community_area_code'].notna().sum()):,} of {len(assets):,} "
        f"libraries lie in one"
    )
    return parishes


def _wards(path: Path, districts: pd.DataFrame, build: RealBuild) -> gpd.GeoDataFrame:
    """The districts' wards as ``places`` (a point inside each) for the place search."""
    wards = read_boundaries(path, "wards", districts=districts)
    build.reports["wards"] = wards.report
    return gpd.GeoDataFrame(
        {"id": wards.table["code"], "name": wards.table["name"], "kind": "ward",
         "district_code": wards.table["district_code"], "source": "wards"},
        geometry=wards.table.geometry.representative_point(), crs=wards.table.crs)


def _community_areas(files: dict[str, Path], districts: pd.DataFrame, build: RealBuild,
                     governance: Path | None) -> tuple[pd.DataFrame, int]:
    """Parish shapes and unparished areas of the kept districts, and how many lack a name."""
    lookup = read_governance(governance) if governance is not None else None
    parishes = read_boundaries(files["parishes"], "parishes", districts=districts,
                               governance=lookup)
    unparished = read_boundaries(files["unparished"], "unparished", districts=districts)
    district = unparished.table["district_code"]
    towns = district.map(UNPARISHED_TOWNS).where(district.map(district.value_counts()) == 1)
    unparished.table["name"] = towns.where(towns.notna(), unparished.table["name"])
    unparished.report.warnings = [w for w in unparished.report.warnings
                                  if "no PARNCP codes" not in w]
    build.notes.append("unparished areas: no codes or names in the file; each is named after "
                       "its town as PROVENANCE.md section 6 names it, code <district>-U1")
    build.reports.update(parishes=parishes.report, unparished=unparished.report)
    areas = combine_community_areas([(files["parishes"], parishes.table),
                                     (files["unparished"], unparished.table)])
    unnamed = int(parishes.table["name"].map(is_unnamed_area_label).sum())
    return areas, unnamed
