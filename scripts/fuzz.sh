#!/usr/bin/env bash
# Fuzzes rsp::Session (tests/fuzz) for SECONDS (default 60) with libFuzzer, one job.
# Builds build-fuzz/ with clang-14, starts from a copy of the checked-in seed corpus
# (tests/fuzz/corpus is never written), and exits non-zero on any crash, leak or timeout,
# printing the reproducer. Extra arguments go to the fuzzer.
#   usage: scripts/fuzz.sh [SECONDS] [libFuzzer flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
[[ $# -gt 0 ]] && shift

scripts/install-deps.sh # clang-14 and libclang-rt-14-dev among them

build=build-fuzz
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTUBBORN_FUZZ=ON -DSTUBBORN_WERROR=ON >/dev/null
cmake --build "$build" --target session_fuzzer -j"$(nproc)"

# The fuzzer adds what it finds to the working corpus, a copy kept between runs.
work="$build/fuzz"
mkdir -p "$work/corpus" "$work/artifacts"
cp -n tests/fuzz/corpus/* "$work/corpus/"
rm -f "$work/artifacts/"*
log="$work/fuzz.log"

# One process, one job (libFuzzer's -jobs would only wrap this same run in a child whose
# output goes to ./fuzz-0.log). NEW/REDUCE lines go to the log only.
set +e +o pipefail
nice -n 10 "$build/tests/fuzz/session_fuzzer" "$work/corpus" -max_total_time="$seconds" \
  -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$@" 2>&1 | tee "$log" | grep -v -E '^#[0-9]+\s+(NEW|REDUCE)'
status=${PIPESTATUS[0]}
set -e -o pipefail
echo "last status: $(grep -E '^#[0-9]+' "$log" | tail -1)"

artifacts=$(find "$work/artifacts" -type f)
if [[ $status -ne 0 || -n "$artifacts" ]]; then
  echo "fuzz.sh: the fuzzer failed (exit $status); reproducer(s):" >&2
  for a in $artifacts; do
    echo "  $a   (replay: $build/tests/fuzz/session_fuzzer $a)" >&2
  done
  exit 1
fi
echo "fuzz.sh: ${seconds}s, no crash, leak or timeout"
