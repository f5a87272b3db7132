"""Folium maps built from layer declarations; builders return maps, never write files."""

from assetmap.maps.officer import OfficerMapInputs, build_officer_map, render_officer_page

__all__ = ["OfficerMapInputs", "build_officer_map", "render_officer_page"]
