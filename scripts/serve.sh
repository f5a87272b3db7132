#!/usr/bin/env bash
# One command: set up, then serve the officer map on the bundled synthetic sample.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/assetmap serve "$@"
