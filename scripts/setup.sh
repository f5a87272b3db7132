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

.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
  if [ ! -x /usr/bin/chromium ]; then
    apt_install chromium chromium-driver fonts-dejavu-core
  fi
else
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
fi

# The bundled sample is committed; regenerate it only if it is missing.
if [ ! -f data/sample.gpkg ]; then
  .venv/bin/assetmap sample
fi
echo "setup: ready (.venv)"
