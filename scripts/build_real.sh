#!/usr/bin/env bash
# One command: set up, build data/real.gpkg from the real Leicestershire open data, serve it.
# REAL_DATA overrides where the data is (default ../shared/data/real, see its PROVENANCE.md);
# extra arguments go to the server (scripts/build_real.sh --port 9000).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/assetmap build-real --from "${REAL_DATA:-../shared/data/real}" --out data/real.gpkg
exec .venv/bin/assetmap serve --store data/real.gpkg "$@"
