"""Roles for people signed in at the council's identity provider: from a claim, or from an
admin's link to a user; nobody else gets one. On both backends where the store is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from assetmap.api import create_app
from assetmap.config import Settings
from assetmap.errors import ConfigError
from assetmap.register.identities import (
    identity_user,
    link_identity,
    parse_role_map,
    role_from_claims,
)
from assetmap.register.users import User, add_user, revoke_user
from assetmap.store import open_store

ROLE_MAP = parse_role_map("officer:grp-communities, admin:grp-admins,officer:grp-libraries")
ISSUER = "https://login.council.example"


def test_the_role_map_reads_and_refuses_what_it_cannot() -> None:
    assert ROLE_MAP == {"grp-communities": "officer", "grp-admins": "admin",
                        "grp-libraries": "officer"}
    assert parse_role_map("") == {}
    for bad in ("officer", "superuser:grp-x", "officer:"):
        with pytest.raises(ValueError, match="ROLE:CLAIM-VALUE"):
            parse_role_map(bad)


def test_a_bad_role_map_stops_the_app_starting_with_the_setting_named(tiny_gpkg: Path) -> None:
    settings = Settings(store=str(tiny_gpkg), oidc_issuer=ISSUER, oidc_client_id="x",
                        oidc_roles="boss:grp-x")
    with pytest.raises(ConfigError, match="ASSETMAP_OIDC_ROLES"):
        create_app(settings)


def test_the_highest_mapped_claim_value_wins() -> None:
    both = {"groups": ["grp-libraries", "grp-admins"]}
    assert role_from_claims(both, "groups", ROLE_MAP) == "admin"
    assert role_from_claims({"roles": "grp-communities"}, "roles", ROLE_MAP) == "officer"
    assert role_from_claims({"groups": ["grp-finance"]}, "groups", ROLE_MAP) == "public"
    assert role_from_claims({}, "groups", ROLE_MAP) == "public"


def test_links_give_a_users_role_while_the_user_is_active(store_location: str) -> None:
    store = open_store(store_location)
    add_user(store, "b.brown", "admin")
    link_identity(store, "b.brown", email="bob@council.example", subject=None)
    bob = {"sub": "s-bob", "email": "bob@council.example"}
    assert identity_user(store, ISSUER, bob, "groups", ROLE_MAP) == User("b.brown", "admin")
    # An unverified address does not follow a link; once known by subject, the address no
    # longer matters.
    mallory = {"sub": "s-mallory", "email": "bob@council.example", "email_verified": False}
    assert identity_user(store, ISSUER, mallory, "groups", ROLE_MAP) is None
    moved = {"sub": "s-bob", "email": "robert@council.example"}
    assert identity_user(store, ISSUER, moved, "groups", ROLE_MAP) == User("b.brown", "admin")
    revoke_user(store, "b.brown")
    assert identity_user(store, ISSUER, bob, "groups", ROLE_MAP) is None
    store.close()


def test_claims_alone_sign_in_under_the_persons_address(store_location: str) -> None:
    store = open_store(store_location)
    claims = {"sub": "s-1", "email": "amy@council.example", "groups": ["grp-communities"]}
    assert identity_user(store, ISSUER, claims, "groups", ROLE_MAP) == User(
        "amy@council.example", "officer")
    assert identity_user(store, ISSUER, {"sub": "s-2"}, "groups", ROLE_MAP) is None
    store.close()
