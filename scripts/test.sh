#!/usr/bin/env bash
# One command: set up (with test tools and Chromium), lint, type-check, check the import layers
# and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/lint-imports --no-cache
exec .venv/bin/python -m pytest "$@"
