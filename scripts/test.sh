#!/usr/bin/env bash
# README command 2: install what is missing, build, run every test (unit, integration,
# stress at the CI count), then gdb's own testsuite (@server, both boards) against the stub
# (scripts/gdb-testsuite.sh), then the stub's tests under ASan+UBSan
# (scripts/test-sanitized.sh) and a minute of fuzzing (scripts/fuzz.sh). Extra arguments go
# to ctest and skip the rest, e.g. scripts/test.sh -L integration;
# STUBBORN_SKIP_GDB_TESTSUITE=1 / STUBBORN_SKIP_SANITIZED=1 skip those parts.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
(cd build && ctest -j"$(nproc)" --output-on-failure --timeout 300 "$@")
if [[ $# -eq 0 && "${STUBBORN_SKIP_GDB_TESTSUITE:-0}" != 1 ]]; then
  scripts/gdb-testsuite.sh build/stubborn
fi
if [[ $# -eq 0 && "${STUBBORN_SKIP_SANITIZED:-0}" != 1 ]]; then
  # The stub's unit and integration tests again under ASan+UBSan (gdbserver's reference
  # runs skipped: they would test gdbserver; the stress loops skipped: the normal build's
  # runs cover the races, and CI's 20 minutes do not fit both), then the protocol fuzzer
  # for a bounded minute.
  scripts/test-sanitized.sh -LE "gdbserver|stress"
  scripts/fuzz.sh 60
fi
