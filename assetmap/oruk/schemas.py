"""Check documents against the Open Referral UK 3.0 profile's own JSON schemas.

The schemas are not shipped with assetmap: :class:`ProfileSchemas` reads them from a
folder holding the profile (``OpenReferralUK/uk-profile``: ``schema/*.json``,
``schema/compiled/*.json`` and ``schema/openapi.json``; the setting
``ASSETMAP_ORUK_SCHEMAS``). Each file is registered under the address the profile's
``openapi.json`` uses for it, so the paginated list schemas come from the OpenAPI
document itself (``Page`` with ``contents`` of ``service_list.json`` …) and a relative
``$ref`` such as ``taxonomy_term.json`` resolves to its neighbour on disk, never online.

Formats are checked, not just annotated: ids are UUIDs, ``uri`` fields are absolute
links, dates and date-times parse.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from assetmap.errors import ConfigError

__all__ = ["PROFILE_BASE", "DocumentKind", "ProfileSchemas", "SchemaProblem"]

# Where the profile's openapi.json says its schemas live; local files are registered here.
PROFILE_BASE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
_OPENAPI = PROFILE_BASE + "openapi.json"

DocumentKind = Literal[
    "root", "service", "service_list", "organization", "organization_list", "taxonomy",
    "taxonomy_list", "taxonomy_term", "taxonomy_term_list", "service_at_location",
    "service_at_location_list", "phone",
]

# A single document: its schema file. A page: the OpenAPI path whose 200 response it is.
_FILES: dict[str, str] = {
    "service": "compiled/service.json",
    "organization": "compiled/organization.json",
    "service_at_location": "compiled/service_at_location.json",
    "taxonomy": "taxonomy.json",
    "taxonomy_term": "taxonomy_term.json",
    "phone": "phone.json",  # HSDS 3.0 service.phones: the UK profile keeps the table
}
_PATHS: dict[str, str] = {
    "root": "/",
    "service_list": "/services",
    "taxonomy_list": "/taxonomies",
    "taxonomy_term_list": "/taxonomy_terms",
    "service_at_location_list": "/service_at_locations",
}
# The profile's OpenAPI document has no /organizations; its list item schema is compiled.
_ORGANIZATION_PAGE = {
    "allOf": [{"$ref": _OPENAPI + "#/components/schemas/Page"}],
    "properties": {"contents": {"type": "array", "items": {
        "$ref": PROFILE_BASE + "compiled/organization_list.json"}}},
}
_PAGE_FIELDS = ("total_items", "total_pages", "page_number", "size", "first_page",
                "last_page", "empty", "contents")


@dataclass(frozen=True)
class SchemaProblem:
    """One way a document breaks the profile: where (a JSON path) and what."""

    path: str  # "$.contents[0].organization.id"
    message: str

    def line(self) -> str:
        return f"{self.path}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "problem": self.message}


def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    if not parts.scheme or " " in value:
        return False
    return bool(parts.netloc) if parts.scheme in ("http", "https") else True


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value or " " in value


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _format_checker() -> FormatChecker:
    checker = FormatChecker()  # uuid, email, date … as jsonschema checks them
    checker.checks("uri")(_is_uri)
    checker.checks("date-time")(_is_date_time)
    checker.checks("datetime")(_is_date_time)  # the profile spells it both ways
    checker.checks("date")(_is_date)
    return checker


def _path_key(error: ValidationError) -> tuple[tuple[int, str], ...]:
    """Document order: ``contents[2]`` before ``contents[10]``."""
    return tuple((0, f"{p:09d}") if isinstance(p, int) else (1, str(p))
                 for p in error.absolute_path)


class ProfileSchemas:
    """The profile's schemas from ``folder`` (the profile root or its ``schema/`` folder)."""

    def __init__(self, folder: Path | str) -> None:
        root = Path(folder)
        schema_dir = root / "schema" if (root / "schema").is_dir() else root
        if not (schema_dir / "openapi.json").is_file() or not (schema_dir / "compiled").is_dir():
            raise ConfigError(
                f"{root} does not hold the Open Referral UK profile's schemas "
                "(schema/openapi.json and schema/compiled/): point ASSETMAP_ORUK_SCHEMAS at a "
                "copy of https://github.com/OpenReferralUK/uk-profile"
            )
        self.folder = schema_dir
        self._checker = _format_checker()

    @cached_property
    def _registry(self) -> Registry[Any]:
        resources = []
        for path in sorted(self.folder.rglob("*.json")):
            contents = json.loads(path.read_text(encoding="utf-8"))
            uri = PROFILE_BASE + path.relative_to(self.folder).as_posix()
            resources.append((uri, DRAFT202012.create_resource(contents)))
        registry: Registry[Any] = Registry().with_resources(resources)
        return registry

    @cached_property
    def _validators(self) -> dict[str, Draft202012Validator]:
        schemas: dict[str, dict[str, Any]] = {
            kind: {"$ref": PROFILE_BASE + name} for kind, name in _FILES.items()
        }
        for kind, api_path in _PATHS.items():
            pointer = api_path.replace("~", "~0").replace("/", "~1")
            schemas[kind] = {"$ref": f"{_OPENAPI}#/paths/{pointer}/get/responses/200/content/"
                                     "application~1json/schema"}
        schemas["organization_list"] = _ORGANIZATION_PAGE
        return {kind: Draft202012Validator(schema, registry=self._registry,
                                           format_checker=self._checker)
                for kind, schema in schemas.items()}

    def problems(self, kind: DocumentKind, document: Any, *, limit: int = 20
                 ) -> list[SchemaProblem]:
        """Up to ``limit`` problems with ``document`` as a ``kind``, in document order."""
        found: list[SchemaProblem] = []
        if kind.endswith("_list"):
            found.extend(_page_problems(document))
        errors = sorted(self._validators[kind].iter_errors(document), key=_path_key)
        found.extend(SchemaProblem(e.json_path, e.message) for e in errors)
        return found[:limit]

    def first_failing(self, documents: Iterable[tuple[DocumentKind, Any]]
                      ) -> list[SchemaProblem]:
        """The problems of the first document that breaks the profile (none: all pass)."""
        for kind, document in documents:
            found = self.problems(kind, document)
            if found:
                return found
        return []


def _page_problems(document: Any) -> list[SchemaProblem]:
    """The profile's ``Page`` names the fields but requires none; HSDS's API requires them."""
    if not isinstance(document, dict):
        return []  # the schema says "is not of type 'object'"
    return [SchemaProblem("$", f"{name!r} is a required property (a paginated list)")
            for name in _PAGE_FIELDS if name not in document]
