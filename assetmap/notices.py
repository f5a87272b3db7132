"""Moved to :mod:`assetmap.provenance`; this name stays until every caller has switched."""

from assetmap.provenance import NO_PARISHES, attribution_lines

__all__ = ["NO_PARISHES", "attribution_lines"]
