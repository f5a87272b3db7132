"""assetmap: map community assets and find where people are short of a place to meet."""

__version__ = "0.1.0"

__all__ = ["__version__"]
