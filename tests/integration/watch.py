#!/usr/bin/env python3
"""Watchpoints, hardware breakpoints and the breakpoint machinery (issue #7, item 6), with
real gdb in batch mode.

    watch.py NAME --stub STUB [--reference /usr/bin/gdbserver] --gdb GDB \
             --inferiors DIR --source-dir DIR

  watch_threads        `watch counter`, a global 4 threads add 1 to 5 times each under a
                       mutex: hits Old value = k / New value = k+1 for k = 0..19, in order,
                       each reported once, then the normal exit
  watch_alias          `watch slots[8]`: stores through a pointer to it and to its
                       neighbours, far stores between, a memset at the end: the 14
                       changes, each reported once
  watch_local          `watch total` on a local: its 3 changes, then "Watchpoint 2 deleted
                       because the program has left the block in which its expression is
                       valid." and the stop in the caller
  watch_fault          `watch counter`, then a plain store into a read-only page: the
                       hit, then SIGSEGV at the store, the page unchanged (a stub that
                       does watched threads' plain stores itself must let this one fault)
  watch_cond           `watch watched` and `break store if i == 99` (target evaluation) on
                       the instruction that stores it: the stub steps past its breakpoint
                       itself, and each of the 3 changes must still be reported there
  watch_nonstop        (MI, non-stop) `-break-watch counter` while a thread spins adding
                       to it: that running thread must stop at once with
                       reason="watchpoint-trigger"; then the program is let go to its end
  rwatch, awatch       read / access watchpoints on a global written and read 3 times
  hbreak               a hardware breakpoint on a function called 3 times
  tbreak_until_advance tbreak, advance (to a function; stopping when the frame returns),
                       until LINE, until out of a loop, finish
  cond_host            `break visit if i == 1999`, condition-evaluation host: one stop
  cond_target          `break visit if i == 19999`, condition-evaluation target: one stop
  next_range           `next` over a one-line loop of 1000 iterations, range stepping on
  next_norange         the same with `set range-stepping off`
  dprintf_gdb          dprintf, dprintf-style gdb: 5 lines, in order, printed by gdb
  dprintf_agent        dprintf, dprintf-style agent: 5 lines, in order, printed by the stub
                       (gdbserver on its stdout, stubborn on its stderr; either is accepted)
  monitor              (stubborn only) `monitor watchpoints` says "hardware" or "emulated"
  NAME_emulated        (stubborn only) NAME with STUBBORN_DEBUG_REGISTERS=off: the
                       emulated watchpoints and the refusals, also on a machine whose debug
                       registers work (watch_threads, watch_alias, watch_local,
                       watch_fault, watch_cond, watch_nonstop, rwatch, awatch, hbreak,
                       monitor)

Hardware debug registers. Some machines (VMs) accept writes to DR0-DR7 through ptrace but
never trap. Each test that needs them first asks a native gdb (no stub) whether `watch`
fires on hw_points (probe_hw; nothing is cached, it costs about half a second), then
expects:
  - gdbserver: watch/rwatch/awatch/hbreak fire when the registers work; otherwise they are
    accepted and silently never fire, and the program runs to its end. That is recorded
    (logged) as gdbserver 13.1's known failure on such a machine, and the test passes
    if exactly that happens.
  - stubborn: `watch` always fires (debug registers, or emulated inside the stub). rwatch,
    awatch and hbreak fire when the registers work; otherwise the stub refuses them, gdb
    shows its insertion error ("Could not insert hardware watchpoint N." / "Cannot insert
    hardware breakpoint N.") and, once the point is deleted, the program runs to its end.

Host-side conditions cost a stop and a resume per call (about 3 ms with gdbserver on a
loaded 2-core VM), so cond_host counts 2000 calls; target-side evaluation costs no round
trip and cond_target keeps the full 20000. With --reference, the deterministic transcripts
(tbreak_until_advance, next_range, next_norange, dprintf_gdb) must equal gdbserver's.
Line numbers come from the /* MARKER */ comments of the inferiors' sources.
"""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gdbtest  # noqa: E402
from gdbtest import TestFailure, expect_in_order, expect_absent, PROTOCOL_TROUBLE  # noqa: E402
from cli import Ctx, transcript  # noqa: E402
from scenarios import marker_line  # noqa: E402

EXITED_NORMALLY = r"^\[Inferior 1 \(process \d+\) exited normally\]$"
NOT_RUNNING = r"^The program is not being run\.$"
# gdb's words when a stub refuses Z1 (hbreak) / Z2-Z4 (watch, rwatch, awatch).
INSERT_FAILED_TAIL = [r"^Could not insert hardware breakpoints:$",
                      r"^You may have requested too many hardware breakpoints/watchpoints\.$",
                      r"^Command aborted\.$"]
NEVER_FIRES = ("gdbserver 13.1: hardware watchpoint accepted but never fires on this VM "
               "(no working debug registers)")
HBREAK_NEVER_FIRES = ("gdbserver 13.1: hardware breakpoint accepted but never fires on this "
                      "VM (no working debug registers)")
# A frame line as gdb prints it at a stop: "[0xADDR in ]FUNC (ARGS) at FILE:LINE".
FRAME = r"^(?:0x[0-9a-f]+ in )?%s \(.*\) at \S+/%s:%d$"


def src_line(ctx, filename, marker):
    return marker_line(ctx.opts.source_dir, filename, marker)


def gdb_session(ctx, guard, prog, commands, args=(), what="", trouble=PROTOCOL_TROUBLE):
    """STUB --once 127.0.0.1:0 PROG ARGS and gdb -batch with `commands` (gdb reads shared
    libraries locally). Returns (CliResult, stub) once both have ended. gdb gets what is
    left of the budget (less a few seconds to clean up), not gdbtest's 30 s: a stub that
    emulates watchpoints may be slow, and a hang is then told from slowness."""
    stub = gdbtest.Stub(guard, ctx.stub, ctx.prog(prog), args)
    r = gdbtest.run_gdb_batch(guard, ctx.opts.gdb, "target remote 127.0.0.1:%d" % stub.port,
                              commands, prog=ctx.prog(prog), setup=["set sysroot /"],
                              timeout=max(5, gdbtest.budget(60) - 5))
    try:
        stub.wait_exit()
    except TestFailure as e:
        raise TestFailure("%s\ngdb transcript:\n%s" % (e, r.pretty())) from None
    expect_absent(r.raw, trouble, "%s [%s] gdb output" % (what, ctx.name))
    return r, stub


section = gdbtest.section
fail = gdbtest.fail


def check_output(stub, pattern, what):
    out = stub.inferior_output()
    if not re.search(pattern, out, re.M):
        raise TestFailure("%s: the program's output has no /%s/:\n%s" % (what, pattern, out))


# ------------------------------------------------------------------------------------------
# Do this machine's debug registers work? Asked of a native gdb, every time.
# ------------------------------------------------------------------------------------------
def probe_hw(ctx, guard):
    """True when a hardware watchpoint fires under a native gdb (no stub) on hw_points, False
    when the program runs to its end without it firing."""
    argv = [ctx.opts.gdb, "-nx", "-nh", "-batch", "-ex", "set pagination off",
            "-ex", "set startup-with-shell off", "-ex", "break main", "-ex", "run",
            "-ex", "watch shared", "-ex", "continue", "-ex", "kill", ctx.prog("hw_points")]
    p = guard.track(subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, env=guard.env(),
                                     start_new_session=True))
    try:
        out, _ = p.communicate(timeout=gdbtest.budget(20))
    except subprocess.TimeoutExpired:
        guard.kill_everything()
        raise TestFailure("the native gdb probe did not finish within 20 s")
    out = out.decode(errors="replace")
    if re.search(r"^Hardware watchpoint 2: shared\n\nOld value = 0\nNew value = 10$", out, re.M):
        works = True
    elif re.search(r"^Hardware watchpoint 2: shared$", out, re.M) and \
            re.search(EXITED_NORMALLY, out, re.M):
        works = False
    else:
        raise TestFailure("native gdb probe for hardware watchpoints: neither a hit nor the "
                          "program's end:\n%s" % out)
    gdbtest.log("probe (native gdb, `watch shared` on hw_points): hardware debug registers %s"
                % ("work" if works else "do NOT work (the watchpoint never fired)"))
    return works


# Set by a NAME_emulated test: the stub under test is told to leave the debug registers
# alone (STUBBORN_DEBUG_REGISTERS=off) and is expected to behave as where they never fire.
EMULATED = False


def stub_uses_hw(ctx, guard):
    """Whether the stub under test should use the debug registers (probe_hw, unless told
    not to)."""
    return probe_hw(ctx, guard) and not EMULATED


def known_failure(message):
    gdbtest.log("known failure, recorded (expected): " + message)


def gdbserver_never_fired(ctx, hw, r, expr, first, ends, what, number=2):
    """gdbserver where the debug registers never fire: no hit of `expr`, each section from
    `first` on matching its entry of `ends`, and its known failure recorded. True when that
    was the case (the test's checks are done)."""
    if hw or not ctx.is_gdbserver:
        return False
    if watch_hits(r.raw, "Hardware watchpoint", expr, number):
        fail(r, "gdbserver reported a watchpoint hit though the native probe found no "
                "working debug registers")
    for i, end in enumerate(ends):
        section(r, first + i, end, "%s (never fires)" % what)
    known_failure(NEVER_FIRES)
    return True


# ------------------------------------------------------------------------------------------
# a. watch a global written by 4 threads
# ------------------------------------------------------------------------------------------
PER_WORKER = 5
WORKERS = 4


def watch_hits(text, kind, expr, number=2):
    """The reports of watchpoint `number` in `text`: [(old or None, new or value)]."""
    rx = re.compile(r"^(?:Thread \d+ (?:\"[^\"]*\" )?hit )?%s %d: %s\n\n"
                    r"(?:Old value = (-?\d+)\nNew value = (-?\d+)|Value = (-?\d+))$"
                    % (re.escape(kind), number, re.escape(expr)), re.M)
    return [(int(m.group(1)) if m.group(1) else None, int(m.group(2) or m.group(3)))
            for m in rx.finditer(text)]


def t_watch_threads(ctx, guard):
    hw = stub_uses_hw(ctx, guard)
    total = WORKERS * PER_WORKER
    unlock = src_line(ctx, "watch_threads.c", "COUNTER-UNLOCK")
    conts = total + 2  # every hit, the exit, and one more: no hit reported twice, none late
    cmds = ["break main", "continue", "watch counter"] + ["continue"] * conts
    r, stub = gdb_session(ctx, guard, "watch_threads", cmds, args=[str(PER_WORKER)],
                          what="watch_threads")
    section(r, 2, [r"^Breakpoint 1, main \("], "watch_threads")
    section(r, 3, [r"^Hardware watchpoint 2: counter$"], "watch_threads")
    first = 4

    if gdbserver_never_fired(ctx, hw, r, "counter", first, [[EXITED_NORMALLY]],
                             "watch_threads"):
        check_output(stub, r"^watch_threads: counter=%d$" % total, "watch_threads")
        return None

    for k in range(total):
        i = first + k
        hits = watch_hits(r.section(i), "Hardware watchpoint", "counter")
        if hits != [(k, k + 1)]:
            fail(r, "continue #%d: expected exactly one hit Old value = %d / New value = %d, "
                    "got %s" % (k + 1, k, k + 1, hits or "none"))
        section(r, i, [FRAME % ("worker", r"watch_threads\.c", unlock)], "watch_threads")
    section(r, first + total, [EXITED_NORMALLY], "watch_threads: after the last hit")
    section(r, first + total + 1, [NOT_RUNNING], "watch_threads: after the exit")
    check_output(stub, r"^watch_threads: counter=%d$" % total, "watch_threads")
    return None


# ------------------------------------------------------------------------------------------
# a2. stores through a pointer, next to the watched variable, and a memset over it
# ------------------------------------------------------------------------------------------
ALIAS_VALUES = [0] + list(range(1, 40, 3)) + [0]  # what slots[8] holds, change by change


def t_watch_alias(ctx, guard):
    """stubborn lets a watched thread run free up to each instruction that may store, and
    steps a store only if where it points lies near the watched bytes: stores through a
    pointer to the slot, to its neighbours, far away, and a memset must all be right."""
    hw = stub_uses_hw(ctx, guard)
    poke = src_line(ctx, "watch_alias.c", "POKE-STORE")
    changes = len(ALIAS_VALUES) - 1
    # After each hit, the instruction at the PC: the one right after poke's store (a
    # report found only at a later stop would show a later one, e.g. the `ret`).
    cmds = ["break main", "continue", "watch slots[8]"] + ["continue", "x/i $pc"] * changes
    cmds.append("continue")
    r, stub = gdb_session(ctx, guard, "watch_alias", cmds, what="watch_alias")
    section(r, 3, [r"^Hardware watchpoint 2: slots\[8\]$"], "watch_alias")
    first = 4
    if gdbserver_never_fired(ctx, hw, r, "slots[8]", first, [[EXITED_NORMALLY]],
                             "watch_alias"):
        return None
    for k in range(changes):
        i = first + 2 * k
        old, new = ALIAS_VALUES[k], ALIAS_VALUES[k + 1]
        hits = watch_hits(r.section(i), "Hardware watchpoint", "slots[8]")
        if hits != [(old, new)]:
            fail(r, "continue #%d: expected exactly one hit Old value = %d / New value = %d, "
                    "got %s" % (k + 1, old, new, hits or "none"))
        if k < changes - 1:
            section(r, i, [FRAME % ("poke", r"watch_alias\.c", poke)], "watch_alias")
            section(r, i + 1, [r"^=> 0x[0-9a-f]+ <poke\+\d+>:\s+nop"],
                    "watch_alias: reported right after the store")
    section(r, first + 2 * changes, [EXITED_NORMALLY], "watch_alias: after the memset")
    check_output(stub, r"^watch_alias: 0 ", "watch_alias")
    return None


# ------------------------------------------------------------------------------------------
# b. watch a local that goes out of scope
# ------------------------------------------------------------------------------------------
SCOPE_GONE = [r"^Watchpoint 2 deleted because the program has left the block in$",
              r"^which its expression is valid\.$"]


def t_watch_local(ctx, guard):
    hw = stub_uses_hw(ctx, guard)
    loop = src_line(ctx, "watch_local.c", "ACCUMULATE-LOOP")
    call = src_line(ctx, "watch_local.c", "CALL-ACCUMULATE")
    # `next` runs `total = 0` first: the watch starts from a known value, not stack garbage.
    cmds = ["break accumulate", "continue", "next", "watch total"] + ["continue"] * 5
    r, stub = gdb_session(ctx, guard, "watch_local", cmds, what="watch_local")
    section(r, 2, [r"^Breakpoint 1, accumulate \(n=3\)"], "watch_local")
    section(r, 4, [r"^Hardware watchpoint 2: total$"], "watch_local")
    first = 5
    left_block = SCOPE_GONE + [FRAME % ("main", r"watch_local\.c", call)]

    # The scope check is a plain breakpoint at the caller: it works without debug
    # registers, so without them the deletion comes at once, with none of the three changes.
    if gdbserver_never_fired(ctx, hw, r, "total", first, [left_block, [EXITED_NORMALLY]],
                             "watch_local"):
        check_output(stub, r"^watch_local: result=6$", "watch_local")
        return None

    changes = [(0, 1), (1, 3), (3, 6)]
    for n, change in enumerate(changes):
        hits = watch_hits(r.section(first + n), "Hardware watchpoint", "total")
        if hits != [change]:
            fail(r, "continue #%d: expected exactly one hit Old value = %d / New value = %d, "
                    "got %s" % (n + 1, change[0], change[1], hits or "none"))
        section(r, first + n, [FRAME % ("accumulate", r"watch_local\.c", loop)], "watch_local")
    section(r, first + 3, left_block, "watch_local: accumulate returns")
    section(r, first + 4, [EXITED_NORMALLY], "watch_local: the end")
    check_output(stub, r"^watch_local: result=6$", "watch_local")
    return None


# ------------------------------------------------------------------------------------------
# b2. a store that faults while watched
# ------------------------------------------------------------------------------------------
def t_watch_fault(ctx, guard):
    hw = stub_uses_hw(ctx, guard)
    store = src_line(ctx, "watch_fault.c", "FAULT-STORE")
    cmds = ["break main", "continue", "watch counter", "continue", "continue", "print *page",
            "kill"]
    r, _ = gdb_session(ctx, guard, "watch_fault", cmds, what="watch_fault")
    section(r, 3, [r"^Hardware watchpoint 2: counter$"], "watch_fault")
    segv = [r"^Program received signal SIGSEGV, Segmentation fault\.$",
            FRAME % ("main", r"watch_fault\.c", store)]
    if gdbserver_never_fired(ctx, hw, r, "counter", 4, [segv], "watch_fault"):
        return None
    hits = watch_hits(r.section(4), "Hardware watchpoint", "counter")
    if hits != [(0, 1)]:
        fail(r, "continue #1: expected exactly one hit Old value = 0 / New value = 1, got %s"
                % (hits or "none"))
    section(r, 4, [FRAME % ("main", r"watch_fault\.c", store)], "watch_fault: the hit")
    section(r, 5, segv, "watch_fault: the store faults")
    section(r, 6, [r"^\$1 = 0$"], "watch_fault: the read-only page is unchanged")
    return None


# ------------------------------------------------------------------------------------------
# b3. a watched store under a breakpoint whose condition the stub evaluates
# ------------------------------------------------------------------------------------------
def t_watch_cond(ctx, guard):
    hw = stub_uses_hw(ctx, guard)
    cmds = ["break main", "continue", "set breakpoint condition-evaluation target",
            "break store if i == 99", "watch watched"] + ["continue"] * 4
    r, stub = gdb_session(ctx, guard, "watch_cond", cmds, what="watch_cond")
    section(r, 5, [r"^Hardware watchpoint 3: watched$"], "watch_cond")
    expect_absent(r.raw, [r"^Breakpoint 2,"], "watch_cond: the condition is never true")
    first = 6
    if gdbserver_never_fired(ctx, hw, r, "watched", first, [[EXITED_NORMALLY]], "watch_cond",
                             number=3):
        return None
    for k in range(3):
        hits = watch_hits(r.section(first + k), "Hardware watchpoint", "watched", number=3)
        if hits != [(k, k + 1)]:
            fail(r, "continue #%d: expected exactly one hit Old value = %d / New value = %d, "
                    "got %s" % (k + 1, k, k + 1, hits or "none"))
        section(r, first + k, [r"^(?:0x[0-9a-f]+ in )?store \(i=%d\) at \S+/watch_cond\.c:\d+$"
                               % (k + 1)], "watch_cond: reported in store()")
    section(r, first + 3, [EXITED_NORMALLY], "watch_cond: the end")
    check_output(stub, r"^watch_cond: watched=3$", "watch_cond")
    return None


# ------------------------------------------------------------------------------------------
# b4. non-stop: a watchpoint inserted while a thread runs
# ------------------------------------------------------------------------------------------
def t_watch_nonstop(ctx, guard):
    hw = stub_uses_hw(ctx, guard)
    if not hw and ctx.is_gdbserver:
        # It would accept the watchpoint and never stop: nothing to wait for.
        known_failure(NEVER_FIRES)
        return None
    prog = ctx.prog("watch_nonstop")
    stub = gdbtest.Stub(guard, ctx.stub, prog)
    mi = gdbtest.MiSession(guard, ctx.opts.gdb, None, interpreter="mi3")
    what = "watch_nonstop [%s]" % ctx.name

    def send(cmd, expect, stopped=False):
        records = mi.command(cmd, until_stopped=stopped, prompt_after_stop=False)
        text = "\n".join(records) + "\n"
        expect_in_order(text, expect, "%s: %s" % (what, cmd))
        expect_absent(text, [r"^\^error"] + PROTOCOL_TROUBLE, "%s: %s" % (what, cmd))
        return text

    try:
        send("-gdb-set mi-async on", [r"^\^done$"])
        send("-gdb-set non-stop on", [r"^\^done$"])
        send("-file-exec-and-symbols " + prog, [r"^\^done$"])
        send("-target-select remote 127.0.0.1:%d" % stub.port, [r"^\^connected$"])
        send("-break-insert ready", [r"^\^done,bkpt=\{number=\"1\""])
        send("-exec-continue", [r"^\^running$", r'^\*stopped,reason="breakpoint-hit",'
                                r'.*func="ready".*thread-id="1"'], stopped=True)
        # The spinner runs on; the watchpoint must stop it, not wait for it to stop.
        send("-break-watch counter",
             [r'^\^done,wpt=\{number="2",exp="counter"\}$',
              r'^\*stopped,reason="watchpoint-trigger",wpt=\{number="2",exp="counter"\},'
              r'value=\{old="-?\d+",new="-?\d+"\},frame=\{.*func="spin".*\},'
              r'thread-id="2",stopped-threads=\["2"\]'], stopped=True)
        send('-data-evaluate-expression "stop_now = 1"', [r'^\^done,value="1"$'])
        send("-break-delete", [r"^\^done$"])
        send("-exec-continue --all", [r"^\^running$", r'^\*stopped,reason="exited-normally"'],
             stopped=True)
        send("-gdb-exit", [r"^\^exit$"])
        mi.close()
        stub.wait_exit()
    finally:
        gdbtest.log("----- %s: transcript -----\n%s" % (what, mi.pretty()))
    check_output(stub, r"^watch_nonstop: done$", "watch_nonstop")
    return None


# ------------------------------------------------------------------------------------------
# c, d. rwatch, awatch, hbreak: debug registers only
# ------------------------------------------------------------------------------------------
def refused_then_runs(ctx, guard, set_cmd, error_line, kind_line, what):
    """stubborn without working debug registers: the point is accepted by gdb,
    refused by the stub at the next resume (gdb's insertion error, the program not resumed),
    and once it is deleted the program runs to its end."""
    cmds = ["break main", "continue", set_cmd, "continue", "frame", "delete 2", "continue"]
    r, stub = gdb_session(ctx, guard, "hw_points", cmds, what=what)
    section(r, 3, [kind_line], what)
    section(r, 4, [r"^Warning:$", error_line] + INSERT_FAILED_TAIL, what + ": the refusal")
    expect_absent(r.section(4), [r"^Hardware", r"^Breakpoint 2,", EXITED_NORMALLY],
                  what + ": nothing ran")
    section(r, 5, [r"^#0  main \(\) at \S+/hw_points\.c:\d+$"], what + ": still in main")
    section(r, 7, [EXITED_NORMALLY], what + ": after delete 2")
    check_output(stub, r"^hw_points: shared=30 seen=30$", what)
    gdbtest.log("%s: refused by the stub as expected without debug registers:\n  %s"
                % (what, "\n  ".join(r.section(4).strip().splitlines())))


def accepted_never_fires(ctx, guard, set_cmd, kind_line, what, message):
    cmds = ["break main", "continue", set_cmd, "continue", "continue"]
    r, stub = gdb_session(ctx, guard, "hw_points", cmds, what=what)
    section(r, 3, [kind_line], what)
    expect_absent(r.section(4), [r" 2: shared$", r"^Breakpoint 2,"], what + ": no hit")
    section(r, 4, [EXITED_NORMALLY], what + " (never fires)")
    section(r, 5, [NOT_RUNNING], what)
    check_output(stub, r"^hw_points: shared=30 seen=30$", what)
    known_failure(message)


def hw_only(ctx, guard, set_cmd, kind_line, expected, what, error_line, message):
    """expected(r, first): the checks when the debug registers work (commands from `first`
    on are the continues)."""
    hw = stub_uses_hw(ctx, guard)
    if not hw and not ctx.is_gdbserver:
        # Without working debug registers stubborn refuses these, rather than claim points
        # that never fire.
        return refused_then_runs(ctx, guard, set_cmd, error_line, kind_line, what)
    if not hw:
        return accepted_never_fires(ctx, guard, set_cmd, kind_line, what, message)
    cmds = ["break main", "continue", set_cmd] + ["continue"] * 9
    r, stub = gdb_session(ctx, guard, "hw_points", cmds, what=what)
    section(r, 3, [kind_line], what)
    expected(r, 4)
    check_output(stub, r"^hw_points: shared=30 seen=30$", what)
    return None


def expect_hit_sequence(r, first, kind, expected, what):
    """expected: [(hit, function, line)] per continue from `first`, then the exit."""
    for n, (hit, func, line) in enumerate(expected):
        hits = watch_hits(r.section(first + n), kind, "shared")
        if hits != [hit]:
            fail(r, "%s: continue #%d: expected exactly the hit %s, got %s"
                    % (what, n + 1, hit, hits or "none"))
        section(r, first + n, [FRAME % (func, r"hw_points\.c", line)], what)
    section(r, first + len(expected), [EXITED_NORMALLY], what + ": the end")
    section(r, first + len(expected) + 1, [NOT_RUNNING], what + ": after the end")


def t_rwatch(ctx, guard):
    """rwatch shared: x86 cannot watch reads alone; gdb inserts an access watchpoint and
    ignores the accesses that changed the value (the writes), so each `seen = shared` in
    touch(1..3) is a hit (Value = 10, 20, 30), then main's printf reads it once more."""
    read = src_line(ctx, "hw_points.c", "SHARED-READ")
    end = src_line(ctx, "hw_points.c", "HW-POINTS-END")

    def expected(r, first):
        seq = [((None, v), "touch", read) for v in (10, 20, 30)] + [((None, 30), "main", end)]
        expect_hit_sequence(r, first, "Hardware read watchpoint", seq, "rwatch")
    return hw_only(ctx, guard, "rwatch shared", r"^Hardware read watchpoint 2: shared$",
                   expected, "rwatch", r"^Could not insert hardware watchpoint 2\.$",
                   NEVER_FIRES)


def t_awatch(ctx, guard):
    """awatch shared: every write (Old value / New value, stopped on the next line) and
    every read (Value =) in touch(1..3), then main's printf read."""
    read = src_line(ctx, "hw_points.c", "SHARED-READ")
    end = src_line(ctx, "hw_points.c", "HW-POINTS-END")

    def expected(r, first):
        seq = []
        for k in (1, 2, 3):
            seq.append((((k - 1) * 10, k * 10), "touch", read))  # the write; pc on the read
            seq.append(((None, k * 10), "touch", read))          # the read
        seq.append(((None, 30), "main", end))
        expect_hit_sequence(r, first, "Hardware access (read/write) watchpoint", seq, "awatch")
    return hw_only(ctx, guard, "awatch shared",
                   r"^Hardware access \(read/write\) watchpoint 2: shared$", expected, "awatch",
                   r"^Could not insert hardware watchpoint 2\.$", NEVER_FIRES)


def t_hbreak(ctx, guard):
    """hbreak touch: 3 hits (k = 1, 2, 3), then the end."""
    write = src_line(ctx, "hw_points.c", "SHARED-WRITE")

    def expected(r, first):
        for k in (1, 2, 3):
            section(r, first + k - 1, [r"^Breakpoint 2, touch \(k=%d\) at \S+/hw_points\.c:%d$"
                                       % (k, write)], "hbreak hit %d" % k)
        section(r, first + 3, [EXITED_NORMALLY], "hbreak: the end")
        section(r, first + 4, [NOT_RUNNING], "hbreak: after the end")
    return hw_only(ctx, guard, "hbreak touch",
                   r"^Hardware assisted breakpoint 2 at 0x[0-9a-f]+: file \S+/hw_points\.c, "
                   r"line %d\.$" % write, expected, "hbreak",
                   r"^Cannot insert hardware breakpoint 2\.$", HBREAK_NEVER_FIRES)


# ------------------------------------------------------------------------------------------
# e. tbreak, until, advance
# ------------------------------------------------------------------------------------------
def t_tbreak_until_advance(ctx, guard):
    """tbreak main stops once and is gone; `advance long_loop` runs the 20000 visit() calls
    and stops in long_loop; `until LOOP-AFTER` runs the one-line loop; `advance tick` from
    long_loop stops first where long_loop returns in main (advance also stops when the
    current frame returns), then at tick(k=1); `finish`; `until` at the end of the tick
    loop runs the remaining iterations and stops on the line after the loop."""
    f, fre = "loops.c", r"loops\.c"
    before, after = src_line(ctx, f, "LOOP-BEFORE"), src_line(ctx, f, "LOOP-AFTER")
    tick_loop, tick_body = src_line(ctx, f, "MAIN-TICK-LOOP"), src_line(ctx, f, "TICK-BODY")
    end = src_line(ctx, f, "MAIN-END")
    cmds = ["tbreak main", "continue", "info breakpoints", "advance long_loop", "p total",
            "until %d" % after, "p sum", "advance tick", "advance tick", "finish", "until",
            "p ticks", "info breakpoints", "continue"]
    r, stub = gdb_session(ctx, guard, "loops", cmds, what="tbreak_until_advance")
    what = "tbreak_until_advance"
    section(r, 1, [r"^Temporary breakpoint 1 at 0x[0-9a-f]+: file \S+/loops\.c, line \d+\.$"],
            what)
    section(r, 2, [r"^Temporary breakpoint 1, main \(argc=1, argv=0x[0-9a-f]+\) at "
                   r"\S+/loops\.c:\d+$"], what)
    section(r, 3, [r"^No breakpoints or watchpoints\.$"], what + ": the tbreak is gone")
    section(r, 4, [FRAME % ("long_loop", fre, before), r"^%d\t" % before], what)
    section(r, 5, [r"^\$1 = 199990000$"], what + ": 20000 visits before long_loop")
    section(r, 6, [FRAME % ("long_loop", fre, after), r"^%d\t" % after], what)
    section(r, 7, [r"^\$2 = 499500$"], what + ": the loop ran to its end")
    section(r, 8, [FRAME % ("main", fre, tick_loop), r"^%d\t" % tick_loop],
            what + ": advance stops where long_loop returns")
    section(r, 9, [r"^tick \(k=1\) at \S+/loops\.c:%d$" % tick_body], what)
    section(r, 10, [FRAME % ("main", fre, tick_loop)], what + ": finish")
    section(r, 11, [r"^%d\t  printf" % end], what + ": until leaves the loop")
    section(r, 12, [r"^\$3 = 15$"], what + ": every tick ran")
    section(r, 13, [r"^No breakpoints or watchpoints\.$"], what)
    section(r, 14, [EXITED_NORMALLY], what)
    check_output(stub, r"^loops: total=199990000 sum=499501 ticks=15$", what)
    return transcript(r)


# ------------------------------------------------------------------------------------------
# f. conditions, host and target
# ------------------------------------------------------------------------------------------
def cond_test(ctx, guard, mode, count):
    what = "cond_%s" % mode
    last = count - 1
    body = src_line(ctx, "loops.c", "VISIT-BODY")
    cmds = ["set breakpoint condition-evaluation %s" % mode, "break visit if i == %d" % last,
            "continue", "p i", "p total", "info breakpoints", "continue"]
    r, stub = gdb_session(ctx, guard, "loops", cmds, args=[str(count)], what=what)
    # gdb falls back to host evaluation, with this warning, when the stub lacks
    # ConditionalBreakpoints.
    expect_absent(r.section(1), [r"[Ww]arning", r"not support"], what)
    section(r, 3, [r"^Breakpoint 1, visit \(i=%d\) at \S+/loops\.c:%d$" % (last, body)],
            what + ": the one stop")
    section(r, 4, [r"^\$1 = %d$" % last], what)
    section(r, 5, [r"^\$2 = %d$" % (last * (last - 1) // 2)], what + ": every earlier call ran")
    # gdb names the evaluator only when it is not the default (host).
    evals = r" \(target evals\)" if mode == "target" else r"(?: \(host evals\))?"
    section(r, 6, [r"^\s+stop only if i == %d%s$" % (last, evals),
                   r"^\s+breakpoint already hit 1 time$"], what)
    section(r, 7, [EXITED_NORMALLY], what + ": no second stop")
    check_output(stub, r"^loops: total=%d " % (count * last // 2), what)
    return transcript(r)


def t_cond_host(ctx, guard):
    return cond_test(ctx, guard, "host", 2000)


def t_cond_target(ctx, guard):
    return cond_test(ctx, guard, "target", 20000)


# ------------------------------------------------------------------------------------------
# g. next over a one-line loop
# ------------------------------------------------------------------------------------------
def next_test(ctx, guard, range_stepping):
    what = "next_%s" % ("range" if range_stepping else "norange")
    line, after = src_line(ctx, "loops.c", "LOOP-LINE"), src_line(ctx, "loops.c", "LOOP-AFTER")
    # Set after connecting: gdb then warns if the stub has no vCont;r.
    cmds = ["set range-stepping %s" % ("on" if range_stepping else "off"),
            "break loops.c:%d" % line, "continue", "next", "p sum", "p i", "continue"]
    r, stub = gdb_session(ctx, guard, "loops", cmds, args=["10"], what=what)
    expect_absent(r.section(1), [r"[Ww]arning", r"not supported"], what)
    section(r, 3, [r"^Breakpoint 1, long_loop \(\) at \S+/loops\.c:%d$" % line], what)
    text = r.section(4)
    if not re.fullmatch(r"%d\t  sum = sum \+ 1; /\* LOOP-AFTER \*/\n" % after, text):
        fail(r, "%s: `next` should print only line %d, got:\n%s" % (what, after, text))
    section(r, 5, [r"^\$1 = 499500$"], what + ": the whole loop ran")
    section(r, 6, [r"^\$2 = 1000$"], what)
    section(r, 7, [EXITED_NORMALLY], what)
    check_output(stub, r"^loops: total=45 sum=499501 ticks=15$", what)
    return transcript(r)


def t_next_range(ctx, guard):
    return next_test(ctx, guard, True)


def t_next_norange(ctx, guard):
    return next_test(ctx, guard, False)


# ------------------------------------------------------------------------------------------
# h. dprintf
# ------------------------------------------------------------------------------------------
TICKS = 5
DPRINTF = 'dprintf tick,"tick k=%d ticks=%d\\n", k, ticks'
TICK_RE = re.compile(r"^tick k=(\d+) ticks=(\d+)$", re.M)
EXPECTED_TICKS = [(k, k * (k - 1) // 2) for k in range(1, TICKS + 1)]


def ticks_in(text):
    return [(int(a), int(b)) for a, b in TICK_RE.findall(text)]


def t_dprintf_gdb(ctx, guard):
    what = "dprintf_gdb"
    cmds = ["set dprintf-style gdb", DPRINTF, "continue"]
    r, stub = gdb_session(ctx, guard, "loops", cmds, args=["10"], what=what)
    section(r, 2, [r"^Dprintf 1 at 0x[0-9a-f]+: file \S+/loops\.c, line %d\.$"
                   % src_line(ctx, "loops.c", "TICK-BODY")], what)
    got = ticks_in(r.section(3))
    if got != EXPECTED_TICKS:
        fail(r, "%s: gdb printed %s, expected %s" % (what, got, EXPECTED_TICKS))
    section(r, 3, [EXITED_NORMALLY], what)
    stub_side = ticks_in(stub.inferior_output()) + ticks_in(stub.stderr())
    if stub_side:
        fail(r, "%s: the stub printed dprintf lines too: %s" % (what, stub_side))
    return transcript(r)


def t_dprintf_agent(ctx, guard):
    what = "dprintf_agent"
    cmds = ["set dprintf-style agent", DPRINTF, "info breakpoints", "continue"]
    r, stub = gdb_session(ctx, guard, "loops", cmds, args=["10"], what=what)
    # Without BreakpointCommands gdb warns "Target cannot run dprintf commands, falling
    # back to GDB printf" and prints the lines itself.
    expect_absent(r.raw, [r"falling back", r"[Ww]arning"], what)
    section(r, 3, [r"^\s+agent-printf \"tick k=%d ticks=%d\\n\", k, ticks$"], what)
    section(r, 4, [EXITED_NORMALLY], what)
    in_gdb = ticks_in(r.raw)
    if in_gdb:
        fail(r, "%s: gdb printed the dprintf lines itself: %s" % (what, in_gdb))
    out, err = ticks_in(stub.inferior_output()), ticks_in(stub.stderr())
    got = out or err
    if (out and err) or got != EXPECTED_TICKS:
        raise TestFailure("%s: expected the stub to print %s, in order, on its stdout or its "
                          "stderr; stdout had %s, stderr %s\nstub stdout:\n%s\nstub stderr:\n%s"
                          % (what, EXPECTED_TICKS, out, err, stub.inferior_output(),
                             stub.stderr()))
    gdbtest.log("%s: the stub printed the %d lines on its %s" % (what, TICKS,
                                                                "stdout" if out else "stderr"))
    return None


# ------------------------------------------------------------------------------------------
# monitor watchpoints (stubborn only)
# ------------------------------------------------------------------------------------------
def t_monitor(ctx, guard):
    """`monitor watchpoints` (qRcmd) exists, says how watchpoints work (debug registers, or
    write watchpoints emulated), and its self-check agrees with a native gdb's."""
    hw = stub_uses_hw(ctx, guard)
    r, _ = gdb_session(ctx, guard, "hw_points", ["monitor watchpoints"], what="monitor",
                       trouble=[])
    text = r.section(1)
    expect_absent(text, [r"Unknown monitor command", r"Protocol error"],
                  "monitor watchpoints: the command must exist")
    expect_absent(r.raw, PROTOCOL_TROUBLE, "monitor [%s] gdb output" % ctx.name)
    mode = r"^Watchpoints and hardware breakpoints: in the debug registers" if hw else \
        r"^Write watchpoints: emulated in the stub"
    if not re.search(mode, text, re.M):
        fail(r, "monitor watchpoints: expected /%s/, got:\n%s" % (mode, text))
    # The stub's own self-check must agree with the native gdb probe.
    fire = probe_hw(ctx, guard) if EMULATED else hw
    said = r"^Debug registers on this machine: %s" % ("they fire" if fire else "they do not fire")
    if not re.search(said, text, re.M):
        fail(r, "monitor watchpoints: expected %r (native probe), got:\n%s" % (said, text))
    gdbtest.log("monitor watchpoints (debug registers %s, %s):\n%s"
                % ("work" if fire else "do not work", "used" if hw else "not used",
                   text.rstrip()))
    return None


TESTS = {
    "watch_threads": t_watch_threads,
    "watch_alias": t_watch_alias,
    "watch_local": t_watch_local,
    "watch_fault": t_watch_fault,
    "watch_cond": t_watch_cond,
    "watch_nonstop": t_watch_nonstop,
    "rwatch": t_rwatch,
    "awatch": t_awatch,
    "hbreak": t_hbreak,
    "tbreak_until_advance": t_tbreak_until_advance,
    "cond_host": t_cond_host,
    "cond_target": t_cond_target,
    "next_range": t_next_range,
    "next_norange": t_next_norange,
    "dprintf_gdb": t_dprintf_gdb,
    "dprintf_agent": t_dprintf_agent,
    "monitor": t_monitor,
}

# Deterministic and quick: the normalized transcript must equal gdbserver's.
COMPARED = {"tbreak_until_advance", "next_range", "next_norange", "dprintf_gdb"}


EMULATED_TESTS = ["watch_threads", "watch_alias", "watch_local", "watch_fault", "watch_cond",
                  "watch_nonstop", "rwatch", "awatch", "hbreak", "monitor"]
TESTS.update({name + "_emulated": TESTS[name] for name in EMULATED_TESTS})


def main():
    global EMULATED
    if any(arg.endswith("_emulated") for arg in sys.argv[1:2]):
        EMULATED = True
        os.environ["STUBBORN_DEBUG_REGISTERS"] = "off"  # the stub inherits it
    gdbtest.run_named_test(TESTS, COMPARED, Ctx)


if __name__ == "__main__":
    gdbtest.main_wrapper(main)
