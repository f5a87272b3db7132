"""Moved to :mod:`assetmap.exports`; this name stays until every caller has switched."""

from assetmap.exports import FORMATS, export_layer, resolve_format

__all__ = ["FORMATS", "export_layer", "resolve_format"]
