#!/usr/bin/env python3
"""Extended-remote (`--multi`, `target extended-remote`) and Ctrl-C, with a real gdb.

    extended.py NAME --stub STUB [--reference /usr/bin/gdbserver] --gdb GDB \
                --inferiors DIR --source-dir DIR

Each test runs against STUB; the ones in COMPARED also run --reference and require the
same normalized gdb transcript. Same process bookkeeping and budgets as cli.py.
"""

import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gdbtest  # noqa: E402
from gdbtest import TestFailure, expect_in_order  # noqa: E402
from cli import (Ctx, session, transcript, start_attach_target, thread_states,  # noqa: E402
                 finish_attach_target, wait_state, EXITED_NORMALLY)
from rsp_client import RspClient  # noqa: E402


def multi_stub(ctx, guard, options=("--multi",)):
    return gdbtest.Stub(guard, ctx.stub, None, options=options)


def end_multi_stub(ctx, stub, what):
    """A --multi stub outlives gdb: it must still be serving; SIGTERM ends it."""
    if stub.proc.poll() is not None:
        raise TestFailure("%s: the --multi stub exited (status %r) when gdb went away; "
                          "stderr:\n%s" % (what, stub.proc.returncode, stub.stderr()))
    stub.terminate()


def ext(stub):
    return "target extended-remote 127.0.0.1:%d" % stub.port


# ------------------------------------------------------------------------------------------
def t_multi_restart(ctx, guard):
    """The IDE Restart flow: --multi, `set remote exec-file`, run to a breakpoint, kill,
    run again, run once more while stopped (gdb kills and restarts), continue to exit;
    the stub keeps serving afterwards."""
    prog = ctx.prog("basic")
    stub = multi_stub(ctx, guard)
    r = session(ctx, guard, ext(stub),
                ["set remote exec-file " + prog, "break compute", "run", "info inferiors",
                 "kill", "run", "run", "bt 1", "delete", "continue", "info inferiors"],
                prog=prog, what="multi_restart")
    for i in (3, 6, 7):
        expect_in_order(r.section(i), [r"^Breakpoint 1, compute \(seed=4\)"],
                        "multi_restart: `%s` (step %d)" % (r.commands[i], i))
    expect_in_order(r.section(5), [r"^\[Inferior 1 \(process \d+\) killed\]$"],
                    "multi_restart: kill")
    expect_in_order(r.section(10), [EXITED_NORMALLY], "multi_restart: continue")
    out = stub.inferior_output()
    if out.count("argv[0]=") != 3 or out.count("compute=105") != 1:
        raise TestFailure("multi_restart: expected 3 starts and 1 completed run; program "
                          "output:\n%s" % out)
    end_multi_stub(ctx, stub, "multi_restart")
    return transcript(r)


def t_multi_default_prog(ctx, guard):
    """`--multi COMM PROG`: the stub starts PROG and gdb (extended-remote, no `set remote
    exec-file`) debugs it; `kill` then `run` restarts it — gdb sends vRun with an empty
    file name, meaning "the program from the command line"."""
    prog = ctx.prog("basic")
    stub = gdbtest.Stub(guard, ctx.stub, prog, options=("--multi",))
    r = session(ctx, guard, ext(stub),
                ["break compute", "continue", "kill", "run", "delete", "continue"],
                prog=prog, what="multi_default_prog")
    for i in (2, 4):
        expect_in_order(r.section(i), [r"^Breakpoint 1, compute \(seed=4\)"],
                        "multi_default_prog: `%s` (step %d)" % (r.commands[i], i))
    expect_in_order(r.section(6), [EXITED_NORMALLY], "multi_default_prog: continue")
    end_multi_stub(ctx, stub, "multi_default_prog")
    return transcript(r)


def t_vattach(ctx, guard):
    """`attach PID` in extended-remote (vAttach) to a running 5-thread process, all
    threads listed, `detach` leaves it running (TracerPid 0) and the stub serving."""
    p, pid, out = start_attach_target(ctx, guard)
    stub = multi_stub(ctx, guard)
    r = session(ctx, guard, ext(stub), ["attach %d" % pid, "info threads", "detach"],
                prog=ctx.prog("attach_target"), what="vattach")
    expect_in_order(r.section(1), [r"^\[New Thread %d\.\d+\]$" % pid,
                                   r"in \S*sig\S*wait\S* \("], "vattach: attach")
    threads = re.findall(r"^[ *]\s+\d+\s+Thread %d\.\d+" % pid, r.section(2), re.M)
    if len(threads) != 5:
        raise TestFailure("vattach: %d threads, expected 5:\n%s" % (len(threads), r.section(2)))
    expect_in_order(r.section(3), [r"^\[Inferior 1 \(process %d\) detached\]$" % pid],
                    "vattach: detach")
    wait_state(pid, "RS")
    for tid, (state, tracer) in thread_states(pid).items():
        if state not in "RS" or tracer != "0":
            raise TestFailure("after detach: thread %d state %s TracerPid %s"
                              % (tid, state, tracer))
    end_multi_stub(ctx, stub, "vattach")
    finish_attach_target(p, out, "vattach")
    return "\n".join(gdbtest.normalize(r.section(i)) for i in (1, 3)).replace(str(pid), "PID")


def t_env_cwd(ctx, guard):
    """set environment / unset environment / set cwd (QEnvironmentHexEncoded,
    QEnvironmentUnset, QSetWorkingDir), then `run`: the program sees them. A second run
    with `set startup-with-shell off` and `set disable-randomization off`
    (QStartupWithShell, QDisableRandomization): ASLR is on. (gdb 13 quotes `$FOO` in
    vRun's arguments, so it reaches the program literally with or without a shell.)"""
    prog = ctx.prog("envprobe")
    workdir = tempfile.mkdtemp(prefix="stubborn-cwd-")
    try:
        stub = multi_stub(ctx, guard)
        r = session(ctx, guard, ext(stub),
                    ["set remote exec-file " + prog, "set environment FOO=bar",
                     "unset environment HOME", "set cwd " + workdir, "run $FOO",
                     "set startup-with-shell off", "set disable-randomization off",
                     "run $FOO"], prog=prog, what="env_cwd")
        for i in (5, 8):
            expect_in_order(r.section(i), [EXITED_NORMALLY], "env_cwd: run (step %d)" % i)
        out = stub.inferior_output()
        expect_in_order(out, [
            # first run: with a shell, randomization disabled
            r"^cwd=%s$" % re.escape(workdir), r"^FOO=bar$", r"^HOME=\(unset\)$",
            r"^norandom=1$", r"^argv\[1\]=\$FOO$",
            # second run: no shell, randomization enabled
            r"^cwd=%s$" % re.escape(workdir), r"^FOO=bar$", r"^HOME=\(unset\)$",
            r"^norandom=0$", r"^argv\[1\]=\$FOO$"], "env_cwd: program output")
        end_multi_stub(ctx, stub, "env_cwd")
    finally:
        os.rmdir(workdir)
    return transcript(r).replace(workdir, "WORKDIR")


def t_osdata(ctx, guard):
    """`info os processes` (qXfer:osdata:read:processes) lists the running processes,
    among them the stub itself with its command line."""
    stub = multi_stub(ctx, guard)
    r = session(ctx, guard, ext(stub), ["info os processes"], what="osdata")
    expect_in_order(r.section(1), [r"^pid\s+user\s+command\s+cores",
                                   r"^%d\s+\S+\s+\S*%s --multi 127\.0\.0\.1:0\s"
                                   % (stub.proc.pid, re.escape(os.path.basename(ctx.stub)))],
                    "osdata: info os processes")
    end_multi_stub(ctx, stub, "osdata")


def t_monitor_exit(ctx, guard):
    """`monitor exit` ends a --multi stub (how gdb's testsuite and IDEs stop a
    gdbserver --multi): the stub exits 0 once gdb disconnects."""
    prog = ctx.prog("basic")
    stub = multi_stub(ctx, guard)
    r = session(ctx, guard, ext(stub),
                ["set remote exec-file " + prog, "run", "monitor exit"], prog=prog,
                what="monitor_exit")
    expect_in_order(r.section(2), [EXITED_NORMALLY], "monitor_exit: run")
    try:
        rc = stub.wait_exit(timeout=3)
    except TestFailure:
        raise TestFailure("the stub did not exit after `monitor exit`; gdb said:\n%s"
                          % r.section(3)) from None
    if rc != 0:
        raise TestFailure("stub exit status %r after `monitor exit`" % rc)
    return transcript(r)


def hx(text):
    return text.encode().hex()


def t_raw_extended(ctx, guard):
    """The extended-remote packets, raw: `!`, QEnvironmentReset/HexEncoded/Unset,
    QSetWorkingDir, QStartupWithShell, QDisableRandomization, vRun, vKill, R,
    qXfer:osdata:read. The program run by vRun sees the environment and cwd."""
    stub = multi_stub(ctx, guard)
    c = RspClient("127.0.0.1", stub.port, timeout=gdbtest.budget(10))
    prog = ctx.prog("envprobe")
    workdir = tempfile.mkdtemp(prefix="stubborn-cwd-")

    def ok(pkt):
        r = c.request(pkt)
        if r != b"OK":
            raise TestFailure("%s: reply %r, expected OK\n%s" % (pkt, r, c.transcript()))

    def stop_reply(pkt, pattern=rb"^T05.*thread:(?:p[0-9a-f]+\.)?([0-9a-f]+);"):
        r = c.request(pkt)
        m = re.match(pattern, r)
        if not m:
            raise TestFailure("%s: reply %r, expected /%s/\n%s"
                              % (pkt, r, pattern.decode(), c.transcript()))
        return m

    try:
        ok("!")
        ok("QEnvironmentReset")
        ok("QEnvironmentHexEncoded:" + hx("FOO=raw"))
        ok("QEnvironmentUnset:" + hx("HOME"))
        ok("QSetWorkingDir:" + hx(workdir))
        ok("QStartupWithShell:0")
        ok("QDisableRandomization:1")
        stop_reply("vRun;" + hx(prog) + ";" + hx("one"))
        stop_reply("vCont;c", rb"^W00")
        expect_in_order(stub.inferior_output(), [
            r"^cwd=%s$" % re.escape(workdir), r"^FOO=raw$", r"^HOME=\(unset\)$",
            r"^norandom=1$", r"^argv\[1\]=one$"], "raw_extended: program output")
        m = stop_reply("vRun;" + hx(prog) + ";" + hx("two"))
        pid1 = int(m.group(1), 16)
        ok("vKill;%x" % pid1)
        if gdbtest.proc_status(pid1).get("State", "Z")[0] != "Z" and os.path.exists(
                "/proc/%d" % pid1):
            raise TestFailure("vKill: process %d still alive" % pid1)
        # R (restart, no reply) restarts the last program; `?` reports the new one.
        stop_reply("vRun;" + hx(prog) + ";" + hx("three"))
        c.send_packet("R00")
        m = stop_reply("?")
        pid3 = int(m.group(1), 16)
        data, offset = b"", 0
        while True:
            r = c.request("qXfer:osdata:read:processes:%x,fff" % offset)
            if r[:1] not in (b"m", b"l"):
                raise TestFailure("qXfer:osdata:read:processes at %d: %r" % (offset, r[:200]))
            data += r[1:]
            offset += len(r) - 1
            if r[:1] == b"l" or len(data) > 10 ** 7:
                break
        if b'<osdata type="processes">' not in data or \
                (b'<column name="pid">%d</column>' % stub.proc.pid) not in data:
            raise TestFailure("qXfer:osdata:read:processes: no stub pid in %r..." % data[:300])
        ok("vKill;%x" % pid3)
        # vRun with an empty file name runs the previous program again (gdb sends that
        # when `set remote exec-file` is unset), as gdbserver does.
        m = stop_reply("vRun;;" + hx("four"))
        ok("vKill;%x" % int(m.group(1), 16))
    finally:
        c.close()
        os.rmdir(workdir)
    end_multi_stub(ctx, stub, "raw_extended")


# ------------------------------------------------------------------------------------------
# Ctrl-C
# ------------------------------------------------------------------------------------------
INTERRUPT_LIMIT = 2.0  # seconds from \x03 to the stop record (the issue asks milliseconds)


def t_interrupt_mi(ctx, guard):
    """MI -exec-interrupt while 200 threads run: *stopped with SIGINT quickly, every
    thread of the process stopped, all 201 threads listed; then release the program and
    continue it to its exit."""
    prog = ctx.prog("many_threads")
    stub = gdbtest.Stub(guard, ctx.stub, prog)
    pid = stub.inferior_pid()
    mi = gdbtest.MiSession(guard, ctx.opts.gdb, prog)
    try:
        mi.command("-gdb-set mi-async on")
        mi.command("-target-select remote 127.0.0.1:%d" % stub.port)
        recs = mi.command("-exec-continue")
        expect_in_order("\n".join(recs), [r"^\^running$"], "interrupt_mi: continue")
        stub.wait_inferior_output(r"^many_threads: 200 threads running$", timeout=15)
        t0 = time.monotonic()
        recs = mi.command("-exec-interrupt", until_stopped=True, prompt_after_stop=False)
        elapsed = time.monotonic() - t0
        text = "\n".join(recs)
        expect_in_order(text, [r"^\^done$", r'^\*stopped,reason="signal-received",'
                               r'signal-name="SIGINT",signal-meaning="Interrupt"'],
                        "interrupt_mi: -exec-interrupt")
        gdbtest.log("interrupt_mi: -exec-interrupt -> *stopped in %.3f s" % elapsed)
        if elapsed > INTERRUPT_LIMIT:
            raise TestFailure("interrupt_mi: *stopped after %.2f s (limit %.1f s)"
                              % (elapsed, INTERRUPT_LIMIT))
        running = [tid for tid, (state, _) in thread_states(pid).items() if state not in "tT"]
        if running:
            raise TestFailure("interrupt_mi: threads not stopped after the SIGINT stop: %s"
                              % running[:10])
        recs = mi.command("-thread-info")
        n = len(re.findall(r'\{id="\d+",target-id="Thread', "\n".join(recs)))
        if n != 201:
            raise TestFailure("interrupt_mi: -thread-info lists %d threads, expected 201" % n)
        mi.command('-data-evaluate-expression "release = 1"')
        recs = mi.command("-exec-continue", until_stopped=True, prompt_after_stop=False)
        expect_in_order("\n".join(recs), [r'^\*stopped,reason="exited-normally"'],
                        "interrupt_mi: continue to exit")
        mi.command("-gdb-exit")
        mi.close()
    except TestFailure:
        gdbtest.log(mi.pretty()[-6000:])
        raise
    stub.wait_exit()
    expect_in_order(stub.inferior_output(), [r"^many_threads: released=1 value=\d+ exit$"],
                    "interrupt_mi: program output")


def t_interrupt_raw(ctx, guard):
    """A raw \\x03 after vCont;c with 200 threads: a T02 stop reply naming a thread,
    within the limit, and every thread stopped."""
    prog = ctx.prog("many_threads")
    stub = gdbtest.Stub(guard, ctx.stub, prog)
    pid = stub.inferior_pid()
    c = RspClient("127.0.0.1", stub.port, timeout=gdbtest.budget(10))
    try:
        c.request("qSupported:multiprocess+;swbreak+;vContSupported+;no-resumed+")
        c.request("?")
        c.send_packet("vCont;c")
        stub.wait_inferior_output(r"^many_threads: 200 threads running$", timeout=15)
        t0 = time.monotonic()
        c.send_raw(b"\x03")
        r = c.read_packet(timeout=gdbtest.budget(10))
        elapsed = time.monotonic() - t0
        gdbtest.log("interrupt_raw: \\x03 -> %r in %.3f s" % (r[:40], elapsed))
        if not re.match(rb"^T02.*thread:(p[0-9a-f]+\.)?[0-9a-f]+;", r):
            raise TestFailure("interrupt_raw: reply %r, expected T02 with a thread" % r)
        if elapsed > INTERRUPT_LIMIT:
            raise TestFailure("interrupt_raw: T02 after %.2f s" % elapsed)
        running = [tid for tid, (state, _) in thread_states(pid).items() if state not in "tT"]
        if running:
            raise TestFailure("interrupt_raw: threads still running: %s" % running[:10])
        c.send_packet("k")
    finally:
        c.close()
    stub.wait_exit()


TESTS = {
    "multi_restart": t_multi_restart,
    "multi_default_prog": t_multi_default_prog,
    "vattach": t_vattach,
    "env_cwd": t_env_cwd,
    "osdata": t_osdata,
    "monitor_exit": t_monitor_exit,
    "raw_extended": t_raw_extended,
    "interrupt_mi": t_interrupt_mi,
    "interrupt_raw": t_interrupt_raw,
}
COMPARED = {"multi_restart", "multi_default_prog", "vattach", "env_cwd", "monitor_exit"}


def main():
    gdbtest.run_named_test(TESTS, COMPARED, Ctx)


if __name__ == "__main__":
    gdbtest.main_wrapper(main)
