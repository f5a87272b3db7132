#!/usr/bin/env bash
# Set up assetmap in ./.venv on a fresh machine (Python 3.11+, pip, apt).
#   scripts/setup.sh          the service
#   scripts/setup.sh --test   plus test tools and Debian's Chromium for browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

apt_install() {
  echo "setup: installing Debian packages: $*"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    apt_install python3-venv
    "$PYTHON" -m venv .venv
  fi
fi

# PDF reports are drawn by WeasyPrint, which needs Pango and a font from Debian.
if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0.so.0 || [ ! -d /usr/share/fonts/truetype/dejavu ]; then
  apt_install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
fi

.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
  if [ ! -x /usr/bin/chromium ]; then
    apt_install chromium chromium-driver
  fi
  # GDAL's ogrinfo/ogr2ogr: a real OGC API – Features client for the /ogc tests.
  if ! command -v ogrinfo >/dev/null 2>&1; then
    apt_install gdal-bin
  fi
  # PostgreSQL with PostGIS on 127.0.0.1 for the PostGIS store tests.
  POSTGIS_URL=$(scripts/postgis.sh)
  echo "$POSTGIS_URL" > .venv/assetmap-test-postgis-url
  echo "setup: PostGIS test database at ${POSTGIS_URL/:assetmap@/@}"
else
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
fi

# The bundled sample is committed; regenerate it only if it is missing.
if [ ! -f data/sample.gpkg ]; then
  .venv/bin/assetmap sample
fi
echo "setup: ready (.venv)"
