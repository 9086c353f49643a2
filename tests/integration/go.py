#!/usr/bin/env python3
"""Multithreaded Go programs (issue 5) with real gdb through the stub.

    go.py NAME --stub STUB [--reference /usr/bin/gdbserver] --gdb GDB \
          --inferiors BUILD/tests/inferiors/go --source-dir tests/inferiors/go

NAME is a program's test (exit, panic, return, threads, preempt, hits, kill) against its
default build (go_<prog>), or NAME_nopt against its -gcflags=all=-N -l build
(go_<prog>_nopt). The programs are in tests/inferiors/go/.

  exit     os.Exit(3) from a goroutine (50 spin, 20 block in read): "exited with code 03"
  panic    a goroutine panics: "exited with code 02"
  return   main returns while goroutines are busy: "exited normally"
  threads  200 goroutines locked to their threads: `info threads` (every thread, names
           from /proc's comm), `thread apply all bt`, `info goroutines` from
           runtime-gdb.py, which gdb auto-loads from the binary it read through the stub
  preempt  tight loops under async preemption: no SIGURG stop reaches gdb (counted in
           the `set debug remote 1` log), the program still sees SIGURG, and the run
           takes about as long as without the debugger
  hits     hit() called 80 times from 8 goroutines: gdb reports exactly 80 hits
  kill     SIGKILL while stopped at a breakpoint: "terminated with signal SIGKILL"

With --reference, the tests whose outcome is deterministic (the end line, the thread
facts) run against gdbserver too and must say the same. gdbserver 13.1 sometimes reports
more hits than calls in `hits`, and sometimes answers the `continue` after the SIGKILL in
`kill` with N ("No unwaited-for children left."): against gdbserver these known defects
are recorded and printed, not failed.
"""

import collections
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gdbtest  # noqa: E402
from gdbtest import TestFailure, expect_in_order, expect_absent, PROTOCOL_TROUBLE  # noqa: E402


class Ctx:
    def __init__(self, opts, stub_path):
        self.opts = opts
        self.stub = os.path.abspath(stub_path)
        self.inferiors = os.path.abspath(opts.inferiors)
        self.nopt = opts.name.endswith("_nopt")
        self.stub_name = os.path.basename(self.stub)

    def prog(self, name):
        return os.path.join(self.inferiors, "go_%s%s" % (name, "_nopt" if self.nopt else ""))


END_RE = re.compile(r"^(\[Inferior 1 \(process \d+\) [^\]]*\]|Program terminated with .*)$", re.M)
HIT_RE = re.compile(r"^H (\d+) (\d+)$", re.M)
# A dprintf is a breakpoint gdb resumes from by itself: the same stop/resume traffic as
# `break` + `commands` + `continue`, in one -ex command.
DPRINTF_HIT = 'dprintf main.hit,"H %d %d\\n", id, seq'


def end_line(result, what):
    """The one end line gdb printed (process id normalized)."""
    ends = END_RE.findall(result.raw)
    if len(ends) != 1:
        raise TestFailure("%s: expected one end line, got %s; transcript:\n%s"
                          % (what, ends or "none", result.pretty()))
    return re.sub(r"process \d+", "process PID", ends[0])


def check_clean(result, what):
    """No protocol trouble, and no signal stop: every signal a Go program gets (SIGURG
    above all) is passed by gdb and must not stop it."""
    expect_absent(result.raw, PROTOCOL_TROUBLE + [r"received signal"], what)


def run_to_end(ctx, guard, prog, expected_end):
    result = gdbtest.run_cli(guard, ctx.stub, ctx.opts.gdb, ctx.prog(prog), ["continue"])
    what = "go_%s against %s" % (prog, ctx.stub_name)
    check_clean(result, what)
    end = end_line(result, what)
    if end != expected_end:
        raise TestFailure("%s: ended with %r, expected %r; transcript:\n%s"
                          % (what, end, expected_end, result.pretty()))
    return end


def t_exit(ctx, guard):
    """os.Exit(3) from a goroutine while 50 spin and 20 block in read(2)."""
    return run_to_end(ctx, guard, "exit", "[Inferior 1 (process PID) exited with code 03]")


def t_panic(ctx, guard):
    """A goroutine panics: the runtime exits with status 2."""
    return run_to_end(ctx, guard, "panic", "[Inferior 1 (process PID) exited with code 02]")


def t_return(ctx, guard):
    """main returns while goroutines spin: status 0."""
    return run_to_end(ctx, guard, "return", "[Inferior 1 (process PID) exited normally]")


# Run in gdb while stopped: each thread's name against /proc/PID/task/TID/comm, and
# gdb's thread count against the kernel's.
COMM_CHECK = (
    "python import os; inf = gdb.selected_inferior(); ts = inf.threads(); "
    "tasks = os.listdir('/proc/%d/task' % inf.pid); "
    "bad = [t.ptid for t in ts if t.name != "
    "open('/proc/%d/task/%d/comm' % (inf.pid, t.ptid[1])).read().strip()]; "
    "print('COMM-CHECK threads %d tasks %d mismatched %s' % (len(ts), len(tasks), bad[:5]))")
LOCKED_THREADS = 200  # tests/inferiors/go/threads.go


def t_threads(ctx, guard):
    """200+ threads: info threads with comm names, thread apply all bt, info goroutines."""
    commands = ["break main.ready", "continue", "info threads", COMM_CHECK,
                "thread apply all bt", "info goroutines", "continue"]
    # No program file: gdb learns it from the stub (qXfer:exec-file), reads it from the
    # sysroot and auto-loads the runtime-gdb.py its .debug_gdb_scripts section names (gdb
    # 13 does not auto-load section scripts of a target: file).
    result = gdbtest.run_cli(guard, ctx.stub, ctx.opts.gdb, ctx.prog("threads"), commands,
                             mode="noexec",
                             settings=["set auto-load safe-path /", "set sysroot /"])
    what = "go_threads against %s" % ctx.stub_name
    lost = re.search(r"^Remote (?:communication error|connection closed).*$", result.raw, re.M)
    if lost and ctx.stub_name in KNOWN_DEFECT_STUBS:
        # gdbserver 13.1 now and then drops the connection while the 200 threads start
        # (seen once in ~30 CI runs): its defect, recorded; any other stub fails below.
        fail_unless_known(ctx, "%s: %s" % (what, lost.group(0)))
        return "connection lost (known gdbserver defect): %s" % lost.group(0)
    check_clean(result, what)
    expect_in_order(result.section(0), [r"^Loading Go Runtime support\.$"], what)
    expect_in_order(result.section(2), [r"hit Breakpoint 1, main\.ready"], what)

    name = os.path.basename(ctx.prog("threads"))[:15]  # comm is at most 15 bytes
    rows = re.findall(r'^\*?\s+(\d+)\s+Thread \d+\.\d+ (?:"([^"]*)" )?', result.section(3),
                      re.M)
    if len(rows) < LOCKED_THREADS + 1:
        raise TestFailure("%s: info threads lists %d threads, expected > %d:\n%s"
                          % (what, len(rows), LOCKED_THREADS, result.section(3)))
    unnamed = [n for n, thread_name in rows if thread_name != name]
    if unnamed:
        raise TestFailure("%s: threads %s not named %r in info threads"
                          % (what, unnamed[:5], name))
    m = re.search(r"^COMM-CHECK threads (\d+) tasks (\d+) mismatched (.*)$",
                  result.section(4), re.M)
    if not m:
        raise TestFailure("%s: the comm check printed nothing:\n%s" % (what, result.section(4)))
    if int(m.group(1)) != len(rows) or m.group(2) != m.group(1) or m.group(3) != "[]":
        raise TestFailure("%s: gdb threads %s (info threads %d), kernel tasks %s, names "
                          "differing from comm: %s" % (what, m.group(1), len(rows),
                                                       m.group(2), m.group(3)))

    # thread apply all bt: a header and a frame #0 for every thread.
    bt = result.section(5)
    blocks = re.split(r"^\nThread \d+ \(", "\n" + bt, flags=re.M)[1:]
    if len(blocks) != len(rows):
        raise TestFailure("%s: thread apply all bt printed %d threads, info threads %d:\n%s"
                          % (what, len(blocks), len(rows), bt[:3000]))
    no_frame = [b.split("\n", 1)[0] for b in blocks if not re.search(r"^#0 ", b, re.M)]
    if no_frame:
        raise TestFailure("%s: no frame #0 for %s" % (what, no_frame[:3]))

    goroutines = re.findall(r"^\*?\s*\d+\s+(running|runnable|waiting|syscall|dead|idle)\b",
                            result.section(6), re.M)
    if len(goroutines) < LOCKED_THREADS + 1:
        raise TestFailure("%s: info goroutines lists %d goroutines, expected > %d "
                          "(runtime-gdb.py loaded?):\n%s%s" % (
                              what, len(goroutines), LOCKED_THREADS, result.section(6)[:2000],
                              result.section(-1)[-2000:]))
    end = end_line(result, what)
    if end != "[Inferior 1 (process PID) exited normally]":
        raise TestFailure("%s: ended with %r" % (what, end))
    return "threads > %d, named %s as in comm; bt for each; goroutines > %d; %s" % (
        LOCKED_THREADS, name, LOCKED_THREADS, end)


PREEMPT_DONE_RE = re.compile(r"^preempt done in (\d+) ms, SIGURG seen (\d+)$", re.M)
# A stop reply carrying gdb's signal 0x10 (SIGURG): T10... or S10.
SIGURG_STOP_RE = re.compile(r"Packet received: [TS]10", re.M)
EXIT_PACKET_RE = re.compile(r"Packet received: W0+(?:;|$)", re.M)


def t_preempt(ctx, guard):
    """Zero SIGURG stops reach gdb; the program still gets SIGURG; no big slowdown."""
    prog = ctx.prog("preempt")
    native = subprocess.run([prog], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=guard.env(), timeout=gdbtest.budget(30))
    m = PREEMPT_DONE_RE.search(native.stdout.decode(errors="replace"))
    if native.returncode != 0 or not m:
        raise TestFailure("go_preempt without a debugger: status %d, output %r"
                          % (native.returncode, native.stdout[-300:]))
    native_ms = int(m.group(1))

    result = gdbtest.run_cli(guard, ctx.stub, ctx.opts.gdb, prog, ["continue"],
                             settings=["set debug remote 1"])
    what = "go_preempt against %s" % ctx.stub_name
    check_clean(result, what)
    # The log must be the one we parse: the exit arrives as a W0 (or W00) stop reply.
    if not EXIT_PACKET_RE.search(result.raw):
        raise TestFailure("%s: no exit stop reply (W0) in the remote log:\n%s"
                          % (what, result.raw[-3000:]))
    urg_stops = len(SIGURG_STOP_RE.findall(result.raw))
    m = PREEMPT_DONE_RE.search(result.inferior_output)
    if not m:
        raise TestFailure("%s: the program did not finish its work; output %r"
                          % (what, result.inferior_output[-300:]))
    debugged_ms, seen = int(m.group(1)), int(m.group(2))
    gdbtest.log("%s: %d SIGURG stop replies; work took %d ms (without a debugger %d ms); "
                "the program saw SIGURG %d times" % (what, urg_stops, debugged_ms, native_ms,
                                                    seen))
    if urg_stops:
        raise TestFailure("%s: %d stop replies with SIGURG reached gdb" % (what, urg_stops))
    if seen == 0:
        raise TestFailure("%s: the program never saw SIGURG: not re-injected?" % what)
    if debugged_ms > 3 * native_ms + 2000:
        raise TestFailure("%s: %d ms under the debugger, %d ms without (bound: 3x + 2 s)"
                          % (what, debugged_ms, native_ms))
    return "no SIGURG stop; %s" % end_line(result, what)


# gdbserver 13.1's defects these tests find: against it they are recorded and printed
# ("expected failure"), not failed; against any other stub they fail the test.
KNOWN_DEFECT_STUBS = {"gdbserver"}


def fail_unless_known(ctx, problem):
    if ctx.stub_name in KNOWN_DEFECT_STUBS:
        gdbtest.log("%s: known defect, recorded (expected failure): %s"
                    % (ctx.stub_name, problem))
    else:
        raise TestFailure(problem)


def t_hits(ctx, guard):
    """hit() runs exactly 80 times (8 goroutines x 10): gdb must report 80 hits."""
    result = gdbtest.run_cli(guard, ctx.stub, ctx.opts.gdb, ctx.prog("hits"),
                             [DPRINTF_HIT, "continue"])
    what = "go_hits against %s" % ctx.stub_name
    check_clean(result, what)
    end = end_line(result, what)
    if end != "[Inferior 1 (process PID) exited normally]":
        raise TestFailure("%s: ended with %r:\n%s" % (what, end, result.pretty()))
    m = re.search(r"^calls (\d+)$", result.inferior_output, re.M)
    if not m:
        raise TestFailure("%s: no 'calls N' from the program: %r"
                          % (what, result.inferior_output[-300:]))
    calls = int(m.group(1))
    seqs = collections.defaultdict(list)
    for i, s in HIT_RE.findall(result.raw):
        seqs[int(i)].append(int(s))
    hits = sum(len(v) for v in seqs.values())
    wrong = ["goroutine %d: seq %s" % (i, sorted(v)) for i, v in sorted(seqs.items())
             if sorted(v) != list(range(10))]
    gdbtest.log("%s: %d hits reported for %d calls" % (what, hits, calls))
    if hits != calls or len(seqs) != 8 or wrong:
        problem = "%s: %d hits reported for %d calls; %s" % (
            what, hits, calls, "; ".join(wrong) or "%d goroutines" % len(seqs))
        fail_unless_known(ctx, problem)
    return "%d hits" % hits


def t_kill(ctx, guard):
    """SIGKILL from outside while gdb sits at a breakpoint; then continue."""
    kill = "python import os; os.kill(gdb.selected_inferior().pid, 9)"
    result = gdbtest.run_cli(guard, ctx.stub, ctx.opts.gdb, ctx.prog("hits"),
                             ["break main.hit", "continue", kill, "continue"])
    what = "go_hits (SIGKILL) against %s" % ctx.stub_name
    expect_absent(result.raw, PROTOCOL_TROUBLE, what)
    expect_in_order(result.section(2), [r"hit Breakpoint 1, main\.hit \("], what)
    if re.search(r"^No unwaited-for children left\.$", result.section(4), re.M):
        # gdb steps the stopped thread over the breakpoint alone; it dies, and a stub that
        # counts the killed siblings as stopped says "no resumed thread left" (N).
        fail_unless_known(ctx, "%s: `continue` after the SIGKILL: 'No unwaited-for children "
                               "left.' instead of the end" % what)
        return None
    end = end_line(result, what)
    if end != "Program terminated with signal SIGKILL, Killed.":
        raise TestFailure("%s: ended with %r:\n%s" % (what, end, result.pretty()))
    return end


TESTS_BY_PROGRAM = {"exit": t_exit, "panic": t_panic, "return": t_return,
                    "threads": t_threads, "preempt": t_preempt, "hits": t_hits, "kill": t_kill}
TESTS = dict(TESTS_BY_PROGRAM)
TESTS.update({name + "_nopt": fn for name, fn in TESTS_BY_PROGRAM.items()})
# Same outcome on both stubs (hits, kill: gdbserver's known defects; preempt: timing).
COMPARED = {n for n in TESTS if not n.startswith(("hits", "preempt", "kill"))}


def main():
    gdbtest.run_named_test(TESTS, COMPARED, Ctx)


if __name__ == "__main__":
    gdbtest.main_wrapper(main)
