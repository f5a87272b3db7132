"""Moved to :mod:`assetmap.formats.geojson`; this name stays until every caller has switched."""

from assetmap.formats.geojson import feature, feature_collection, plain_columns, plain_records

__all__ = ["feature", "feature_collection", "plain_columns", "plain_records"]
