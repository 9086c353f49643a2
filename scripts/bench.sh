#!/usr/bin/env bash
# Benchmarks stubborn against /usr/bin/gdbserver with real gdb, side by side in one run.
# Usage: scripts/bench.sh [--runs N] [--only WORKLOAD...]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
BUILD_TYPE=Release scripts/build.sh >/dev/null
exec python3 scripts/bench.py "$@"
