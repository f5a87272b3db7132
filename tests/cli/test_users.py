"""``assetmap users add --role steward`` and ``users steward``: stewards and what they steward
from the command line; a wrong id or option is one error line, exit 2, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from assetmap.cli import main
from assetmap.register.stewardship import stewarded_by
from assetmap.register.users import active_user, authenticate
from assetmap.store import open_store


def test_a_steward_is_added_with_what_they_steward_and_reassigned(
    tiny_gpkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tiny_gpkg)
    assert main(["users", "add", "hall.committee", "--role", "steward", "--assets", "A1, A2",
                 "--organisations", "O1", "--email", "hall@example.org", "--store", store]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    user = authenticate(open_store(store), token)
    assert user is not None and (user.role, user.email) == ("steward", "hall@example.org")
    held = stewarded_by(open_store(store), "hall.committee")
    assert (set(held.assets), set(held.organisations)) == ({"A1", "A2"}, {"O1"})
    assert main(["users", "list", "--store", store]) == 0
    assert ("hall.committee\tsteward\thall@example.org" in (out := capsys.readouterr().out)
            and "assets A1,A2\torganisations O1" in out)
    assert main(["users", "steward", "hall.committee", "--assets", "A3", "--email",
                 "chair@example.org", "--store", store]) == 0
    assert "stewards assets: A3; organisations: O1" in capsys.readouterr().out
    assert stewarded_by(open_store(store), "hall.committee").assets == {"A3"}
    again = active_user(open_store(store), "hall.committee")
    assert again is not None and again.email == "chair@example.org"
    assert main(["users", "steward", "hall.committee", "--organisations", "",
                 "--store", store]) == 0
    assert "organisations: none" in capsys.readouterr().out


@pytest.mark.parametrize(("arguments", "mentions"), [
    (["add", "hall", "--role", "steward", "--assets", "A1,A99"], "No assets with id 'A99'"),
    (["add", "hall", "--role", "steward", "--email", "hall-at-example"], "not an email address"),
    (["add", "olive", "--role", "officer", "--assets", "A1"], "are for stewards"),
    (["steward", "hall"], "Nothing to change"),
    (["steward", "nobody", "--assets", "A1"], "No active user called 'nobody'"),
])
def test_bad_steward_commands_name_the_problem_and_write_nothing(
    tiny_gpkg: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], mentions: str
) -> None:
    assert main(["users", *arguments, "--store", str(tiny_gpkg)]) == 2
    assert mentions in capsys.readouterr().err
    assert open_store(str(tiny_gpkg)).records("assetmap_users") == []
    assert open_store(str(tiny_gpkg)).records("assetmap_stewardships") == []
