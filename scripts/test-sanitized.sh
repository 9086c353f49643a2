#!/usr/bin/env bash
# The whole ctest suite (unit, integration, stress at the CI count) against a stub and unit
# tests built with AddressSanitizer + UndefinedBehaviorSanitizer, in build-sanitized/.
# Stress scenarios run STUBBORN_STRESS_RUNS times (default here 1: the normal build's runs
# cover the races; this one covers the code), without the gdbserver comparisons. Every
# report is fatal and also written under build-sanitized/reports/: the run fails if any
# report exists at the end, even one from a stub whose exit status no test looked at.
#
#   scripts/test-sanitized.sh [ctest args]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
dir=build-sanitized
export STUBBORN_STRESS_RUNS=${STUBBORN_STRESS_RUNS:-1}
# Go inferiors are left out (STUBBORN_GO=OFF): their build and tests exercise the same stub
# code as the C programs' and would cost CI a second Go toolchain cache (about a minute).
cmake -S . -B "$dir" -DSTUBBORN_WERROR=ON -DCMAKE_BUILD_TYPE=Debug -DSTUBBORN_GO=OFF \
      -DSTUBBORN_SANITIZE=address,undefined -DSTUBBORN_COMPARE_WITH_GDBSERVER=OFF >/dev/null
cmake --build "$dir" -j"$(nproc)"
reports=$(readlink -f "$dir")/reports
rm -rf "$reports" && mkdir -p "$reports"
export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1"
status=0
(cd "$dir" && ctest -j"$(nproc)" --output-on-failure --timeout 300 "$@") || status=$?
if compgen -G "$reports/*" >/dev/null; then
  echo "sanitizer reports:" >&2
  for f in "$reports"/*; do echo "== $f" >&2; cat "$f" >&2; done
  status=1
fi
exit $status
