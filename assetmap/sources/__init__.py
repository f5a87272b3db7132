"""Importers for real open data (ONS boundaries and statistics, postcodes, libraries, …).

Light on purpose (the command line imports it to build its parser); the readers
live in the submodules.
"""

# Council types of an E04 civil parish; E43 non-civil-parished areas are "unparished".
GOVERNANCE_TYPES = ("town_council", "parish_council", "parish_meeting")
# A parish whose council type the data does not give (e.g. parish shapes without codes or a
# parish-type table): parished, so not in the unparished focus, but never guessed as a type.
PARISH_TYPE_UNKNOWN = "parish_type_unknown"


def unnamed_area_label(kind: str, district: str, number: int, *, several: bool = True) -> str:
    """What a community area whose source gives no name is called: honest, never invented.

    ``kind`` is ``parish`` or ``unparished``; ``district`` the district's name;
    ``number`` its place among its district's shapes in the source (1, 2, …).
    """
    if kind == "unparished":
        return f"Unparished area of {district}" + (f" {number}" if several else "")
    return f"{district} parish {number} (name not known)"


def is_unnamed_area_label(name: str) -> bool:
    """True for a name :func:`unnamed_area_label` made (a place search must not offer it)."""
    text = name.strip()
    return text.startswith("Unparished area of ") or text.endswith(" (name not known)")

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
    "ruc": "ONS Rural-Urban Classification (RUCyyCD) by OA or LSOA: urban or rural",
    "places": "place names for the finder: ONS Index of Place Names or OS Open Names CSV",
    "libraries": "public libraries (Libraries Hacked schema) as assets",
}
