"""Users: tokens shown once and stored hashed; revoking stops them working."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assetmap.cli import main
from assetmap.errors import NotFound, ValidationFailed
from assetmap.register.sessions import start_session
from assetmap.register.users import User, add_user, authenticate, list_users, revoke_user
from assetmap.store import open_store


def test_a_token_signs_in_its_user_and_is_never_stored(tiny_gpkg: Path) -> None:
    store = open_store(str(tiny_gpkg))
    token = add_user(store, "olive.officer", "officer")
    user = authenticate(store, token)
    assert user is not None and (user.name, user.role) == ("olive.officer", "officer")
    assert user.can("officer") and not user.can("admin")
    with sqlite3.connect(tiny_gpkg) as connection:
        dump = "\n".join(connection.iterdump())
    assert token not in dump and token[3:] not in dump
    assert all("token_hash" not in row for row in list_users(store))


def test_revoked_tokens_stop_working_and_names_are_checked(tiny_gpkg: Path) -> None:
    store = open_store(str(tiny_gpkg))
    token = add_user(store, "adam", "admin")
    with pytest.raises(ValidationFailed, match="already exists"):
        add_user(store, "adam", "officer")
    revoke_user(store, "adam")
    assert authenticate(store, token) is None
    with pytest.raises(NotFound):
        revoke_user(store, "adam")
    with pytest.raises(ValidationFailed, match="not allowed"):
        add_user(store, "<script>", "officer")
    with pytest.raises(ValidationFailed, match="Role"):
        add_user(store, "eve", "superuser")
    assert add_user(store, "adam", "officer") != token  # a new token after revoking


def test_users_cli_round_trip(tiny_gpkg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["users", "add", "j.smith", "--role", "officer", "--store", str(tiny_gpkg)]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert authenticate(open_store(str(tiny_gpkg)), token) is not None
    assert main(["users", "list", "--store", str(tiny_gpkg)]) == 0
    assert "j.smith\tofficer" in capsys.readouterr().out
    start_session(open_store(str(tiny_gpkg)), User("j.smith", "officer"), hours=1, via="token")
    assert main(["users", "list", "--store", str(tiny_gpkg)]) == 0
    assert "active\t1 signed-in session(s)" in capsys.readouterr().out
    assert main(["users", "revoke", "j.smith", "--store", str(tiny_gpkg)]) == 0
    assert main(["users", "revoke", "j.smith", "--store", str(tiny_gpkg)]) == 2
    assert "No active user" in capsys.readouterr().err


def test_users_link_ties_a_provider_account_to_a_user(
    tiny_gpkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tiny_gpkg)
    assert main(["users", "add", "j.smith", "--store", store]) == 0
    assert main(["users", "link", "j.smith", "--email", "J.Smith@council.example",
                 "--store", store]) == 0
    assert "linked J.Smith@council.example to j.smith" in capsys.readouterr().out
    (link,) = open_store(store).records("assetmap_identities")
    assert (link["user_name"], link["email"], link["subject"]) == (
        "j.smith", "j.smith@council.example", None)
    assert main(["users", "link", "nobody", "--subject", "abc", "--store", store]) == 2
    assert "No active user called 'nobody'" in capsys.readouterr().err
