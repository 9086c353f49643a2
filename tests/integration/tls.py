#!/usr/bin/env python3
"""Thread-local storage through the stub (qGetTLSAddr), with real gdb.

    tls.py NAME --stub STUB [--reference /usr/bin/gdbserver] --gdb GDB \
           --inferiors DIR --source-dir DIR

The tls_vars inferior stops in main_stop with two threads: tls_var is 11 in the main
thread and 22 in the worker, errno 0 and 34. gdb must print those values through the stub;
with --reference, gdbserver (which uses libthread_db) must print the same.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gdbtest  # noqa: E402
from gdbtest import TestFailure, expect_in_order, expect_absent, normalize  # noqa: E402


class Ctx:
    def __init__(self, opts, stub_path):
        self.opts = opts
        self.stub = os.path.abspath(stub_path)
        self.inferiors = os.path.abspath(opts.inferiors)

    def prog(self, name):
        return os.path.join(self.inferiors, name)


# (command, regexes its output must match); the prints are compared between the stubs.
VALUES_STEPS = [
    ("break main_stop", [r"^Breakpoint 1 at "]),
    ("continue", [r"hit Breakpoint 1, main_stop \(\)"]),
    ("print tls_var", [r"^\$1 = 11$"]),
    ("print errno", [r"^\$2 = 0$"]),
    ("thread 2", [r"^\[Switching to thread 2 "]),
    ("print tls_var", [r"^\$3 = 22$"]),
    ("print errno", [r"^\$4 = 34$"]),
    ("print &tls_var == $tls1", [r"^\$5 = 0$"]),
    ("kill", []),
]
# A convenience variable keeps thread 1's address for the last comparison.
SETTINGS_AFTER_STOP = "set $tls1 = &tls_var"


def t_values(ctx, guard):
    """`print tls_var` in two threads and `print errno`: each thread its own value."""
    steps = list(VALUES_STEPS)
    steps.insert(3, (SETTINGS_AFTER_STOP, []))
    result = gdbtest.run_cli(guard, ctx.stub, ctx.opts.gdb, ctx.prog("tls_vars"),
                             [cmd for cmd, _ in steps])
    compared = []
    for i, (cmd, patterns) in enumerate(steps, start=1):
        text = result.section(i)
        what = "`%s` against %s" % (cmd, os.path.basename(ctx.stub))
        expect_in_order(text, patterns, what)
        expect_absent(text, [r"Cannot find thread-local", r"failed to process qGetTLSAddr"],
                      what)
        if cmd.startswith("print"):
            compared.append("%s\n%s" % (cmd, normalize(text)))
    return "\n".join(compared)


TESTS = {"values": t_values}
COMPARED = {"values"}


def main():
    gdbtest.run_named_test(TESTS, COMPARED, Ctx)


if __name__ == "__main__":
    gdbtest.main_wrapper(main)
