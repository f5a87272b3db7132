"""Importers for real open data (postcodes now; ONS, OSM and census next)."""
