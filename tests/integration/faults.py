#!/usr/bin/env python3
"""Faults: gdb dying, a broken or slow connection, signals to the stub, the program killed
from outside, garbage packets, ptrace refused (issue #8, item 3).

    faults.py NAME --stub STUB [--reference /usr/bin/gdbserver] --gdb GDB \
              --inferiors DIR --source-dir DIR

Every test ends by checking the program's fate itself (gone: no process, no zombie; or
detached: every thread running or sleeping with TracerPid 0), and the harness then fails
the test if any process carrying its token is left.

Already covered elsewhere, not repeated here: a nonexistent --attach PID
(cli.attach_missing), bad COMM addresses, a port in use, bad command lines, a second
connection, reconnecting without --once (cli.py), `m0,8` and a bad checksum in ack mode
(raw_packets.py), ^C (extended.py).

Not tested: launching a setuid program. The tests run as root, and a tracer with
CAP_SYS_PTRACE keeps the setuid exec (the kernel only drops the set-id bits for an
unprivileged tracer), so there is no refusal to observe.

Where gdbserver 13.1 is wrong and stubborn right, the test is registered for stubborn only
(STUBBORN_ONLY in faults.cmake) and its docstring says what gdbserver does.
"""

import ctypes
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gdbtest  # noqa: E402
from gdbtest import TestFailure, expect_in_order  # noqa: E402
from cli import (Ctx, session, transcript, start_attach_target, thread_states,  # noqa: E402
                 finish_attach_target, run_stub, xfail_check)
from rsp_client import RspClient, RspError, frame  # noqa: E402

GDB_QSUPPORTED = ("qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;"
                  "vfork-events+;exec-events+;vContSupported+;QThreadEvents+;no-resumed+;"
                  "memory-tagging+;xmlRegisters=i386")
SIGKILLED = r"^Program terminated with signal SIGKILL, Killed\.$"


# ------------------------------------------------------------------------------------------
# What must be true of the program at the end
# ------------------------------------------------------------------------------------------
def poll(cond, timeout, what):
    """cond() until it returns something true, at most `timeout` seconds."""
    deadline = time.monotonic() + gdbtest.budget(timeout)
    while True:
        value = cond()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TestFailure(what)
        time.sleep(0.01)


def expect_gone(pid, what, timeout=5):
    """The launched program was killed and reaped: no process, not even a zombie."""
    try:
        poll(lambda: not gdbtest.proc_status(pid), timeout, "")
    except TestFailure:
        raise TestFailure("%s: program %d still there; threads (state, TracerPid): %s"
                          % (what, pid, thread_states(pid))) from None


def expect_detached(pid, what):
    """Every thread of `pid` is running or sleeping, with no tracer."""
    def free():
        states = thread_states(pid)
        return states and all(s in "RS" and t == "0" for s, t in states.values())
    try:
        poll(free, 5, "")
    except TestFailure:
        raise TestFailure("%s: program %d not detached and running; threads (state, "
                          "TracerPid): %s" % (what, pid, thread_states(pid))) from None


def leader_state(pid):
    return gdbtest.proc_status(pid).get("State", "?")[0]


def expect_stub_exit(stub, what, status=None):
    rc = stub.wait_exit()
    if status is not None and rc != status:
        raise TestFailure("%s: stub exit status %r, expected %r; stderr:\n%s"
                          % (what, rc, status, stub.stderr()))
    return rc


# ------------------------------------------------------------------------------------------
# gdb (MI dialog) killed with SIGKILL mid-session
# ------------------------------------------------------------------------------------------
def mi_connect(ctx, guard, stub, prog):
    mi = gdbtest.MiSession(guard, ctx.opts.gdb, prog)
    mi.command("-gdb-set sysroot /")  # read shared libraries locally: faster, same result
    recs = mi.command("-target-select remote 127.0.0.1:%d" % stub.port)
    expect_in_order("\n".join(recs), [r"^\^connected"], "gdb connects")
    return mi


def kill_gdb(mi):
    mi.proc.kill()
    mi.proc.wait(timeout=gdbtest.budget(5))


def t_gdb_killed_stopped(ctx, guard):
    """gdb SIGKILLed while the launched program is stopped at a breakpoint: the stub
    kills the program and exits 0 (gdbserver: "Killing process(es): PID")."""
    prog = ctx.prog("basic")
    stub = gdbtest.Stub(guard, ctx.stub, prog)
    pid = stub.inferior_pid()
    mi = mi_connect(ctx, guard, stub, prog)
    mi.command("-break-insert compute")
    recs = mi.command("-exec-continue", until_stopped=True)
    expect_in_order("\n".join(recs), [r'^\*stopped,reason="breakpoint-hit"'], "continue")
    kill_gdb(mi)
    expect_stub_exit(stub, "gdb_killed_stopped", 0)
    expect_gone(pid, "gdb_killed_stopped")


def t_gdb_killed_running(ctx, guard):
    """gdb SIGKILLed while the launched program runs (all-stop, gdb waiting for a stop):
    the stub kills the program and exits 0.
    STUBBORN ONLY: gdbserver 13.1 mostly (2 runs in 3 here) prints "client connection
    closed" and goes on waiting for the running program: it ends only when the program
    stops or exits by itself."""
    prog = ctx.prog("attach_target")
    stub = gdbtest.Stub(guard, ctx.stub, prog)
    pid = stub.inferior_pid()
    mi = mi_connect(ctx, guard, stub, prog)
    recs = mi.command("-exec-continue")
    expect_in_order("\n".join(recs), [r"^\^running"], "continue")
    poll(lambda: leader_state(pid) in "RS", 5, "the program never ran")
    kill_gdb(mi)
    expect_stub_exit(stub, "gdb_killed_running", 0)
    expect_gone(pid, "gdb_killed_running")


def t_gdb_killed_stop_all(ctx, guard):
    """gdb SIGKILLed while 64 threads hit one breakpoint: gdb is killed as soon as the first
    thread is seen stopped, i.e. while the stub stops the others or just after. The stub
    kills the program and exits 0, whatever point of the stop-all the loss finds it at."""
    prog = os.path.join(ctx.opts.inferiors, "bench", "threads_hit")
    stub = gdbtest.Stub(guard, ctx.stub, prog, args=["64", "100"])
    pid = stub.inferior_pid()
    mi = mi_connect(ctx, guard, stub, prog)
    mi.command("-break-insert hit")
    recs = mi.command("-exec-continue")
    expect_in_order("\n".join(recs), [r"^\^running"], "continue")

    def some_worker_stopped():
        states = thread_states(pid) if gdbtest.proc_status(pid) else {}
        workers = [s for tid, (s, _) in states.items() if tid != pid]
        return states if any(s == "t" for s in workers) else None
    states = poll(some_worker_stopped, 10, "no thread ever stopped at the breakpoint")
    kill_gdb(mi)
    running = sum(1 for s, _ in states.values() if s in "RS")
    gdbtest.log("gdb killed with %d of %d threads not yet stopped" % (running, len(states)))
    expect_stub_exit(stub, "gdb_killed_stop_all", 0)
    expect_gone(pid, "gdb_killed_stop_all")


def gdb_killed_attached(ctx, guard, state):
    what = "gdb_killed_attached (%s)" % state
    p, pid, out = start_attach_target(ctx, guard)
    stub = gdbtest.Stub(guard, ctx.stub, None, args=[str(pid)], options=("--once", "--attach"))
    mi = mi_connect(ctx, guard, stub, ctx.prog("attach_target"))
    mi.command("-break-insert tick")
    recs = mi.command("-exec-continue", until_stopped=True)
    expect_in_order("\n".join(recs), [r'^\*stopped,reason="breakpoint-hit"'], what)
    if state == "running":
        # The workers call tick() all the time: run with a breakpoint that is inserted but
        # never hit again (main waits in sigwait).
        mi.command("-break-delete")
        mi.command("-break-insert main")
        recs = mi.command("-exec-continue")
        expect_in_order("\n".join(recs), [r"^\^running"], what)
        poll(lambda: all(st in "RS" for st, _ in thread_states(pid).values()), 5,
             "%s: threads never ran" % what)
    kill_gdb(mi)
    expect_stub_exit(stub, what, 0)
    expect_detached(pid, what)
    finish_attach_target(p, out, what)


def t_gdb_killed_attached(ctx, guard):
    """gdb SIGKILLed while an --attach'ed process is stopped at a breakpoint in a worker:
    the stub detaches (breakpoint removed, every thread running, TracerPid 0) and exits 0;
    the process then exits cleanly on its own (gdbserver: "Detaching process(es): PID")."""
    gdb_killed_attached(ctx, guard, "stopped")


def t_gdb_killed_attached_running(ctx, guard):
    """gdb SIGKILLed while an --attach'ed process runs under `continue`, a breakpoint
    inserted: the stub stops it, removes the breakpoint, detaches and exits 0; the process
    exits cleanly on its own.
    STUBBORN ONLY: as in gdb_killed_running, gdbserver 13.1 prints "client connection
    closed" and keeps waiting for the running process, still attached."""
    gdb_killed_attached(ctx, guard, "running")


def t_gdb_killed_stdio(ctx, guard):
    """`target remote | STUB - PROG`, gdb SIGKILLed with the program stopped at a
    breakpoint: the stub sees its stdin close, kills the program and exits.
    STUBBORN ONLY: gdbserver 13.1 spins at 100% CPU forever after its stdin closes, the
    program left traced and stopped."""
    prog = ctx.prog("basic")
    mi = gdbtest.MiSession(guard, ctx.opts.gdb, prog)
    mi.command("-gdb-set sysroot /")
    recs = mi.command("-target-select remote | exec %s - %s 2>/dev/null" % (ctx.stub, prog))
    expect_in_order("\n".join(recs), [r"^\^connected"], "gdb connects")
    mi.command("-break-insert compute")
    recs = mi.command("-exec-continue", until_stopped=True)
    expect_in_order("\n".join(recs), [r'^\*stopped,reason="breakpoint-hit"'], "continue")
    others = [q for q in guard.tagged_pids() if q != mi.proc.pid]
    kill_gdb(mi)
    for q in others:  # the stub and the program
        expect_gone(q, "gdb_killed_stdio (pid %d)" % q)


# ------------------------------------------------------------------------------------------
# The connection: cut mid-packet, and a very slow client
# ------------------------------------------------------------------------------------------
def t_partial_packet(ctx, guard):
    """The client sends `$m1234,` and closes: the stub drops the half packet, kills the
    program and exits 0."""
    stub = gdbtest.Stub(guard, ctx.stub, ctx.prog("basic"))
    pid = stub.inferior_pid()
    c = RspClient("127.0.0.1", stub.port, timeout=gdbtest.budget(10))
    c.send_raw(b"$m1234,")
    c.close()
    expect_stub_exit(stub, "partial_packet", 0)
    expect_gone(pid, "partial_packet")


def t_slow_client(ctx, guard):
    """Non-stop, the program running; the client sends `$vStopped#55` one byte a second.
    After its second byte the program exits (SIGUSR1 ends attach_target): the stub must
    reap it while the packet is incomplete (no zombie) and send `%Stop:W00;process:PID`;
    when the packet completes, vStopped is answered OK, and the next packet works.
    STUBBORN ONLY: gdbserver 13.1 reads the rest of a packet with blocking reads once its
    `$` has arrived: it handles none of the program's events until the packet ends: the exited
    program stays a zombie (every thread Z, still traced) for as long as the client takes."""
    stub = gdbtest.Stub(guard, ctx.stub, ctx.prog("attach_target"))
    pid = stub.inferior_pid()
    c = RspClient("127.0.0.1", stub.port, timeout=gdbtest.budget(20))
    try:
        c.request(GDB_QSUPPORTED)
        expect_reply(c, "QNonStop:1", r"^OK$")
        expect_reply(c, "?", r"^T05")
        expect_reply(c, "vStopped", r"^OK$")
        expect_reply(c, "vCont;c", r"^OK$")
        poll(lambda: leader_state(pid) in "RS", 5, "the program never ran")
        packet = frame(b"vStopped")
        c.send_raw(packet[:1])
        time.sleep(1)
        c.send_raw(packet[1:2])
        os.kill(pid, signal.SIGUSR1)
        try:
            expect_gone(pid, "slow_client, mid-packet")
        except TestFailure as e:
            raise TestFailure("%s\nlast packets:\n%s" % (e, c.transcript())) from None
        kind, body = c.read_packet(allow_notification=True)
        if (kind, body) != ("notification", b"Stop:W00;process:%x" % pid):
            raise TestFailure("mid-packet: expected %%Stop:W00;process:%x, got %s %r"
                              % (pid, kind, body))
        for i in range(2, len(packet)):
            time.sleep(1)
            c.send_raw(packet[i:i + 1])
        c.read_ack()
        kind, body = c.read_packet(allow_notification=True)
        if (kind, body) != ("packet", b"OK"):
            raise TestFailure("vStopped after the exit: expected OK, got %s %r" % (kind, body))
        expect_reply(c, "vMustReplyEmpty", r"^$")
    except RspError as e:
        raise TestFailure("RSP: %s\nlast packets:\n%s" % (e, c.transcript())) from None
    c.close()
    expect_stub_exit(stub, "slow_client", 0)


# ------------------------------------------------------------------------------------------
# Signals to the stub
# ------------------------------------------------------------------------------------------
TERMINATING = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def stub_status_after(ctx, stub, sig, what):
    """stubborn exits 1 with a message; gdbserver 13.1 has no handler and dies of it."""
    rc = stub.wait_exit()
    expected = -sig if ctx.is_gdbserver else 1
    if rc != expected:
        raise TestFailure("%s: stub exit status %r, expected %r; stderr:\n%s"
                          % (what, rc, expected, stub.stderr()))


def t_signal_launched(ctx, guard):
    """SIGTERM, SIGINT, SIGHUP to the stub with the launched program in each state: no gdb
    yet, gdb (a raw client) connected with the program stopped, and running (vCont;c):
    the program is killed and reaped, the stub ends."""
    for sig in TERMINATING:
        for state in ("listening", "stopped", "running"):
            what = "signal_launched %s %s" % (sig.name, state)
            stub = gdbtest.Stub(guard, ctx.stub, ctx.prog("attach_target"))
            pid = stub.inferior_pid()
            c = None
            if state != "listening":
                c = RspClient("127.0.0.1", stub.port, timeout=gdbtest.budget(10))
                expect_reply(c, "?", r"^T05")
            if state == "running":
                c.send_packet("vCont;c")
                poll(lambda: leader_state(pid) in "RS", 5, "%s: never ran" % what)
            stub.proc.send_signal(sig)
            stub_status_after(ctx, stub, sig, what)
            if c:
                c.close()
            expect_gone(pid, what)


def t_signal_attached(ctx, guard):
    """SIGTERM, SIGINT, SIGHUP to an --attach stub while gdb has the process stopped at a
    breakpoint in a worker (and SIGTERM once while it runs with a breakpoint inserted):
    the stub removes the breakpoint and detaches — every thread running, TracerPid 0 —
    and the process later exits cleanly.
    STUBBORN ONLY: gdbserver 13.1 just dies of the signal: the kernel detaches the
    threads, which are left stopped (State T, from gdbserver's SIGSTOPs), with tick()'s
    breakpoint still written in the code."""
    cases = [(sig, "stopped") for sig in TERMINATING] + [(signal.SIGTERM, "running")]
    for sig, state in cases:
        what = "signal_attached %s %s" % (sig.name, state)
        p, pid, out = start_attach_target(ctx, guard)
        stub = gdbtest.Stub(guard, ctx.stub, None, args=[str(pid)],
                            options=("--once", "--attach"))
        mi = mi_connect(ctx, guard, stub, ctx.prog("attach_target"))
        if state == "stopped":
            mi.command("-break-insert tick")
            recs = mi.command("-exec-continue", until_stopped=True)
            expect_in_order("\n".join(recs), [r'^\*stopped,reason="breakpoint-hit"'], what)
        else:
            mi.command("-break-insert main")  # inserted, never hit again
            recs = mi.command("-exec-continue")
            expect_in_order("\n".join(recs), [r"^\^running"], what)
            poll(lambda: all(st in "RS" for st, _ in thread_states(pid).values()), 5,
                 "%s: threads never ran" % what)
        stub.proc.send_signal(sig)
        stub_status_after(ctx, stub, sig, what)
        if not ctx.is_gdbserver:
            stub.wait_stderr(r"got .*; detaching from the program and exiting\.$", timeout=1)
        kill_gdb(mi)  # it may be waiting for a stop that will never come
        expect_detached(pid, what)
        finish_attach_target(p, out, what)


# ------------------------------------------------------------------------------------------
# The program killed from outside
# ------------------------------------------------------------------------------------------
def t_inferior_killed_stopped(ctx, guard):
    """SIGKILL to the program while it is stopped at a breakpoint: the next `continue`
    says `Program terminated with signal SIGKILL, Killed.`; the stub exits 0."""
    prog = ctx.prog("basic")
    stub = gdbtest.Stub(guard, ctx.stub, prog)
    pid = stub.inferior_pid()
    r = session(ctx, guard, "target remote 127.0.0.1:%d" % stub.port,
                ["break compute", "continue",
                 "python import os; os.kill(gdb.selected_inferior().pid, 9)",
                 "continue", "info threads"], prog=prog, what="inferior_killed_stopped")
    expect_in_order(r.section(2), [r"^Breakpoint 1, compute"], "continue")
    expect_in_order(r.section(4), [SIGKILLED, r"^The program no longer exists\.$"],
                    "continue after SIGKILL")
    expect_in_order(r.section(5), [r"^No threads\.$"], "info threads")
    expect_stub_exit(stub, "inferior_killed_stopped", 0)
    expect_gone(pid, "inferior_killed_stopped")
    return transcript(r)


def t_inferior_killed_running(ctx, guard):
    """SIGKILL to the program while it runs (gdb in `continue`): gdb says `Program
    terminated with signal SIGKILL, Killed.`; the stub exits 0."""
    prog = ctx.prog("attach_target")
    stub = gdbtest.Stub(guard, ctx.stub, prog)
    pid = stub.inferior_pid()
    # Stopped at the entry until gdb's continue; kill it once it runs.
    killer_error = []

    def killer():
        try:
            poll(lambda: leader_state(pid) in "RS", 20, "the program never ran")
            os.kill(pid, signal.SIGKILL)
        except TestFailure as e:
            killer_error.append(e)
    t = threading.Thread(target=killer, daemon=True)
    t.start()
    r = session(ctx, guard, "target remote 127.0.0.1:%d" % stub.port, ["continue"],
                prog=prog, what="inferior_killed_running")
    t.join()
    if killer_error:
        raise killer_error[0]
    expect_in_order(r.section(1), [SIGKILLED, r"^The program no longer exists\.$"],
                    "continue")
    expect_stub_exit(stub, "inferior_killed_running", 0)
    expect_gone(pid, "inferior_killed_running")
    return transcript(r)


# ------------------------------------------------------------------------------------------
# Garbage on the socket (raw client on `basic`, stopped at its entry)
# ------------------------------------------------------------------------------------------
def expect_reply(c, packet, pattern, what=None):
    r = c.request(packet)
    if re.search(pattern, r.decode(errors="replace")) is None:
        raise TestFailure("%s: reply %r does not match /%s/\nlast packets:\n%s"
                          % (what or packet, r[:200], pattern, c.transcript()))
    return r


def session_goes_on(c, what):
    """The session still works: ?, qC, and a memory read at the stopped pc."""
    stop = expect_reply(c, "?", r"^T05", "%s: ?" % what).decode()
    expect_reply(c, "qC", r"^QC", "%s: qC" % what)
    pc = re.search(r"(?:^T05|;)10:([0-9a-f]{16});", stop).group(1)
    expect_reply(c, "m%x,8" % int.from_bytes(bytes.fromhex(pc), "little"), r"^[0-9a-f]{16}$",
                 "%s: m<pc>,8" % what)


def raw_test(fn):
    """fn(ctx, client) against `basic`; then kill it as gdb does, and check it is gone."""
    def run(ctx, guard):
        stub = gdbtest.Stub(guard, ctx.stub, ctx.prog("basic"))
        pid = stub.inferior_pid()
        c = RspClient("127.0.0.1", stub.port, timeout=gdbtest.budget(20))
        try:
            c.request(GDB_QSUPPORTED)
            expect_reply(c, "Hgp0.0", r"^OK$")
            fn(ctx, c)
            c.send_packet("k")
        except RspError as e:
            raise TestFailure("RSP: %s\nlast packets:\n%s" % (e, c.transcript())) from None
        finally:
            c.close()
        expect_stub_exit(stub, fn.__name__, 0)
        expect_gone(pid, fn.__name__)
    run.__doc__ = fn.__doc__
    return run


@raw_test
def garbage_bytes(ctx, c):
    """64 KiB of random bytes outside any packet (no `$`, no ^C, no ack characters) are
    skipped; the session goes on."""
    rng = random.Random(8)
    skip = set(b"$%+-\x03")
    junk = bytes(b for b in rng.randbytes(80000) if b not in skip)[:65536]
    c.send_raw(junk)
    session_goes_on(c, "after random bytes")


@raw_test
def unterminated_packet(ctx, c):
    """`$qfoo` with no `#`, then a valid `?`: the reader drops the half packet at the next
    `$` (gdb never sends a raw `$` inside a packet) and answers `?`.
    gdbserver 13.1 reads `qfoo$?` as one packet, NAKs its checksum (an expected failure
    there); a retransmitted `?` then works."""
    c.send_raw(b"$qfoo" + frame(b"?"))
    ack = c.read_ack()

    def resyncs():
        if ack != b"+":
            raise TestFailure("unterminated packet: `?` after it got %r, not +" % ack)
    xfail_check(ctx, ctx.is_gdbserver, resyncs, "gdbserver reads up to the next `#`")
    if ack == b"+":
        expect_reply_body(c, r"^T05", "? after the unterminated packet")
    session_goes_on(c, "after an unterminated packet")


def expect_reply_body(c, pattern, what):
    r = c.read_packet()
    if re.search(pattern, r.decode(errors="replace")) is None:
        raise TestFailure("%s: reply %r does not match /%s/" % (what, r[:200], pattern))


@raw_test
def huge_packet(ctx, c):
    """A 10 MB packet (far beyond PacketSize) is acked and answered with an error reply,
    without the stub buffering it all; the session goes on.
    STUBBORN ONLY: gdbserver 13.1 overflows its packet buffer and dies of SIGSEGV."""
    body = b"vStubbornHuge:" + b"x" * (10 * 1024 * 1024)
    sender_error = []

    def send():  # in a thread: the stub answers before the last byte is sent
        try:
            c.sock.sendall(frame(body))
        except OSError as e:
            sender_error.append(e)
    t = threading.Thread(target=send, daemon=True)
    t.start()
    t.join(gdbtest.budget(20))
    if sender_error:
        raise TestFailure("sending 10 MB: %s" % sender_error[0])
    if c.read_ack() != b"+":
        raise TestFailure("10 MB packet: NAKed")
    expect_reply_body(c, r"^E[0-9a-fA-F]{2}$", "10 MB packet")
    session_goes_on(c, "after a 10 MB packet")


@raw_test
def no_ack_bad_checksum(ctx, c):
    """No-ack mode: a packet with a wrong checksum is dropped without a reply (stubborn:
    there is no NAK to make gdb retransmit, so a corrupt packet must not be obeyed either);
    the next packet gets its own reply.
    gdbserver 13.1 warns "Bad checksum ... [no-ack-mode, Bad medium?]" and executes the
    packet anyway (an expected failure there)."""
    if c.start_no_ack_mode() != b"OK":
        raise TestFailure("QStartNoAckMode refused")
    c.send_raw(b"$qC#00")
    first = c.request("vMustReplyEmpty")

    def dropped():
        if first != b"":
            raise TestFailure("the bad-checksum qC was answered: %r" % first)
    xfail_check(ctx, ctx.is_gdbserver, dropped, "gdbserver obeys bad checksums in no-ack")
    if first != b"":
        expect_reply_body(c, r"^$", "vMustReplyEmpty")
    session_goes_on(c, "after a bad checksum in no-ack mode")


@raw_test
def bad_register(ctx, c):
    """`p999`, `P999=00`, `p` of -1: an error reply each (`p10`, rip, still works); `g`
    still works. gdbserver 13.1 does not implement p/P on x86-64 at all: it answers every
    one of them empty (gdb then uses g/G), which is checked for it instead."""
    bad = ("p999", "P999=00", "pffffffffffffffff")
    if ctx.is_gdbserver:
        for pkt in bad + ("p10",):
            expect_reply(c, pkt, r"^$", "%s (gdbserver: p/P unsupported)" % pkt)
    else:
        for pkt in bad:
            expect_reply(c, pkt, r"^E[0-9a-fA-F]{2}$")
        expect_reply(c, "p10", r"^[0-9a-f]{16}$", "p10 (rip)")
    expect_reply(c, "g", r"^[0-9a-fx]+$")
    session_goes_on(c, "after bad registers")


@raw_test
def bad_memory(ctx, c):
    """Writes to unmapped memory (`M0,8:...`, `X0,1:a`) and a read that runs off the top
    of the address space: an error reply each. (`m0,8` is raw.read_unmapped.)"""
    for pkt in ("M0,8:0000000000000000", "X0,1:a", "mffffffffffffff00,200"):
        expect_reply(c, pkt, r"^E[0-9a-fA-F]{2}$")
    session_goes_on(c, "after bad memory accesses")


def xfer_length(c, obj, annex):
    data = b""
    while True:
        r = expect_reply(c, "qXfer:%s:read:%s:%x,fff" % (obj, annex, len(data)), r"^[ml]")
        data += r[1:]
        if r[:1] == b"l":
            return len(data)


@raw_test
def xfer_past_end(ctx, c):
    """qXfer reads at the object's end give `l` with no data; past the end, a defined
    reply (`l` or an error), and the session goes on."""
    for obj, annex in (("features", "target.xml"), ("auxv", ""), ("threads", ""),
                       ("libraries-svr4", "")):
        n = xfer_length(c, obj, annex)
        expect_reply(c, "qXfer:%s:read:%s:%x,100" % (obj, annex, n), r"^l$",
                     "%s at its end (%d)" % (obj, n))
        expect_reply(c, "qXfer:%s:read:%s:%x,100" % (obj, annex, n + 0x10000),
                     r"^(l|E[0-9a-fA-F]{2})$", "%s past its end" % obj)
    session_goes_on(c, "after qXfer past the end")


@raw_test
def vfile_errors(ctx, c):
    """vFile:open of a missing path (ENOENT), through a file (ENOTDIR), of a directory for
    writing (EISDIR) get `F-1,errno` in gdb's numbering; a bad fd gets `F-1,...`."""
    def hexpath(p):
        return p.encode().hex()
    expect_reply(c, "vFile:setfs:0", r"^F0$")
    expect_reply(c, "vFile:open:%s,0,0" % hexpath("/nonexistent/stubborn"), r"^F-1,2$")
    expect_reply(c, "vFile:open:%s,0,0" % hexpath("/etc/passwd/x"), r"^F-1,14$")  # 20
    expect_reply(c, "vFile:open:%s,1,0" % hexpath("/"), r"^F-1,15$")  # 21, O_WRONLY
    expect_reply(c, "vFile:unlink:%s" % hexpath("/nonexistent/stubborn"), r"^F-1,2$")
    for pkt in ("vFile:pread:7fff,10,0", "vFile:close:7fff", "vFile:fstat:7fff"):
        expect_reply(c, pkt, r"^F-1,[0-9a-f]+$")
    session_goes_on(c, "after vFile errors")


# ------------------------------------------------------------------------------------------
# ptrace refused
# ------------------------------------------------------------------------------------------
PTRACE_DETACH, PTRACE_SEIZE, PTRACE_INTERRUPT = 17, 0x4206, 0x4207


def t_attach_traced(ctx, guard):
    """--attach to a process another tracer (this script) already holds: gdbserver's
    message `Cannot attach to process PID: Operation not permitted (1), process PID is
    already traced by process TRACER`, then `Exiting`, exit 1; the
    process is not harmed (we let it go, and it exits cleanly)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
    p, pid, out = start_attach_target(ctx, guard)
    if libc.ptrace(PTRACE_SEIZE, pid, None, None) != 0:
        raise TestFailure("PTRACE_SEIZE: %s" % os.strerror(ctypes.get_errno()))
    try:
        rc, _, err = run_stub(ctx, guard, ["--once", "--attach", "127.0.0.1:0", str(pid)])
    finally:
        libc.ptrace(PTRACE_INTERRUPT, pid, None, None)
        os.waitpid(pid, 0x40000000)  # __WALL: the interrupt stop
        libc.ptrace(PTRACE_DETACH, pid, None, None)
    if rc != 1:
        raise TestFailure("exit status %r, expected 1; stderr:\n%s" % (rc, err))
    expect_in_order(err, [r"^Cannot attach to process %d: Operation not permitted \(1\), "
                          r"process %d is already traced by process %d$" % (pid, pid, os.getpid()),
                          r"^Exiting$"], "attach_traced stderr")
    expect_detached(pid, "attach_traced")
    finish_attach_target(p, out, "attach_traced")
    return err.replace(str(pid), "PID").replace(str(os.getpid()), "TRACER")


def t_attach_zombie(ctx, guard):
    """--attach to a zombie (a child of this script that exited, not yet reaped): gdbserver's
    message `Cannot attach to process PID: Operation not permitted (1), process PID is a
    zombie - the process has already terminated`, then `Exiting`, exit 1."""
    p = guard.track(subprocess.Popen(["true"], env=guard.env(), start_new_session=True))
    try:
        poll(lambda: leader_state(p.pid) == "Z", 5, "`true` did not become a zombie")
        rc, _, err = run_stub(ctx, guard, ["--once", "--attach", "127.0.0.1:0", str(p.pid)])
    finally:
        p.wait()
    if rc != 1:
        raise TestFailure("exit status %r, expected 1; stderr:\n%s" % (rc, err))
    expect_in_order(err, [r"^Cannot attach to process %d: Operation not permitted \(1\), "
                          r"process %d is a zombie - the process has already terminated$"
                          % (p.pid, p.pid), r"^Exiting$"], "attach_zombie stderr")
    return err.replace(str(p.pid), "PID")


TESTS = {
    "gdb_killed_stopped": t_gdb_killed_stopped,
    "gdb_killed_running": t_gdb_killed_running,
    "gdb_killed_stop_all": t_gdb_killed_stop_all,
    "gdb_killed_attached": t_gdb_killed_attached,
    "gdb_killed_attached_running": t_gdb_killed_attached_running,
    "gdb_killed_stdio": t_gdb_killed_stdio,
    "partial_packet": t_partial_packet,
    "slow_client": t_slow_client,
    "signal_launched": t_signal_launched,
    "signal_attached": t_signal_attached,
    "inferior_killed_stopped": t_inferior_killed_stopped,
    "inferior_killed_running": t_inferior_killed_running,
    "garbage_bytes": garbage_bytes,
    "unterminated_packet": unterminated_packet,
    "huge_packet": huge_packet,
    "no_ack_bad_checksum": no_ack_bad_checksum,
    "bad_register": bad_register,
    "bad_memory": bad_memory,
    "xfer_past_end": xfer_past_end,
    "vfile_errors": vfile_errors,
    "attach_traced": t_attach_traced,
    "attach_zombie": t_attach_zombie,
}

# Tests whose returned text must equal gdbserver's (normalized).
COMPARED = {"inferior_killed_stopped", "inferior_killed_running", "attach_traced",
            "attach_zombie"}


def main():
    gdbtest.run_named_test(TESTS, COMPARED, Ctx)


if __name__ == "__main__":
    gdbtest.main_wrapper(main)
