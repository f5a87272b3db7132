#!/usr/bin/env bash
# A local PostGIS for the test suite: install Debian's PostgreSQL and PostGIS if missing,
# start a cluster on 127.0.0.1, create the role and database `assetmap_test` with the
# postgis extension, and print its URL (what ASSETMAP_TEST_POSTGIS_URL defaults to).
# Idempotent; runs as root or with sudo. Test-only credentials: assetmap/assetmap.
set -euo pipefail

ROLE=assetmap
PASSWORD=assetmap
DATABASE=assetmap_test
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

apt_install() {
  echo "postgis: installing Debian packages: $*" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

if ! command -v pg_lsclusters >/dev/null || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  apt_install postgresql
fi
# The PostGIS package must match the server's major version (15 on bookworm, 16 on noble…).
MAJOR=$(ls /usr/lib/postgresql | sort -n | tail -1)
if [ ! -f "/usr/share/postgresql/$MAJOR/extension/postgis.control" ]; then
  apt_install "postgresql-$MAJOR-postgis-3"
fi

# "online", "down" or empty (no cluster) for this major version's main cluster.
cluster() { pg_lsclusters -h | awk -v v="$MAJOR" -v f="$1" '$1 == v && $2 == "main" {print $f}'; }
if [ -z "$(cluster 4)" ]; then
  $SUDO pg_createcluster "$MAJOR" main >&2
fi
# /run is emptied on reboot in containers without systemd; the socket directory must exist.
$SUDO install -d -o postgres -g postgres -m 2775 /var/run/postgresql
case "$(cluster 4)" in
  online*) ;;
  *) $SUDO pg_ctlcluster "$MAJOR" main start >&2 ;;
esac
PORT=$(cluster 3)

psql_admin() {
  as_postgres psql -X -q -p "$PORT" -v ON_ERROR_STOP=1 "$@"
}
psql_admin -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD';
  END IF;
END \$\$;
SQL
if [ -z "$(psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" ]; then
  psql_admin -d postgres -c "CREATE DATABASE $DATABASE OWNER $ROLE" >&2
fi
psql_admin -d "$DATABASE" -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS postgis" >&2

echo "postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE"
