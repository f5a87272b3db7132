"""Importers for real open data (ONS boundaries and statistics, postcodes, libraries, …).

Light on purpose (the command line imports it to build its parser); the readers
live in the submodules.
"""

# Council types of an E04 civil parish; E43 non-civil-parished areas are "unparished".
GOVERNANCE_TYPES = ("town_council", "parish_council", "parish_meeting")

# `assetmap import KIND`: what each kind reads (assetmap.sources.importing does it; libraries,
# being assets, go through assetmap.register.imports.libraries).
IMPORT_KIND_HELP = {
    "districts": "district boundaries (LADyyCD, LADyyNM)",
    "county": "the county boundary (CTYyyCD / CTYUAyyCD), kept as metadata",
    "parishes": "parishes (E04) and unparished areas (E43): PARNCPyyCD / PARyyCD",
    "oa": "Output Area boundaries (OAyyCD) as small areas",
    "lsoa": "LSOA boundaries (LSOAyyCD) as small areas",
    "population": "population by OA or LSOA (All Ages, age_0…age_90)",
    "imd": "IMD 2019 deciles and ranks by LSOA",
    "lookup": "OA → LSOA → district lookup",
    "libraries": "public libraries (Libraries Hacked schema) as assets",
}
