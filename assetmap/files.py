"""Moved to :mod:`assetmap.formats.files`; this name stays until every caller has switched."""

from assetmap.formats.files import write_atomically, write_files

__all__ = ["write_atomically", "write_files"]
