#!/usr/bin/env bash
# Benchmarks stubborn against /usr/bin/gdbserver with real gdb, side by side in one run.
# Usage: scripts/bench.sh [--runs N] [--only WORKLOAD...]
# BUILD_DIR=DIR builds into DIR instead of build/ (which this turns into a Release build).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build="${BUILD_DIR:-build}"
# Only what the bench runs, Release (-O2, see CMakeLists.txt), and no -Werror: warnings are
# CI's business (scripts/test.sh), a benchmark should not stop on one.
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSTUBBORN_WERROR=OFF >/dev/null
targets=(stubborn bench_inferiors)
if command -v go >/dev/null; then targets+=(go_inferiors); fi
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}" >/dev/null
exec python3 scripts/bench.py --stub "$build/stubborn" --inferiors "$build/tests/inferiors/bench" \
  --go-inferiors "$build/tests/inferiors/go" "$@"
