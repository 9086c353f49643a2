#!/usr/bin/env bash
# README command 2: install what is missing, build, run every test (unit, integration,
# stress at the CI count), then gdb's own testsuite (@server, both boards) against the stub
# (scripts/gdb-testsuite.sh). Extra arguments go to ctest and skip gdb's testsuite, e.g.
# scripts/test.sh -L integration; STUBBORN_SKIP_GDB_TESTSUITE=1 skips it too.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
(cd build && ctest -j"$(nproc)" --output-on-failure --timeout 300 "$@")
if [[ $# -eq 0 && "${STUBBORN_SKIP_GDB_TESTSUITE:-0}" != 1 ]]; then
  scripts/gdb-testsuite.sh build/stubborn
fi
