"""docker-compose.yml: PostGIS seeded from the sample, then the service (no Docker needed)."""

from __future__ import annotations

import re
import shlex
from typing import Any

import yaml
from psycopg.conninfo import conninfo_to_dict

from assetmap.config import PROJECT_ROOT

_DEFAULTED = re.compile(r"\$\{(\w+):-([^}]*)\}")


def compose() -> dict[str, Any]:
    """The compose file with ``${VAR:-default}`` filled by its defaults, as compose would."""
    text = (PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    parsed: dict[str, Any] = yaml.safe_load(_DEFAULTED.sub(lambda m: m.group(2), text))
    return parsed


def test_app_waits_for_a_healthy_postgis() -> None:
    services = compose()["services"]
    assert set(services) == {"db", "app"}
    db, app = services["db"], services["app"]
    assert db["image"].startswith("postgis/postgis:15-")
    assert "pg_isready" in db["healthcheck"]["test"]
    assert app["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert app["build"] == "."


def test_app_store_url_matches_the_database() -> None:
    services = compose()["services"]
    db_env, url = services["db"]["environment"], services["app"]["environment"]["ASSETMAP_STORE"]
    target = conninfo_to_dict(url)
    assert url.startswith("postgresql://")
    assert target["host"] == "db"  # the service name
    assert (target["user"], target["password"], target["dbname"]) == (
        db_env["POSTGRES_USER"], db_env["POSTGRES_PASSWORD"], db_env["POSTGRES_DB"]
    )


def test_app_seeds_the_database_once_then_serves_on_all_interfaces() -> None:
    command = compose()["services"]["app"]["command"]
    assert command[:2] == ["sh", "-c"]
    seed, serve = command[2].split("&&")
    assert shlex.split(seed) == ["assetmap", "copy", "data/sample.gpkg", "$$ASSETMAP_STORE",
                                 "--if-empty"]
    assert shlex.split(serve)[:4] == ["exec", "assetmap", "serve", "--host"]
    assert "0.0.0.0" in serve
    # The image holds the sample the command copies from.
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "COPY data ./data" in dockerfile and "WORKDIR /app" in dockerfile
