"""Download a county's open data from public endpoints: ``assetmap fetch``.

``fetch_county`` reads the endpoints file (``endpoints.yaml`` here, or
``--endpoints FILE``), downloads ONS boundaries and lookups (ArcGIS REST),
Nomis population, IMD 2019, Libraries Hacked and OpenStreetMap data, and writes
them with a ``manifest.json`` into one folder, all or nothing.
"""

from assetmap.sources.fetch.cache import default_cache_dir
from assetmap.sources.fetch.endpoints import DEFAULT_ENDPOINTS, Endpoints, load_endpoints
from assetmap.sources.fetch.errors import FetchError, OfflineError
from assetmap.sources.fetch.pipeline import MANIFEST, FetchedFile, FetchSummary, fetch_county

__all__ = [
    "DEFAULT_ENDPOINTS",
    "MANIFEST",
    "Endpoints",
    "FetchError",
    "FetchSummary",
    "FetchedFile",
    "OfflineError",
    "default_cache_dir",
    "fetch_county",
    "load_endpoints",
]
