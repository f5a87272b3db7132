"""Who someone signed in at the council's identity provider is here, and with what role.

Two ways to a role, and nobody gets one otherwise:

- a configured claim (``ASSETMAP_OIDC_ROLE_CLAIM``, e.g. ``groups`` or ``roles``) carries a
  value the role map names (``ASSETMAP_OIDC_ROLES=officer:grp-communities,admin:grp-admins``);
- an admin linked their account to a user (``assetmap users link NAME --email …``), who then
  has that user's role for as long as the user is not revoked.

Where both apply the higher role wins. The provider's subject (``sub``) is what an account
is known by once seen; an email link is only followed while the provider says the address
is verified (or says nothing about it, as Entra ID does for its own accounts).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assetmap.errors import NotFound, ValidationFailed
from assetmap.register.audit import utc_now
from assetmap.register.users import ROLES, User, active_user
from assetmap.store.base import Record, Store

__all__ = [
    "IDENTITIES_TABLE",
    "identity_user",
    "link_identity",
    "parse_role_map",
    "role_from_claims",
]

IDENTITIES_TABLE = "assetmap_identities"


def parse_role_map(text: str) -> dict[str, str]:
    """``officer:grp-a,admin:grp-b`` -> ``{"grp-a": "officer", "grp-b": "admin"}``."""
    mapping: dict[str, str] = {}
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        role, _, value = entry.partition(":")
        role, value = role.strip(), value.strip()
        if role not in ROLES[1:] or not value:
            raise ValueError(
                f"{entry!r} is not ROLE:CLAIM-VALUE with ROLE one of {', '.join(ROLES[1:])}"
            )
        mapping[value] = role
    return mapping


def _values(claim: Any) -> list[str]:
    if isinstance(claim, str):
        return [claim]
    if isinstance(claim, list | tuple):
        return [str(value) for value in claim]
    return []


def role_from_claims(claims: Mapping[str, Any], claim: str, role_map: Mapping[str, str]) -> str:
    """The highest role the claim's values map to, or ``public``."""
    roles = [role_map[value] for value in _values(claims.get(claim)) if value in role_map]
    return max(roles, key=ROLES.index, default="public")


def _display_name(claims: Mapping[str, Any]) -> str:
    for key in ("email", "preferred_username", "upn"):
        value = claims.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:80]
    return f"oidc:{claims['sub']}"[:80]


def _linked(store: Store, issuer: str, claims: Mapping[str, Any]) -> Record | None:
    subject = str(claims["sub"])
    # A subject an admin linked by hand carries no issuer: one provider is configured at a time.
    rows = [
        row for row in store.records(IDENTITIES_TABLE, where={"subject": subject})
        if row["issuer"] in (issuer, None)
    ]
    email = claims.get("email")
    if not rows and isinstance(email, str) and claims.get("email_verified") is not False:
        rows = [
            row for row in store.records(IDENTITIES_TABLE, where={"email": email.lower()})
            if row["subject"] is None
        ]
        if rows:  # known by subject from now on: an address can later pass to someone else
            with store.transaction() as transaction:
                transaction.update_record(
                    IDENTITIES_TABLE, int(rows[0]["id"]), {"issuer": issuer, "subject": subject}
                )
    return rows[0] if rows else None


def identity_user(
    store: Store, issuer: str, claims: Mapping[str, Any], claim: str, role_map: Mapping[str, str]
) -> User | None:
    """The user these verified ID-token claims sign in as, or None: no access yet."""
    candidates: list[User] = []
    link = _linked(store, issuer, claims)
    if link is not None:
        linked = active_user(store, str(link["user_name"]))
        if linked is not None:
            candidates.append(linked)
    role = role_from_claims(claims, claim, role_map)
    if role != "public":
        name = candidates[0].name if candidates else _display_name(claims)
        candidates.append(User(name=name, role=role))
    return max(candidates, key=lambda user: ROLES.index(user.role), default=None)


def link_identity(store: Store, name: str, *, email: str | None, subject: str | None) -> None:
    """Tie an account at the identity provider (by email or subject) to the user ``name``."""
    if (email is None) == (subject is None):
        raise ValidationFailed("Give exactly one of an email address or a subject")
    if active_user(store, name) is None:
        raise NotFound(f"No active user called {name!r}; add them with `assetmap users add`")
    if email is not None and "@" not in email:
        raise ValidationFailed(f"{email!r} is not an email address")
    with store.transaction() as transaction:
        transaction.insert_record(IDENTITIES_TABLE, {
            "user_name": name, "issuer": None, "subject": subject,
            "email": email.lower() if email else None, "created_at": utc_now(),
        })
