#!/usr/bin/env bash
# README command 1: install what is missing, build, then debug the bundled multithreaded
# program (tests/inferiors/threads_demo.c) with gdb through stubborn, printing the session.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh >/dev/null
prog=build/tests/inferiors/threads_demo

echo "== gdb $(gdb --version | head -1 | sed 's/.*) //') through $(build/stubborn --version | head -1)"
echo "== target remote | build/stubborn - $prog"
echo
gdb -nx -batch \
  -ex 'set pagination off' \
  -ex 'set confirm off' \
  -ex "target remote | build/stubborn - $prog" \
  -ex 'echo \n--- break work_item; continue\n' \
  -ex 'break work_item' \
  -ex 'continue' \
  -ex 'echo \n--- info threads\n' \
  -ex 'info threads' \
  -ex 'echo \n--- backtrace\n' \
  -ex 'backtrace' \
  -ex 'echo \n--- print id, step, shared\n' \
  -ex 'print id' \
  -ex 'print step' \
  -ex 'print shared' \
  -ex 'echo \n--- delete breakpoints; continue to the end\n' \
  -ex 'delete' \
  -ex 'continue' \
  -ex 'echo \n--- exit code\n' \
  -ex 'print $_exitcode' \
  "$prog" 2>&1
