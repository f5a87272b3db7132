"""File formats as bytes: no store, no HTTP.

* :mod:`assetmap.formats.csv`: Excel-safe cells and CSV bytes (UTF-8 with BOM, CRLF).
* :mod:`assetmap.formats.gpkg`: GeoPackage bytes (always GeoPackage 1.2).
* :mod:`assetmap.formats.geojson`: GeoJSON text in EPSG:4326.
* :mod:`assetmap.formats.files`: writing files all or nothing.
"""
