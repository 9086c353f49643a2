#!/usr/bin/env python3
"""The stub's command line, as a gdbserver user types it.

    cli.py NAME --stub STUB [--reference /usr/bin/gdbserver] --gdb GDB \
           --inferiors DIR --source-dir DIR

Each test starts STUB in one of gdbserver's command-line forms (COMM forms, --attach,
--wrapper, --disable-packet, bad addresses, bad command lines...), drives it with a real
gdb or a plain socket, and asserts what a user would see. Tests whose output must be
gdbserver's (error messages) also run --reference and compare. Every process carries
the test's token; leftovers fail the test.

gdbserver has no `unix:` sockets and no --selftest: those tests are registered for
stubborn only. Where gdbserver 13.1 itself falls short of what the issue asks and
stubborn is right, the check is an expected failure for gdbserver (XFAIL below: the
test passes only if exactly that check fails).
"""

import os
import re
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gdbtest  # noqa: E402
from gdbtest import TestFailure, expect_in_order, expect_absent, normalize  # noqa: E402

EXITED_NORMALLY = r"^\[Inferior 1 \(process \d+\) exited normally\]$"


Ctx = gdbtest.StubContext


class ExpectedFailure(Exception):
    """Raised by xfail_check when a check fails the way it is known to for this stub."""


def xfail_check(ctx, applies, fn, why):
    """Run check `fn`; when `applies` (a known shortfall of this stub), it must fail:
    log XFAIL and carry on; if it passes, that is an unexpected pass (update the test)."""
    if not applies:
        return fn()
    try:
        fn()
    except TestFailure as e:
        gdbtest.log("XFAIL (%s): %s\n  %s" % (ctx.name, why, str(e).splitlines()[0]))
        return None
    raise TestFailure("XPASS (%s): expected this check to fail (%s) but it passed" % (
        ctx.name, why))


def session(ctx, guard, target, commands, prog=None, what="", env=None):
    """gdb -batch against a running stub; protocol trouble fails the test."""
    # Shared libraries are read locally (vFile transfers are covered by the scenarios and
    # cost seconds per session); gdb without a program still reads it through the stub.
    r = gdbtest.run_gdb_batch(guard, ctx.opts.gdb, target, commands, prog=prog, env=env,
                              setup=["set sysroot /"] if prog else [])
    expect_absent(r.raw, gdbtest.PROTOCOL_TROUBLE, "%s [%s] gdb output" % (what, ctx.name))
    return r


def transcript(r):
    """The normalized session; the `target` command (port, path) is not compared."""
    text = normalize(r.pretty(commands=["target <CONNECTION>"] + r.commands[1:]))
    # `info inferiors`: the connection column (ephemeral ports), and the padding after
    # "process PID", whose width follows the pid's digit count.
    text = re.sub(r"\((extended-remote|remote) [^)]*\)", r"(\1 <CONNECTION>)", text)
    return re.sub(r"(process PID) +", r"\1 ", text)


def to_exit(ctx, guard, stub, target, prog, what, extra=()):
    """break compute, continue twice: the basic program stops in compute, then exits."""
    r = session(ctx, guard, target, ["break compute", "continue"] + list(extra) + ["continue"],
                prog=prog, what=what)
    expect_in_order(r.section(2), [r"^Breakpoint 1, compute \(seed=4\)"], what + " continue")
    expect_in_order(r.section(len(r.commands) - 1), [EXITED_NORMALLY], what + " last continue")
    return r


def run_stub(ctx, guard, args, timeout=10, env=None):
    """STUB ARGS to completion (for the forms that exit at once): (rc, stdout, stderr)."""
    try:
        p = guard.track(subprocess.Popen(
            [ctx.stub] + list(args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=guard.env(env), cwd=tempfile.gettempdir(),
            start_new_session=True))
        out, err = p.communicate(timeout=gdbtest.budget(timeout))
    except subprocess.TimeoutExpired:
        guard.kill_everything()
        raise TestFailure("%s %s did not exit within %ds" % (ctx.name, args, timeout))
    return p.returncode, out.decode(errors="replace"), err.decode(errors="replace")


def listening_sockets(port, v6=False):
    """Local addresses (hex, as in /proc/net/tcp*) LISTENing on `port`."""
    addrs = []
    with open("/proc/net/tcp6" if v6 else "/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            addr, p = fields[1].split(":")
            if int(p, 16) == port and fields[3] == "0A":
                addrs.append(addr)
    return addrs


def open_fds(pid):
    return sorted(int(x) for x in os.listdir("/proc/%d/fd" % pid))


# ------------------------------------------------------------------------------------------
# COMM forms
# ------------------------------------------------------------------------------------------
def t_tcp_once(ctx, guard):
    """--once 127.0.0.1:0 PROG: the common form; the stub exits 0 after the session."""
    prog = ctx.prog("basic")
    stub = gdbtest.Stub(guard, ctx.stub, prog)
    to_exit(ctx, guard, stub, "target remote 127.0.0.1:%d" % stub.port, prog, "tcp_once")
    rc = stub.wait_exit()
    if rc != 0:
        raise TestFailure("stub exit status %r after a normal session" % rc)
    expect_in_order(stub.stderr(), [r"^Process .*basic created; pid = \d+$",
                                    r"^Listening on port \d+$",
                                    r"^Remote debugging from host 127\.0\.0\.1, port \d+$",
                                    r"^Child exited with status 0$"], "stub stderr")


def t_inferior_fds(ctx, guard):
    """The launched program inherits the stub's stdin/stdout/stderr and nothing else
    (no listening socket, no /proc/PID/mem, no pipe): an fd leaked into the program
    keeps the port bound after the stub is gone and is visible to the program."""
    stub = gdbtest.Stub(guard, ctx.stub, ctx.prog("basic"))
    pid = stub.inferior_pid()
    fds = open_fds(pid)
    if fds != [0, 1, 2]:
        detail = "\n".join("  %d -> %s" % (fd, os.readlink("/proc/%d/fd/%d" % (pid, fd)))
                           for fd in fds)
        raise TestFailure("the program has fds %s, expected [0, 1, 2]:\n%s" % (fds, detail))
    # And after the session: connecting must not change that either.
    session(ctx, guard, "target remote 127.0.0.1:%d" % stub.port, ["kill"],
            prog=ctx.prog("basic"), what="inferior_fds")
    stub.wait_exit()


def t_loopback(ctx, guard):
    """`:PORT` — stubborn listens on 127.0.0.1 only (README, Security). GNU gdbserver
    13.1 listens on every interface (0.0.0.0) for `:PORT`: the loopback check is an
    expected failure there."""
    prog = ctx.prog("basic")
    stub = gdbtest.Stub(guard, ctx.stub, prog, comm=":0")

    def loopback_only():
        addrs = listening_sockets(stub.port)
        if addrs != ["0100007F"]:
            raise TestFailure("`:0` listens on %s (hex, /proc/net/tcp), expected only "
                              "127.0.0.1 (0100007F)" % addrs)
    xfail_check(ctx, ctx.is_gdbserver, loopback_only,
                "gdbserver binds :PORT to INADDR_ANY")
    if ctx.is_gdbserver and listening_sockets(stub.port) != ["00000000"]:
        raise TestFailure("gdbserver `:0`: expected 0.0.0.0, got %s"
                          % listening_sockets(stub.port))
    to_exit(ctx, guard, stub, "target remote 127.0.0.1:%d" % stub.port, prog, "loopback")
    stub.wait_exit()


def t_ipv6(ctx, guard):
    """--once [::1]:0 and --once ::1:0: listen on ::1 (only: gdbserver listens on every
    IPv6 address, an expected failure there); gdb connects with [::1]:PORT."""
    prog = ctx.prog("basic")
    for comm in ("[::1]:0", "::1:0"):
        stub = gdbtest.Stub(guard, ctx.stub, prog, comm=comm)

        def v6_loopback_only():
            addrs = listening_sockets(stub.port, v6=True)
            if addrs != ["00000000000000000000000001000000"]:
                raise TestFailure("%s: listening on %s (hex, /proc/net/tcp6), expected ::1 "
                                  "only" % (comm, addrs))
        xfail_check(ctx, ctx.is_gdbserver, v6_loopback_only,
                    "gdbserver 13.1 binds [::1]:PORT to the IPv6 wildcard address ::")
        to_exit(ctx, guard, stub, "target remote [::1]:%d" % stub.port, prog, "ipv6 " + comm)
        rc = stub.wait_exit()
        if rc != 0:
            raise TestFailure("%s: stub exit status %r" % (comm, rc))


def t_stdio_word(ctx, guard):
    """`target remote | STUB stdio PROG` (the word form of `-`)."""
    prog = ctx.prog("basic")
    fd, err_path = tempfile.mkstemp(prefix="stub-stderr-")
    os.close(fd)
    try:
        target = "target remote | exec %s stdio %s 2>>%s" % (ctx.stub, prog, err_path)
        r = to_exit(ctx, guard, None, target, prog, "stdio_word")
        with open(err_path, errors="replace") as f:
            err = f.read()
    finally:
        os.unlink(err_path)
    expect_in_order(err, [r"^compute=105$"], "stdio_word: inferior output on stub stderr")
    return transcript(r)


def _connect_unix_as(path, euid, fsuid):
    """In a forked child: set the effective uid to `euid` (and the filesystem uid to
    `fsuid`), connect to the Unix socket at `path`, send a qSupported packet, and report
    through the exit status: 10 connect refused (EACCES...), 11 connected and closed by
    the stub without a reply, 12 connected and got a reply, 13 other error."""
    import ctypes
    pid = os.fork()
    if pid == 0:
        code = 13
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            os.setgroups([])
            os.setresgid(65534, 65534, 0)
            os.setresuid(0, euid, 0)  # real uid 0 kept: setfsuid(0) stays allowed
            libc.setfsuid(fsuid)
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(5)
            try:
                s.connect(path)
            except OSError:
                os._exit(10)
            try:
                s.sendall(b"$qSupported#37")
                data = b""
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                    if b"#" in data:
                        break
                code = 12 if b"$" in data else 11
            except OSError:
                code = 11
        except BaseException:
            code = 13
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def t_unix_socket(ctx, guard):
    """stubborn only (gdbserver 13.1 has no unix: COMM). unix:PATH is created mode 0600;
    a peer of another uid is refused — both by the file mode (plain `nobody`) and, for a
    peer that gets past the file mode (effective uid nobody, filesystem uid root), by
    SO_PEERCRED; gdb connects with `target remote PATH` and debugs to the end; the
    socket file is removed afterwards."""
    tmpdir = tempfile.mkdtemp(prefix="stubborn-unix-")
    os.chmod(tmpdir, 0o755)
    path = os.path.join(tmpdir, "gdb.sock")
    prog = ctx.prog("basic")
    try:
        stub = gdbtest.Stub(guard, ctx.stub, prog, comm="unix:" + path,
                            listen_re=r"Listening on (?:Unix socket )?(\S+)")
        st = os.stat(path)
        if not stat.S_ISSOCK(st.st_mode) or stat.S_IMODE(st.st_mode) != 0o600:
            raise TestFailure("%s: mode %o, expected a socket with mode 0600"
                              % (path, st.st_mode))
        if os.getuid() == 0:
            code = _connect_unix_as(path, 65534, 65534)
            if code != 10:
                raise TestFailure("uid nobody: expected connect() refused by the file mode, "
                                  "child status %d" % code)
            code = _connect_unix_as(path, 65534, 0)
            if code != 11:
                raise TestFailure("euid nobody (fsuid root): expected the stub to close the "
                                  "connection without a reply (SO_PEERCRED), child status %d; "
                                  "stub stderr:\n%s" % (code, stub.stderr()))
        else:
            gdbtest.log("not root: the other-uid checks are skipped")
        to_exit(ctx, guard, stub, "target remote %s" % path, prog, "unix_socket")
        rc = stub.wait_exit()
        if rc != 0:
            raise TestFailure("stub exit status %r" % rc)
        if os.path.exists(path):
            raise TestFailure("%s still exists after the stub exited" % path)
    finally:
        if os.path.exists(path):
            os.unlink(path)
        os.rmdir(tmpdir)


# ------------------------------------------------------------------------------------------
# --attach
# ------------------------------------------------------------------------------------------
def start_attach_target(ctx, guard):
    """attach_target, running, tagged with the token; returns (popen, pid, output file)."""
    out = tempfile.TemporaryFile()
    p = guard.track(subprocess.Popen(
        [ctx.prog("attach_target")], stdin=subprocess.DEVNULL, stdout=out,
        stderr=subprocess.STDOUT, env=guard.env(), start_new_session=True))
    deadline = time.monotonic() + gdbtest.budget(10)
    while True:
        out.seek(0)
        if b"attach_target: ready" in out.read():
            break
        if time.monotonic() > deadline or p.poll() is not None:
            raise TestFailure("attach_target did not get ready")
        time.sleep(0.02)
    return p, p.pid, out


def wait_state(pid, states, timeout=5):
    deadline = time.monotonic() + gdbtest.budget(timeout)
    while True:
        st = gdbtest.proc_status(pid)
        if st.get("State", "?")[0] in states:
            return st
        if time.monotonic() > deadline:
            raise TestFailure("pid %d: state %r, expected one of %r"
                              % (pid, st.get("State"), states))
        time.sleep(0.02)


def thread_states(pid):
    states = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        st = gdbtest.proc_status(int(tid))
        states[int(tid)] = (st.get("State", "?")[0], st.get("TracerPid"))
    return states


def finish_attach_target(p, out, what):
    """SIGUSR1: an unharmed attach_target prints its clean-exit line and exits 0."""
    p.send_signal(signal.SIGUSR1)
    try:
        rc = p.wait(timeout=gdbtest.budget(10))
    except subprocess.TimeoutExpired:
        raise TestFailure("%s: attach_target did not exit after SIGUSR1 (left stopped or "
                          "harmed by the detach?)" % what)
    out.seek(0)
    text = out.read().decode(errors="replace")
    if rc != 0 or "exiting cleanly ticks_advanced=1" not in text:
        raise TestFailure("%s: attach_target exit status %r, output:\n%s" % (what, rc, text))


def attach_session_cmds(src):
    return ["info threads", "break tick", "continue", "bt 1", "delete", "detach"]


def t_attach(ctx, guard):
    """--attach COMM PID to a running 5-thread process: all threads in `info threads`,
    a breakpoint hit in a worker, detach (breakpoint removed) leaves it running —
    every thread sleeping/running, TracerPid 0 — and it exits cleanly afterwards."""
    p, pid, out = start_attach_target(ctx, guard)
    stub = gdbtest.Stub(guard, ctx.stub, None, args=[str(pid)], options=("--once", "--attach"))
    expect_in_order(stub.stderr(), [r"^Attached; pid = %d$" % pid], "stub stderr")
    r = session(ctx, guard, "target remote 127.0.0.1:%d" % stub.port,
                attach_session_cmds(ctx.opts.source_dir), prog=ctx.prog("attach_target"),
                what="attach")
    threads = re.findall(r"^[ *]\s+\d+\s+Thread %d\.\d+" % pid, r.section(1), re.M)
    if len(threads) != 5:
        raise TestFailure("attach: %d threads in `info threads`, expected 5:\n%s"
                          % (len(threads), r.section(1)))
    expect_in_order(r.section(3), [r"Thread \d+ \"attach_target\" hit Breakpoint 1, tick "
                                   r"\(id=\d\)"], "attach: continue")
    expect_in_order(r.section(6), [r"\[Inferior 1 \(process %d\) detached\]" % pid],
                    "attach: detach")
    rc = stub.wait_exit()
    if rc != 0:
        raise TestFailure("stub exit status %r after detach" % rc)
    st = wait_state(pid, "RS")
    if st.get("TracerPid") != "0":
        raise TestFailure("after detach: TracerPid %r" % st.get("TracerPid"))
    for tid, (state, tracer) in thread_states(pid).items():
        if state not in "RS" or tracer != "0":
            raise TestFailure("after detach: thread %d state %s TracerPid %s"
                              % (tid, state, tracer))
    finish_attach_target(p, out, "attach")
    return "\n".join(normalize(r.section(i)) for i in (1, 6)).replace(str(pid), "PID")


def t_attach_stopped(ctx, guard):
    """--attach to a process in group-stop (SIGSTOP): no hang, threads shown, and after
    detach it is still stopped (State T) as it was; SIGCONT then lets it finish."""
    p, pid, out = start_attach_target(ctx, guard)
    os.kill(pid, signal.SIGSTOP)
    wait_state(pid, "T")
    stub = gdbtest.Stub(guard, ctx.stub, None, args=[str(pid)], options=("--once", "--attach"))
    r = session(ctx, guard, "target remote 127.0.0.1:%d" % stub.port,
                ["info threads", "detach"], prog=ctx.prog("attach_target"),
                what="attach_stopped")
    threads = re.findall(r"^[ *]\s+\d+\s+Thread %d\.\d+" % pid, r.section(1), re.M)
    if len(threads) != 5:
        raise TestFailure("attach_stopped: %d threads, expected 5:\n%s"
                          % (len(threads), r.section(1)))
    stub.wait_exit()
    # Give a wrongly resumed process the time to show it.
    time.sleep(0.2)
    st = gdbtest.proc_status(pid)
    if not st.get("State", "").startswith("T") or st.get("TracerPid") != "0":
        raise TestFailure("after detach: State %r TracerPid %r, expected T (stopped) and 0"
                          % (st.get("State"), st.get("TracerPid")))
    os.kill(pid, signal.SIGCONT)
    wait_state(pid, "RS")
    finish_attach_target(p, out, "attach_stopped")


def t_attach_missing(ctx, guard):
    """--attach to a pid that does not exist: gdbserver's message, exit status 1."""
    pid = 4194303  # above the default pid_max (4194304 is the hard limit)
    while os.path.exists("/proc/%d" % pid):
        pid -= 1
    rc, out, err = run_stub(ctx, guard, ["--once", "--attach", "127.0.0.1:0", str(pid)])
    if rc != 1:
        raise TestFailure("exit status %r, expected 1; stderr:\n%s" % (rc, err))
    expect_in_order(err, [r"^Cannot attach to process %d: No such process \(3\)$" % pid,
                          r"^Exiting$"], "attach_missing stderr")
    return err.replace(str(pid), "PID")


# ------------------------------------------------------------------------------------------
# options
# ------------------------------------------------------------------------------------------
def t_wrapper(ctx, guard):
    """--wrapper env STUBBORN_WRAPPED=1 -- : the program runs under the wrapper and sees
    the variable; gdb still debugs the program itself (not the wrapper)."""
    prog = ctx.prog("envprobe")
    stub = gdbtest.Stub(guard, ctx.stub, prog,
                        options=("--once", "--wrapper", "env", "STUBBORN_WRAPPED=1", "--"))
    r = session(ctx, guard, "target remote 127.0.0.1:%d" % stub.port,
                ["break main", "continue", "info inferiors", "continue"], prog=prog,
                what="wrapper")
    expect_in_order(r.section(2), [r"^Breakpoint 1, main \("], "wrapper: continue")
    expect_in_order(r.section(4), [EXITED_NORMALLY], "wrapper: continue to exit")
    stub.wait_exit()
    expect_in_order(stub.inferior_output(), [r"^STUBBORN_WRAPPED=1$"], "wrapper: program output")
    return transcript(r)


def t_disable_packet(ctx, guard):
    """--disable-packet=T,qfThreadInfo (S stop replies, no thread list): gdb still debugs
    the basic program (break, continue, exit). Not a threaded one: without thread ids in
    stop replies gdb cannot tell which thread stopped, with either stub (gdbserver 13.1
    ends up reporting a stale SIGTRAP) - that mode is a protocol-testing aid."""
    prog = ctx.prog("basic")
    stub = gdbtest.Stub(guard, ctx.stub, prog,
                        options=("--once", "--disable-packet=T,qfThreadInfo"))
    r = to_exit(ctx, guard, stub, "target remote 127.0.0.1:%d" % stub.port, prog,
                "disable_packet")
    rc = stub.wait_exit()
    if rc != 0:
        raise TestFailure("stub exit status %r" % rc)
    return transcript(r)


def t_selftest(ctx, guard):
    """stubborn only (gdbserver 13.1 as packaged is built without --selftest)."""
    rc, out, err = run_stub(ctx, guard, ["--selftest"], timeout=30)
    m = re.search(r"^Ran (\d+) unit tests?, 0 failed$", out + err, re.M)
    if rc != 0 or not m or int(m.group(1)) == 0:
        raise TestFailure("--selftest: exit %r, output:\n%s%s" % (rc, out, err))


def t_bad_address(ctx, guard):
    """Bad COMM addresses get gdbserver's messages and exit status 1."""
    prog = ctx.prog("basic")
    out = []
    for comm in ("tcp8:123:P", "garbage:1234:P", "udp:localhost:1234",
                 "nosuchhost.invalid:1234"):
        rc, _, err = run_stub(ctx, guard, ["--once", comm, prog])
        if rc != 1:
            raise TestFailure("%s: exit status %r, expected 1; stderr:\n%s" % (comm, rc, err))
        if "Listening" in err:
            raise TestFailure("%s: the stub listened:\n%s" % (comm, err))
        out.append("%s -> %d\n%s" % (comm, rc, err))
    expect_in_order(out[0], [r"^tcp8:123:P: cannot resolve name: Servname not supported for "
                             r"ai_socktype$", r"^Exiting$"], "tcp8:123:P")
    return "".join(out)


def t_port_in_use(ctx, guard):
    """A port in use: `Can't bind address: Address already in use.`, exit 1, no program
    left behind."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    port = s.getsockname()[1]
    try:
        out = []
        for comm in ("127.0.0.1:%d" % port, ":%d" % port):
            rc, _, err = run_stub(ctx, guard, ["--once", comm, ctx.prog("basic")])
            if rc != 1:
                raise TestFailure("%s: exit status %r, expected 1; stderr:\n%s" % (comm, rc, err))
            expect_in_order(err, [r"^Can't bind address: Address already in use\.$",
                                  r"^Exiting$"], comm)
            out.append(err)
    finally:
        s.close()
    return "".join(out)


def t_usage(ctx, guard):
    """Bad command lines print the usage on stderr and exit 1; --help/--version exit 0
    with their text on stdout."""
    prog = ctx.prog("basic")
    bad = [[], ["--bogus-option", ":0", prog], ["--once", ":0"], ["--multi"],
           ["--attach", ":0"], ["--attach", ":0", "notapid"], ["--wrapper"]]
    for args in bad:
        rc, out, err = run_stub(ctx, guard, args)
        # gdbserver prints only "Unknown argument: X" for an unknown option.
        if rc != 1 or not re.search(r"^Usage:\t\S+ \[OPTIONS\] COMM PROG|^Unknown argument: ",
                                    err, re.M):
            raise TestFailure("%s: exit %r, expected 1 and the usage on stderr; stdout:\n%s"
                              "stderr:\n%s" % (args, rc, out, err))
        if "Listening" in err:
            raise TestFailure("%s: the stub listened" % args)
    rc, out, err = run_stub(ctx, guard, ["--help"])
    if rc != 0 or not re.search(r"^Usage:\t\S+ \[OPTIONS\] COMM PROG", out, re.M):
        raise TestFailure("--help: exit %r, stdout:\n%s" % (rc, out))
    for opt in ("--attach", "--multi", "--once", "--wrapper", "--disable-packet",
                "--remote-debug", "--startup-with-shell", "--disable-randomization"):
        if opt not in out:
            raise TestFailure("--help does not mention %s" % opt)
    rc, out, err = run_stub(ctx, guard, ["--version"])
    if rc != 0 or not out.strip():
        raise TestFailure("--version: exit %r, stdout %r stderr %r" % (rc, out, err))


def t_second_connection(ctx, guard):
    """While gdb is connected, a second connection is accepted and closed at once with a
    message on the stub's stderr; gdb's session goes on to the program's exit.
    gdbserver 13.1 stops listening while a client is connected: the connection is refused
    by the kernel and gdbserver says nothing (the message is an expected failure there)."""
    prog = ctx.prog("basic")
    stub = gdbtest.Stub(guard, ctx.stub, prog)
    mi = gdbtest.MiSession(guard, ctx.opts.gdb, prog)
    try:
        recs = mi.command("-target-select remote 127.0.0.1:%d" % stub.port)
        expect_in_order("\n".join(recs), [r"^\^connected"], "second_connection: connect")
        mi.command("-break-insert compute")

        def refused():
            try:
                s = socket.create_connection(("127.0.0.1", stub.port), timeout=3)
            except ConnectionRefusedError:
                return "refused at connect"  # gdbserver: no longer listening
            try:
                s.settimeout(3)
                try:
                    data = s.recv(100)
                except socket.timeout:
                    raise TestFailure("second connection: neither closed nor answered "
                                      "within 3 s") from None
                except ConnectionResetError:
                    data = b""
                if data != b"":
                    raise TestFailure("second connection: got %r, expected EOF" % data)
            finally:
                s.close()
            return "closed"
        how = refused()
        gdbtest.log("second connection: %s" % how)
        xfail_check(ctx, ctx.is_gdbserver,
                    lambda: stub.wait_stderr(r"(?i)(refus|already|another|second|busy)",
                                             timeout=1),
                    "gdbserver closes its listening socket while a client is connected: "
                    "the second connection is refused by the kernel, with no message")
        recs = mi.command("-exec-continue", until_stopped=True)
        expect_in_order("\n".join(recs), [r'^\*stopped,reason="breakpoint-hit"'],
                        "second_connection: continue after the refused connection")
        mi.command("-break-delete")
        recs = mi.command("-exec-continue", until_stopped=True)
        expect_in_order("\n".join(recs), [r'^\*stopped,reason="exited-normally"'],
                        "second_connection: continue to exit")
        mi.command("-gdb-exit")
        mi.close()
    finally:
        gdbtest.log(mi.pretty())
    stub.wait_exit()


def t_reconnect(ctx, guard):
    """Without --once the stub survives gdb's `disconnect`: a new gdb connects to the
    same, still stopped, process and continues it to its exit."""
    prog = ctx.prog("basic")
    stub = gdbtest.Stub(guard, ctx.stub, prog, options=())
    pid = stub.inferior_pid()
    target = "target remote 127.0.0.1:%d" % stub.port
    r1 = session(ctx, guard, target, ["break compute", "continue", "disconnect"], prog=prog,
                 what="reconnect (first gdb)")
    expect_in_order(r1.section(2), [r"^Breakpoint 1, compute"], "reconnect: first continue")
    if stub.proc.poll() is not None:
        raise TestFailure("stub exited after `disconnect`; stderr:\n%s" % stub.stderr())
    r2 = session(ctx, guard, target, ["info program", "bt 1", "continue"], prog=prog,
                 what="reconnect (second gdb)")
    expect_in_order(r2.section(0), [r"compute \(seed=4\)"], "reconnect: second target remote")
    expect_in_order(r2.section(3), [r"^\[Inferior 1 \(process %d\) exited normally\]$" % pid],
                    "reconnect: continue to exit")
    rc = stub.wait_exit()
    if rc != 0:
        raise TestFailure("stub exit status %r" % rc)
    return transcript(r1) + transcript(r2)


TESTS = {
    "tcp_once": t_tcp_once,
    "inferior_fds": t_inferior_fds,
    "loopback": t_loopback,
    "ipv6": t_ipv6,
    "stdio_word": t_stdio_word,
    "unix_socket": t_unix_socket,
    "attach": t_attach,
    "attach_stopped": t_attach_stopped,
    "attach_missing": t_attach_missing,
    "wrapper": t_wrapper,
    "disable_packet": t_disable_packet,
    "selftest": t_selftest,
    "bad_address": t_bad_address,
    "port_in_use": t_port_in_use,
    "usage": t_usage,
    "second_connection": t_second_connection,
    "reconnect": t_reconnect,
}

# Tests whose returned text must equal gdbserver's (after the normalisation applied by
# the test). The others assert facts only (their output legitimately differs, e.g. the
# stub's name in the usage text).
COMPARED = {"stdio_word", "disable_packet", "attach", "attach_missing", "wrapper", "bad_address",
            "port_in_use", "reconnect"}


def main():
    gdbtest.run_named_test(TESTS, COMPARED, Ctx)


if __name__ == "__main__":
    gdbtest.main_wrapper(main)
