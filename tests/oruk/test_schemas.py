"""The profile's schemas, read from its folder: its own examples pass, broken documents fail
with JSON paths in document order."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from assetmap.errors import ConfigError
from assetmap.oruk import DocumentKind, ProfileSchemas
from tests.oruk.conftest import example

EXAMPLES: list[tuple[str, DocumentKind]] = [
    ("service_full.json", "service"),
    ("service_list.json", "service_list"),
    ("organization_full.json", "organization"),
    ("organization_list.json", "organization_list"),
    ("taxonomy.json", "taxonomy"),
    ("taxonomy_list.json", "taxonomy_list"),
    ("taxonomy_term.json", "taxonomy_term"),
    ("taxonomy_term_list.json", "taxonomy_term_list"),
    ("service_at_location_full.json", "service_at_location"),
    ("service_at_location_list.json", "service_at_location_list"),
]


@pytest.mark.parametrize(("name", "kind"), EXAMPLES)
def test_the_profiles_own_examples_pass(schemas: ProfileSchemas, name: str,
                                        kind: DocumentKind) -> None:
    assert schemas.problems(kind, example(name)) == []


def test_a_broken_page_names_each_problem_by_its_json_path(schemas: ProfileSchemas) -> None:
    page = copy.deepcopy(example("service_list.json"))
    service = page["contents"][0]
    service["id"] = "not-a-uuid"
    del service["name"]
    service["status"] = "open"
    service["organization"]["website"] = "not a link"
    del page["total_pages"]
    lines = [p.line() for p in schemas.problems("service_list", page)]
    assert lines == [
        "$: 'total_pages' is a required property (a paginated list)",
        "$.contents[0]: 'name' is a required property",
        "$.contents[0].id: 'not-a-uuid' is not a 'uuid'",
        "$.contents[0].organization.website: 'not a link' is not a 'uri'",
        "$.contents[0].status: 'open' is not one of ['active', 'inactive', 'defunct', "
        "'temporarily closed']",
    ]


def test_a_taxonomy_term_without_description_fails_as_the_profile_says(
        schemas: ProfileSchemas) -> None:
    service = copy.deepcopy(example("service_full.json"))
    del service["attributes"][0]["taxonomy_term"]["description"]
    assert [p.line() for p in schemas.problems("service", service)] == [
        "$.attributes[0].taxonomy_term: 'description' is a required property"]


def test_relative_references_resolve_on_disk(schemas: ProfileSchemas) -> None:
    """taxonomy.json points at taxonomy_term.json beside it: its terms are checked too."""
    taxonomy = copy.deepcopy(example("taxonomy.json"))
    taxonomy["taxonomy_terms"][0]["id"] = 7
    assert [p.path for p in schemas.problems("taxonomy", taxonomy)] == [
        "$.taxonomy_terms[0].id"]


def test_first_failing_reports_only_the_first_bad_document(schemas: ProfileSchemas) -> None:
    good, bad = example("taxonomy_term.json"), {"id": "x"}
    found = schemas.first_failing([("taxonomy_term", good), ("taxonomy_term", bad),
                                   ("taxonomy", {})])
    assert [p.line() for p in found] == [
        "$: 'name' is a required property", "$: 'description' is a required property",
        "$.id: 'x' is not a 'uuid'"]
    assert schemas.first_failing([("taxonomy_term", good)]) == []


def test_a_folder_without_the_profile_is_refused_with_the_setting_to_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ASSETMAP_ORUK_SCHEMAS"):
        ProfileSchemas(tmp_path)
