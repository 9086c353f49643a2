#!/usr/bin/env bash
# GDB 13.1's own testsuite, subset @server, on both boards (native-gdbserver and
# native-extended-gdbserver) against build/stubborn, through the team's runner in
# ../shared/tools/gdb-testsuite. Fails on any FAIL, UNRESOLVED or timed-out file that
# tests/gdb-testsuite/known-failures.txt does not list. A file with unexpected results is run
# once more before it counts: a few of gdb's own tests are timing-sensitive on a loaded
# machine, and a second identical result is what we hold the stub to.
#
#   scripts/gdb-testsuite.sh [STUB]     (default build/stubborn; run scripts/build.sh first)
set -uo pipefail
cd "$(dirname "$0")/.."
runner=../shared/tools/gdb-testsuite/run.sh
stub=$(readlink -f "${1:-build/stubborn}")
known=tests/gdb-testsuite/known-failures.txt
out_root=$(mktemp -d "${TMPDIR:-/tmp}/stubborn-gdbtest.XXXXXX")
if [[ ! -x "$runner" ]]; then
  echo "gdb-testsuite: $runner not found; skipped" >&2
  exit 0
fi

# The gdb.sum lines (and timed-out files) of a run that known-failures.txt does not allow.
unexpected() { # BOARD OUTDIR
  local board=$1 dir=$2
  grep -E '^(FAIL|UNRESOLVED|ERROR): ' "$dir/gdb.sum" | while IFS= read -r line; do
    local ok=0
    while IFS='|' read -r b prefix _; do
      [[ -z "$b" || "$b" == \#* ]] && continue
      [[ "$b" == "$board" && "$line" == "$prefix"* ]] && ok=1 && break
    done < "$known"
    [[ $ok == 1 ]] || echo "$line"
  done
  [[ -s "$dir/timeouts.txt" ]] && sed 's/^/TIMEOUT: /' "$dir/timeouts.txt"
  return 0
}

status=0
for board in native-gdbserver native-extended-gdbserver; do
  dir="$out_root/$board"
  "$runner" -s "$stub" -b "$board" -t 300 -o "$dir" @server | tail -1
  bad=$(unexpected "$board" "$dir")
  if [[ -n "$bad" ]]; then
    files=$(sed -E 's/^[A-Z]+: (gdb\.[a-z]+\/[^:]+\.exp).*/\1/' <<< "$bad" | sort -u)
    echo "gdb-testsuite: $board: unexpected results, running these files again:" $files
    "$runner" -s "$stub" -b "$board" -t 300 -o "$dir-again" $files | tail -1
    bad=$(unexpected "$board" "$dir-again")
  fi
  if [[ -n "$bad" ]]; then
    echo "gdb-testsuite: $board: FAILED (logs in $dir*):"
    echo "$bad"
    status=1
  else
    echo "gdb-testsuite: $board: as expected"
  fi
done
exit $status
