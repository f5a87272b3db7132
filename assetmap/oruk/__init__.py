"""Open Referral UK 3.0 (the UK profile of HSDS 3.0): publish the register, read other feeds.

* :mod:`~assetmap.oruk.build` makes HSDS documents (services, organisations, locations,
  taxonomy terms) from the register's records (:mod:`~assetmap.oruk.records`); each
  activity is a service, each asset it runs at a location.
* :mod:`~assetmap.oruk.directory` answers the API's questions (search, filters, pages)
  and :mod:`~assetmap.oruk.loading` reads it from the store, once per store version.
* :mod:`~assetmap.oruk.schemas` checks a document against the profile's own JSON
  schemas, read from a folder (``ASSETMAP_ORUK_SCHEMAS``), never copied into assetmap.
* :mod:`~assetmap.oruk.schedules` turns ``opening_hours`` into HSDS schedules and back.
"""

from assetmap.oruk.directory import TAXONOMIES, Directory, ServiceQuery
from assetmap.oruk.ids import oruk_id
from assetmap.oruk.loading import DirectoryCache, load_directory
from assetmap.oruk.schemas import DocumentKind, ProfileSchemas, SchemaProblem

__all__ = [
    "PROFILE_OPENAPI_URL",
    "PROFILE_URL",
    "TAXONOMIES",
    "VERSION",
    "Directory",
    "DirectoryCache",
    "DocumentKind",
    "ProfileSchemas",
    "SchemaProblem",
    "ServiceQuery",
    "load_directory",
    "oruk_id",
    "root_document",
]

# What the ORUK validator reads from GET / to choose the profile it checks against.
VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
PROFILE_OPENAPI_URL = (
    "https://raw.githubusercontent.com/OpenReferralUK/uk-profile/main/schema/openapi.json"
)


def root_document() -> dict[str, str]:
    """``GET /oruk/``: which HSDS profile this API follows, and where its OpenAPI lives."""
    return {"version": VERSION, "profile": PROFILE_URL, "openapi_url": PROFILE_OPENAPI_URL}
