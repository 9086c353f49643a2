#!/usr/bin/env python3
"""Target-side breakpoint conditions on a hot function (issue #7, item 4), with real gdb in
batch mode. stubborn gives such a breakpoint a jump pad: the program evaluates the condition
itself and traps only when it holds. What a user sees must not change: every hit reported
once, nothing lost, the registers and the program's results intact.

    cond_pads.py NAME --stub STUB [--reference /usr/bin/gdbserver] --gdb GDB \
                 --inferiors DIR --source-dir DIR

  single    one thread, 10000 calls, `break hit if seq % 500 == 499`: the 20 stops, in
            order (a gdb-side dprintf prints seq and resumes), then the normal exit
  threads   4 threads x 2000 calls at once, `seq % 200 == 7`: each of the 40 seqs reported
            exactly once (in any order); the others' all-stop interrupts land while they
            run through the condition, and none is ever shown inside it
  fault     `break hit if *(long *) 8 == 1`: the condition reads memory it may not; the hit
            is reported (as when the stub cannot evaluate a condition) with seq and the
            caller's frame intact, and the program ends right after `delete`; gdbserver
            reads the memory as 0 and never stops (an expected failure there)
  detach    4 threads, the condition true once: at that stop gdb detaches; the program,
            its threads in the middle of their calls, finishes with the right sum (20
            times against stubborn)
  next_threads  4 threads run hit() while one `next`s over its caller's loop four times
            (range stepping: the stub plants traps where the range can be left, which the
            other threads run into all the time): each `next` shows a line of the loop,
            and the program ends with the right sum
  next_break  `next` over the call with a breakpoint inside hit(): the breakpoint stops it
  step_in   `step` at the call enters hit() with its argument and its caller in the stack
  monitor   (stubborn only) `monitor jump-pads` says they are on
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gdbtest  # noqa: E402
from gdbtest import TestFailure, expect_absent, PROTOCOL_TROUBLE  # noqa: E402
from cli import Ctx, transcript, xfail_check  # noqa: E402
from watch import gdb_session, check_output, src_line, section, fail, EXITED_NORMALLY  # noqa: E402

TARGET_EVAL = "set breakpoint condition-evaluation target"
DETACH_RUNS = 20


def total(threads, calls):
    n = threads * calls
    return n * (n - 1) // 2


def hits_printed(text):
    return [int(m.group(1)) for m in re.finditer(r"^HIT (\d+)$", text, re.M)]


def printing_commands(condition):
    # A gdb-side dprintf (gdb -batch takes no multi-line `commands`): at each reported hit gdb
    # prints the seq and resumes; only the condition goes to the target.
    return [TARGET_EVAL, "set dprintf-style gdb", 'dprintf hit,"HIT %d\\n", seq',
            "condition 1 %s" % condition, "continue"]


def t_single(ctx, guard):
    calls = 10000
    r, stub = gdb_session(ctx, guard, "cond_pads", printing_commands("seq % 500 == 499"),
                          args=["1", str(calls)], what="single")
    expected = list(range(499, calls, 500))
    got = hits_printed(r.raw)
    if got != expected:
        fail(r, "single: expected the hits %s, got %s" % (expected, got))
    if not re.search(EXITED_NORMALLY, r.raw, re.M):
        fail(r, "single: the program did not end normally")
    check_output(stub, r"^cond_pads: sum=%d$" % total(1, calls), "single")
    return None


def t_threads(ctx, guard):
    threads, calls = 4, 2000
    r, stub = gdb_session(ctx, guard, "cond_pads", printing_commands("seq % 200 == 7"),
                          args=[str(threads), str(calls)], what="threads")
    expected = [s for s in range(threads * calls) if s % 200 == 7]
    got = hits_printed(r.raw)
    if sorted(got) != expected:
        missing = sorted(set(expected) - set(got))
        twice = sorted(s for s in set(got) if got.count(s) > 1)
        fail(r, "threads: %d hits, expected %d; missing %s, reported twice %s, unexpected %s"
             % (len(got), len(expected), missing, twice, sorted(set(got) - set(expected))))
    if not re.search(EXITED_NORMALLY, r.raw, re.M):
        fail(r, "threads: the program did not end normally")
    check_output(stub, r"^cond_pads: sum=%d$" % total(threads, calls), "threads")
    return None


def t_fault(ctx, guard):
    calls = 100
    body = src_line(ctx, "cond_pads.c", "HIT-BODY")
    cmds = [TARGET_EVAL, "break hit if *(long *) 8 == 1", "continue", "p seq", "bt",
            "delete", "continue"]
    r, stub = gdb_session(ctx, guard, "cond_pads", cmds, args=["1", str(calls)], what="fault")

    def reported():
        section(r, 3, [r"^Breakpoint 1, hit \(seq=0\) at \S+/cond_pads\.c:%d$" % body],
                "fault: the first call is reported")
    # gdbserver's agent ignores a failed memory read (the condition reads as false): the
    # program runs to its end, where gdb itself would stop with "Cannot access memory".
    xfail_check(ctx, ctx.is_gdbserver, reported, "gdbserver reads unreadable memory as 0")
    if not ctx.is_gdbserver:
        section(r, 4, [r"^\$1 = 0$"], "fault")
        section(r, 5, [r"^#0  hit \(seq=0\) at ", r"^#1  0x[0-9a-f]+ in worker \(",
                       r"^#2  0x[0-9a-f]+ in main \("], "fault: the stack as it was")
        section(r, 7, [EXITED_NORMALLY], "fault: the program goes on unharmed")
    check_output(stub, r"^cond_pads: sum=%d$" % total(1, calls), "fault")
    return None


def t_detach(ctx, guard):
    # Other threads are often inside the pad when gdb stops; walked out by single steps,
    # they must be left without the trap flag (a SIGTRAP once detached): a loop, since
    # where they are is a race. gdbserver (no pads, 40 s a run here) runs it once.
    threads, calls = 4, 5000
    runs = 1 if ctx.is_gdbserver else DETACH_RUNS
    for run in range(runs):
        cmds = [TARGET_EVAL, "break hit if seq == 7500", "continue", "p seq", "detach"]
        what = "detach (run %d of %d)" % (run + 1, runs)
        r, stub = gdb_session(ctx, guard, "cond_pads", cmds, args=[str(threads), str(calls)],
                              what=what)
        section(r, 3, [r"^Thread \d+ \"cond_pads\" hit Breakpoint 1, hit \(seq=7500\) at "],
                what + ": the one stop")
        section(r, 5, [r"^\[Inferior 1 \(process \d+\) detached\]$"], what)
        check_output(stub, r"^cond_pads: sum=%d$" % total(threads, calls), what)
    return None


def t_next_threads(ctx, guard):
    threads, calls = 4, 20000
    loop = src_line(ctx, "cond_pads.c", "WORKER-LOOP")
    call = src_line(ctx, "cond_pads.c", "WORKER-CALL")
    nexts = 4
    cmds = ["set range-stepping on", "break cond_pads.c:%d" % call, "continue", "delete"]
    cmds += ["next"] * nexts + ["continue"]
    r, stub = gdb_session(ctx, guard, "cond_pads", cmds, args=[str(threads), str(calls)],
                          what="next_threads")
    section(r, 3, [r"^Thread \d+ \"cond_pads\" hit Breakpoint 1, worker \(arg=0x[0-9a-f]+\) "
                   r"at \S+/cond_pads\.c:%d$" % call], "next_threads: the first stop")
    for i in range(5, 5 + nexts):
        # Threads started meanwhile are announced, as ever.
        text = re.sub(r"(?m)^\[New Thread [^\]]*\]\n", "", r.section(i))
        if not re.fullmatch(r"(%d|%d)\t[^\n]*\n" % (loop, call), text):
            fail(r, "next_threads: `next` %d should show line %d or %d, got:\n%s"
                 % (i - 4, loop, call, text))
    section(r, 5 + nexts, [EXITED_NORMALLY], "next_threads")
    check_output(stub, r"^cond_pads: sum=%d$" % total(threads, calls), "next_threads")
    return None


def t_next_break(ctx, guard):
    calls = 10
    call = src_line(ctx, "cond_pads.c", "WORKER-CALL")
    body = src_line(ctx, "cond_pads.c", "HIT-BODY")
    cmds = ["set range-stepping on", "break cond_pads.c:%d" % call, "continue", "break hit",
            "next", "bt", "delete", "continue"]
    r, stub = gdb_session(ctx, guard, "cond_pads", cmds, args=["1", str(calls)],
                          what="next_break")
    section(r, 5, [r"^Breakpoint 2, hit \(seq=0\) at \S+/cond_pads\.c:%d$" % body],
            "next_break: the breakpoint inside the call stops `next`")
    section(r, 6, [r"^#0  hit \(seq=0\) at ", r"^#1  0x[0-9a-f]+ in worker \("],
            "next_break")
    section(r, 8, [EXITED_NORMALLY], "next_break")
    check_output(stub, r"^cond_pads: sum=%d$" % total(1, calls), "next_break")
    return transcript(r)


def t_step_in(ctx, guard):
    calls = 10
    call = src_line(ctx, "cond_pads.c", "WORKER-CALL")
    body = src_line(ctx, "cond_pads.c", "HIT-BODY")
    cmds = ["set range-stepping on", "break cond_pads.c:%d" % call, "continue", "step", "bt",
            "delete", "continue"]
    r, stub = gdb_session(ctx, guard, "cond_pads", cmds, args=["1", str(calls)],
                          what="step_in")
    section(r, 4, [r"^hit \(seq=0\) at \S+/cond_pads\.c:%d$" % body, r"^%d\t" % body],
            "step_in")
    section(r, 5, [r"^#0  hit \(seq=0\) at ", r"^#1  0x[0-9a-f]+ in worker \("], "step_in")
    section(r, 7, [EXITED_NORMALLY], "step_in")
    check_output(stub, r"^cond_pads: sum=%d$" % total(1, calls), "step_in")
    return transcript(r)


def t_monitor(ctx, guard):
    r, _ = gdb_session(ctx, guard, "cond_pads", ["monitor jump-pads"], what="monitor", trouble=[])
    expect_absent(r.raw, PROTOCOL_TROUBLE + [r"Unknown monitor command"], "monitor jump-pads")
    section(r, 1, [r"^Jump pads: on "], "monitor jump-pads")
    return None


TESTS = {
    "single": t_single,
    "threads": t_threads,
    "fault": t_fault,
    "detach": t_detach,
    "next_threads": t_next_threads,
    "next_break": t_next_break,
    "step_in": t_step_in,
    "monitor": t_monitor,
}
COMPARED = {"next_break", "step_in"}


def main():
    gdbtest.run_named_test(TESTS, COMPARED, Ctx)


if __name__ == "__main__":
    gdbtest.main_wrapper(main)
