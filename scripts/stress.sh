#!/usr/bin/env bash
# Exit-race stress loops (issue 3, item 4): build, run the ctest label `stress` with
# RUNS runs per scenario and stub, and print a per-scenario summary table.
#
#   scripts/stress.sh [RUNS [GDBSERVER_RUNS]] [ctest arguments...]
#   scripts/stress.sh 300                      # the local figure (default: 300)
#   scripts/stress.sh 300 50                   # gdbserver (expected failures) 50 times
#   scripts/stress.sh 20 -R 'stress\.a_'       # one scenario, both stubs
#   BUILD_DIR=build scripts/stress.sh 50       # default build dir: build-stress
#
# stubborn must be right in every run (a wrong run or a hang fails its test);
# gdbserver's failures are recorded, not failed. Failing runs (gdb transcript, the
# stub's STUBBORN_DEBUG=event,ptrace log, the inferior's output) are saved under
# BUILD_DIR/tests/stress/logs/<scenario>.<stub>/. Exit status: ctest's.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=300
gdbserver_runs=0  # 0: as many as stubborn
if [[ $# -gt 0 && "$1" =~ ^[0-9]+$ ]]; then runs="$1"; shift; fi
if [[ $# -gt 0 && "$1" =~ ^[0-9]+$ ]]; then gdbserver_runs="$1"; shift; fi
if [[ "$runs" -lt 1 ]]; then
  echo "usage: scripts/stress.sh [RUNS [GDBSERVER_RUNS]] [ctest arguments...]" >&2
  exit 2
fi
# Its own build directory by default: the run count is a CMake cache variable, and
# build/ (scripts/test.sh, CI) must keep the small default.
build="${BUILD_DIR:-build-stress}"
jobs="${STRESS_JOBS:-$(nproc)}"

scripts/install-deps.sh
cmake -S . -B "$build" -DSTUBBORN_WERROR=ON -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
      -DSTUBBORN_STRESS_RUNS="$runs" -DSTUBBORN_STRESS_GDBSERVER_RUNS="$gdbserver_runs" \
      -DSTUBBORN_GO_STRESS_RUNS=0 -DSTUBBORN_FORK_STRESS_RUNS=0 \
      >/dev/null || exit 1
cmake --build "$build" -j"$(nproc)" || exit 1

logs="$build/tests/stress/logs"
rm -f "$logs"/*/summary
start=$(date +%s)
(cd "$build" && ctest -L stress -j"$jobs" "$@")
status=$?
elapsed=$(( $(date +%s) - start ))

echo
echo "Stress summary: $runs runs planned per scenario for stubborn," \
     "$([[ $gdbserver_runs -gt 0 ]] && echo "$gdbserver_runs" || echo "$runs") for gdbserver, ${elapsed}s"
python3 - "$logs" <<'PY'
import os, re, sys
logs = sys.argv[1]
rows = {}
reasons = {}
for d in sorted(os.listdir(logs)) if os.path.isdir(logs) else []:
    path = os.path.join(logs, d, "summary")
    if not os.path.exists(path):
        continue
    with open(path) as f:
        lines = f.read().splitlines()
    kv = dict(x.split("=", 1) for x in lines[0].split()[1:])
    rows.setdefault(kv["scenario"], {})[kv["stub"]] = kv
    reasons[(kv["scenario"], kv["stub"])] = [l[len("reason "):] for l in lines[1:4]]
if not rows:
    print("no summaries found in %s" % logs)
    sys.exit(0)
def cell(kv):
    if not kv:
        return "%5s %6s %6s" % ("-", "-", "-")
    short = "" if kv["runs"] == kv["planned"] else "*"
    return "%5s %6s %6s" % (kv["runs"] + short, kv["wrong"], kv["hangs"])
print("%-20s | %-19s | %-19s" % ("", "stubborn", "gdbserver"))
print("%-20s | %5s %6s %6s | %5s %6s %6s" % ("scenario", "runs", "wrong", "hangs",
                                              "runs", "wrong", "hangs"))
print("-" * 20 + "-+-" + "-" * 19 + "-+-" + "-" * 19)
for s in sorted(rows):
    print("%-20s | %s | %s" % (s, cell(rows[s].get("stubborn")), cell(rows[s].get("gdbserver"))))
print("(* = fewer runs than planned: budget exhausted or stopped after 3 hangs)")
bad = [(k, v) for k, v in sorted(reasons.items()) if v]
if bad:
    print("\nMost frequent problems (full logs: %s/<scenario>.<stub>/run-*.txt):" % logs)
    for (s, stub), rs in bad:
        for r in rs:
            print("  %-20s %-9s %s" % (s, stub, r[:160]))
PY
exit $status
