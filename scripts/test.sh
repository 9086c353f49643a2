#!/usr/bin/env bash
# README command 2: install what is missing, build, run every test (unit, integration).
# Extra arguments go to ctest, e.g. scripts/test.sh -L integration
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd build
ctest -j"$(nproc)" --output-on-failure --timeout 300 "$@"
