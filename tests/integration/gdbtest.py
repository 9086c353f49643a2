"""gdbtest: drive a real gdb against a real stub (stubborn or GNU gdbserver).

What it provides:
  * Stub: start `STUB --once 127.0.0.1:0 PROG ARGS...`, learn the port from the
    "Listening on port N" line on its stderr (with a deadline), capture the
    inferior's output (the stub's stdout).
  * run_cli(): gdb in batch mode over TCP, with NO local program file (gdb loads
    the binary through the stub's vFile packets), or over stdio
    (`target remote | STUB - PROG`). Each command is preceded by an `echo` marker
    so the transcript splits into one section per command.
  * MiSession: a real MI dialog (commands on stdin, records on stdout) for IDE-style
    tests.
  * normalize(): replace what legitimately differs between two stubs/runs.
  * ProcessGuard: every process we start carries a unique token in its environment;
    at the end, any process still carrying it (stub, inferior, gdb) is killed and
    the test fails. Every subprocess has a timeout.

Nothing here sleeps to paper over races: every wait is on an event (a line, an
exit) with a deadline.
"""

import difflib
import os
import queue
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid

GDB_TIMEOUT = 30  # seconds for one gdb session
LISTEN_TIMEOUT = 10  # seconds for the stub to say "Listening on port N"
STUB_EXIT_TIMEOUT = 10  # seconds for the stub to exit after gdb is done
TOKEN_VAR = "STUBBORN_TEST_TOKEN"

# The whole test's budget (--budget, default 50 s): every wait is capped by what is
# left of it, so the script fails and cleans up before ctest's TIMEOUT (60 s) would
# kill it and leave its stub and inferior behind.
_deadline = time.monotonic() + 50


def set_budget(seconds):
    global _deadline
    _deadline = time.monotonic() + seconds


def budget(cap):
    """`cap` seconds, or what is left of the test's budget if that is less (>= 0.1)."""
    return max(0.1, min(cap, _deadline - time.monotonic()))


class TestFailure(Exception):
    pass


def log(msg=""):
    print(msg, flush=True)


# --------------------------------------------------------------------------------------
# Process bookkeeping
# --------------------------------------------------------------------------------------
class ProcessGuard:
    """Tags every process a test starts (via an environment variable) so that
    leftovers can be found and killed, whatever their parentage."""

    def __init__(self):
        self.token = "%s-%d" % (uuid.uuid4().hex, os.getpid())
        self.popens = []

    def env(self, extra=None):
        env = dict(os.environ)
        env[TOKEN_VAR] = self.token
        # Keep gdb's and the stub's view stable across machines.
        env["LC_ALL"] = "C"
        env.pop("DEBUGINFOD_URLS", None)
        if extra:
            env.update(extra)
        return env

    def track(self, popen):
        self.popens.append(popen)
        return popen

    def tagged_pids(self):
        needle = ("%s=%s" % (TOKEN_VAR, self.token)).encode()
        pids = []
        for name in os.listdir("/proc"):
            if not name.isdigit() or int(name) == os.getpid():
                continue
            try:
                with open("/proc/%s/environ" % name, "rb") as f:
                    environ = f.read()
            except OSError:
                continue  # gone, or a zombie/kernel thread
            if needle in environ.split(b"\0"):
                pids.append(int(name))
        return pids

    def kill_everything(self):
        for p in self.popens:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except OSError:
                    pass
        for pid in self.tagged_pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        for p in self.popens:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass

    def check_no_leftovers(self):
        """Fail (after killing them) if any process of this test is still alive."""
        left = []
        for pid in self.tagged_pids():
            try:
                with open("/proc/%d/cmdline" % pid, "rb") as f:
                    cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
                with open("/proc/%d/stat" % pid) as f:
                    state = f.read().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if state == "Z":
                continue  # already dead; only its parent can reap it
            left.append("%d [%s] %s" % (pid, state, cmd))
        if left:
            self.kill_everything()
            raise TestFailure("processes left behind (now killed):\n  " + "\n  ".join(left))


def _reader_thread(stream, sink, lines_q):
    for raw in iter(stream.readline, b""):
        line = raw.decode(errors="replace")
        sink.append(line)
        lines_q.put(line)
    lines_q.put(None)


# --------------------------------------------------------------------------------------
# The stub
# --------------------------------------------------------------------------------------
class Stub:
    """A stub started with --once on an ephemeral TCP port."""

    def __init__(self, guard, stub_path, prog, args=(), env=None, workdir=None,
                 comm="127.0.0.1:0", options=("--once",), listen_re=r"Listening on port (\d+)"):
        """`STUB OPTIONS COMM [PROG ARGS...]` (prog None: --multi / --attach forms, where
        `args` carries the pid). `listen_re`'s group 1 becomes self.port (a string for
        non-numeric groups, e.g. a Unix socket path)."""
        self.guard = guard
        self.stub_path = stub_path
        self.out_file = tempfile.TemporaryFile()
        self.stderr_lines = []
        self._q = queue.Queue()
        self.listen_re = listen_re
        cmd = [stub_path] + list(options) + [comm] + ([prog] if prog else []) + list(args)
        self.cmd = cmd
        self.proc = guard.track(subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=self.out_file, stderr=subprocess.PIPE,
            env=guard.env(env), cwd=workdir, start_new_session=True))
        self._reader = threading.Thread(
            target=_reader_thread, args=(self.proc.stderr, self.stderr_lines, self._q),
            daemon=True)
        self._reader.start()
        self.port = self._wait_listening()

    def _wait_listening(self):
        deadline = time.monotonic() + budget(LISTEN_TIMEOUT)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                line = self._q.get(timeout=remaining)
            except queue.Empty:
                break
            if line is None:
                break
            m = re.search(self.listen_re, line)
            if m:
                return int(m.group(1)) if m.group(1).isdigit() else m.group(1)
        self.guard.kill_everything()
        raise TestFailure("stub %s did not report 'Listening on port N' within %ds; "
                          "stderr:\n%s" % (self.cmd, LISTEN_TIMEOUT, "".join(self.stderr_lines)))

    def wait_exit(self, timeout=STUB_EXIT_TIMEOUT):
        timeout = budget(timeout)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.guard.kill_everything()
            raise TestFailure("stub did not exit within %ds after the session; stderr:\n%s"
                              % (timeout, self.stderr()))
        self._reader.join(timeout=5)
        return rc

    def stderr(self):
        return "".join(self.stderr_lines)

    def _poll_match(self, pattern, timeout, text, what, finished=lambda: False):
        """The first match of `pattern` in text() (output already read or to come), looked
        for until the deadline or until finished() says no more can come."""
        deadline = time.monotonic() + budget(timeout)
        rx = re.compile(pattern, re.M)
        while True:
            m = rx.search(text())
            if m:
                return m
            remaining = deadline - time.monotonic()
            if remaining <= 0 or finished():
                m = rx.search(text())
                if m:
                    return m
                raise TestFailure("%s: no /%s/ within %ds; %s:\n%s"
                                  % (what, pattern, timeout, what, text()))
            time.sleep(min(0.02, remaining))

    def wait_stderr(self, pattern, timeout=10):
        """The first match of `pattern` in the stub's stderr (already read or to come)."""
        return self._poll_match(
            pattern, timeout, self.stderr, "stub stderr",
            finished=lambda: self.proc.poll() is not None and not self._reader.is_alive())

    def inferior_pid(self):
        """The pid from "Process PROG created; pid = N" (launch forms)."""
        return int(self.wait_stderr(r"created; pid = (\d+)").group(1))

    def terminate(self):
        """SIGTERM the stub (how a --multi stub is ended when gdb cannot) and reap it."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.wait_exit()

    def wait_inferior_output(self, pattern, timeout=10):
        """Wait until the inferior's output (the stub's stdout) matches `pattern`."""
        return self._poll_match(pattern, timeout, self.inferior_output, "inferior output")

    def inferior_output(self):
        self.out_file.seek(0)
        return self.out_file.read().decode(errors="replace")


# --------------------------------------------------------------------------------------
# gdb, CLI batch mode
# --------------------------------------------------------------------------------------
MARK = "@@@STEP"
# The marker line as the CLI prints it, or as an MI console-stream record.
MARK_RE = re.compile(r'^(?:~")?@@@STEP (\d+)@@@(?:\\n")?$', re.M)


def _echo_marker(i):
    return "echo \\n%s %d@@@\\n" % (MARK, i)


class CliResult:
    def __init__(self, commands, raw, sections, inferior_output, stub_stderr, mode, stub_rc):
        self.commands = commands  # list of gdb commands (step i = commands[i])
        self.raw = raw  # full gdb output
        self.sections = sections  # sections[i] = output of commands[i]; [-1]: before
        self.inferior_output = inferior_output
        self.stub_stderr = stub_stderr
        self.mode = mode
        self.stub_rc = stub_rc

    def section(self, i):
        return self.sections.get(i, "")

    def pretty(self, sections=None, commands=None):
        """The transcript as a user would read it: '(gdb) cmd' then its output."""
        sections = sections if sections is not None else self.sections
        commands = commands if commands is not None else self.commands
        out = []
        if sections.get(-1, "").strip():
            out.append(sections[-1].rstrip("\n"))
        for i, cmd in enumerate(commands):
            out.append("(gdb) " + cmd)
            text = sections.get(i, "").rstrip("\n")
            if text:
                out.append(text)
        return "\n".join(out) + "\n"


def split_sections(raw):
    sections = {}
    pos = 0
    current = -1
    for m in MARK_RE.finditer(raw):
        text = raw[pos:m.start()]
        sections[current] = sections.get(current, "") + text
        current = int(m.group(1))
        pos = m.end() + 1
    sections[current] = sections.get(current, "") + raw[pos:]
    # The echo marker starts with "\n" so a partial line never sticks to it.
    for k in list(sections):
        sections[k] = sections[k].strip("\n") + "\n" if sections[k].strip("\n") else ""
    return sections


def run_cli(guard, stub_path, gdb, prog, commands, args=(), env=None, mode="tcp",
            workdir=None, timeout=GDB_TIMEOUT, interpreter="cli", settings=()):
    """Run gdb in batch mode against `stub_path` debugging `prog`.

    mode: "tcp"   - stub on 127.0.0.1:PORT, gdb given the local program file;
          "noexec" - same, but gdb gets no program file (loads it via the stub);
          "stdio" - `target remote | STUB - PROG ARGS` (stub's stderr goes to a file).
    The first command, implicitly, is the `target remote`.
    interpreter: "cli", or "mi" (gdb -batch -i=mi: the commands are CLI commands, or
    `interpreter-exec mi "..."`, and gdb reports in MI records).
    settings: gdb commands run before connecting (e.g. "set non-stop on").
    """
    workdir = workdir or tempfile.gettempdir()
    stub = None
    stub_err_path = None
    if mode in ("tcp", "noexec"):
        stub = Stub(guard, stub_path, prog, args, env=env, workdir=workdir)
        target = "target remote 127.0.0.1:%d" % stub.port
    elif mode == "stdio":
        fd, stub_err_path = tempfile.mkstemp(prefix="stub-stderr-")
        os.close(fd)
        # The stub's stderr (its own messages and, by gdbserver convention, the
        # inferior's stdout) goes to a file, so gdb's transcript holds only gdb.
        pipe_cmd = " ".join(shlex.quote(x) for x in [stub_path, "-", prog] + list(args))
        target = "target remote | exec %s 2>>%s" % (pipe_cmd, shlex.quote(stub_err_path))
    else:
        raise ValueError(mode)

    all_cmds = [target] + list(commands)
    argv = [gdb, "-nx", "-nh", "-batch"] + (["-i=mi"] if interpreter == "mi" else []) + [
            "-ex", "set pagination off",
            "-ex", "set width 0", "-ex", "set height 0", "-ex", "set confirm off"]
    for s in settings:
        argv += ["-ex", s]
    for i, c in enumerate(all_cmds):
        argv += ["-ex", _echo_marker(i), "-ex", c]
    argv += ["-ex", _echo_marker(len(all_cmds))]
    if mode != "noexec":
        argv.append(prog)

    gdb_env = dict(env or {}) if mode == "stdio" else {}
    timeout = budget(timeout)
    gdb_proc = guard.track(subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env=guard.env(gdb_env), cwd=workdir, start_new_session=True))
    try:
        out, _ = gdb_proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        guard.kill_everything()
        out, _ = gdb_proc.communicate()
        raise TestFailure("gdb did not finish within %ds; output so far:\n%s%s" % (
            timeout, out.decode(errors="replace"),
            ("\nstub stderr:\n" + stub.stderr()) if stub else ""))
    raw = out.decode(errors="replace")

    stub_rc = None
    if stub is not None:
        try:
            stub_rc = stub.wait_exit()
        except TestFailure as e:
            raise TestFailure("%s\ngdb output:\n%s" % (e, raw))
        inferior_output = stub.inferior_output()
        stub_stderr = stub.stderr()
    else:
        with open(stub_err_path, errors="replace") as f:
            stub_stderr = f.read()
        os.unlink(stub_err_path)
        inferior_output = stub_stderr  # stdio: the inferior writes to the stub's stderr
    sections = split_sections(raw)
    # The trailing marker has no command; fold its (normally empty) text into the last.
    tail = sections.pop(len(all_cmds), "")
    if tail:
        sections[len(all_cmds) - 1] = sections.get(len(all_cmds) - 1, "") + tail
    return CliResult(all_cmds, raw, sections, inferior_output, stub_stderr, mode, stub_rc)


def run_gdb_batch(guard, gdb, target, commands, prog=None, workdir=None, timeout=GDB_TIMEOUT,
                  env=None, setup=()):
    """gdb -batch with `target` (e.g. "target extended-remote 127.0.0.1:N") as the first
    command, then `commands`, each preceded by an echo marker, against a stub the caller
    started. `setup`: gdb commands before the target (not in the transcript), e.g.
    "set sysroot /" to read shared libraries locally instead of through vFile.
    Returns a CliResult (no stub fields)."""
    all_cmds = [target] + list(commands)
    argv = [gdb, "-nx", "-nh", "-batch",
            "-ex", "set pagination off",
            "-ex", "set width 0", "-ex", "set height 0", "-ex", "set confirm off"]
    for c in setup:
        argv += ["-ex", c]
    for i, c in enumerate(all_cmds):
        argv += ["-ex", _echo_marker(i), "-ex", c]
    argv += ["-ex", _echo_marker(len(all_cmds))]
    if prog:
        argv.append(prog)
    timeout = budget(timeout)
    gdb_proc = guard.track(subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env=guard.env(env), cwd=workdir or tempfile.gettempdir(), start_new_session=True))
    try:
        out, _ = gdb_proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        guard.kill_everything()
        out, _ = gdb_proc.communicate()
        raise TestFailure("gdb did not finish within %ds; output so far:\n%s" % (
            timeout, out.decode(errors="replace")))
    raw = out.decode(errors="replace")
    sections = split_sections(raw)
    tail = sections.pop(len(all_cmds), "")
    if tail:
        sections[len(all_cmds) - 1] = sections.get(len(all_cmds) - 1, "") + tail
    return CliResult(all_cmds, raw, sections, "", "", "batch", None)


def proc_status(pid):
    """/proc/PID/status as a dict ({} if the process is gone)."""
    try:
        with open("/proc/%d/status" % pid) as f:
            return dict(l.rstrip("\n").split(":\t", 1) for l in f if ":\t" in l)
    except OSError:
        return {}


# --------------------------------------------------------------------------------------
# gdb, MI mode
# --------------------------------------------------------------------------------------
class MiSession:
    """A real MI dialog: one command at a time on stdin, records read from stdout
    until the result record (and, for execution commands, the *stopped record)."""

    def __init__(self, guard, gdb, prog, timeout=GDB_TIMEOUT, workdir=None, interpreter="mi"):
        """prog None: gdb starts without a program (an IDE's -file-exec-and-symbols
        comes later). interpreter: "mi", "mi3"..."""
        self.guard = guard
        self.lines = []
        self.transcript = []  # ("cmd", text) / ("out", record)
        self._q = queue.Queue()
        self.deadline = time.monotonic() + budget(timeout)
        self.proc = guard.track(subprocess.Popen(
            [gdb, "-nx", "-nh", "-q", "-i=" + interpreter] + ([prog] if prog else []),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=guard.env(),
            cwd=workdir or tempfile.gettempdir(), start_new_session=True))
        self._reader = threading.Thread(
            target=_reader_thread, args=(self.proc.stdout, self.lines, self._q), daemon=True)
        self._reader.start()
        self.read_until(r"^\(gdb\) ?$")

    def read_until(self, pattern):
        """Records up to and including the first line matching `pattern`."""
        got = []
        rx = re.compile(pattern)
        while True:
            remaining = self.deadline - time.monotonic()
            try:
                line = self._q.get(timeout=max(remaining, 0.01)) if remaining > 0 else None
            except queue.Empty:
                line = None
            if line is None:
                self.guard.kill_everything()
                raise TestFailure("MI: no line matching %r before the deadline/EOF; "
                                  "transcript:\n%s" % (pattern, self.pretty()))
            line = line.rstrip("\n")
            got.append(line)
            self.transcript.append(("out", line))
            if rx.search(line):
                return got

    def command(self, cmd, until_stopped=False, prompt_after_stop=True):
        """Send one MI command; return its records (through the prompt after the
        result, and through the prompt after *stopped if `until_stopped`). With
        `-gdb-set mi-async on` gdb prints no prompt after an asynchronous *stopped:
        pass prompt_after_stop=False."""
        self.transcript.append(("cmd", cmd))
        self.proc.stdin.write((cmd + "\n").encode())
        self.proc.stdin.flush()
        records = self.read_until(r"^\^(done|running|connected|error|exit)")
        if not records[-1].startswith("^exit"):
            records += self.read_until(r"^\(gdb\) ?$")
        if until_stopped and not any(r.startswith("*stopped") for r in records):
            records += self.read_until(r"^\*stopped")
            if prompt_after_stop:
                records += self.read_until(r"^\(gdb\) ?$")
        return records

    def close(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=budget(10))
        except subprocess.TimeoutExpired:
            self.guard.kill_everything()
            raise TestFailure("gdb (MI) did not exit after -gdb-exit")
        self._reader.join(timeout=5)

    def pretty(self):
        return "\n".join(("(send) " + t) if k == "cmd" else t for k, t in self.transcript) + "\n"


# --------------------------------------------------------------------------------------
# Assertions and normalisation
# --------------------------------------------------------------------------------------
def expect_in_order(text, patterns, what="output"):
    """Each regex must match, in order, at increasing positions of `text`."""
    pos = 0
    for pat in patterns:
        m = re.compile(pat, re.M).search(text, pos)
        if not m:
            raise TestFailure("%s: expected /%s/ (in order, after offset %d) in:\n%s" % (
                what, pat, pos, text))
        pos = m.end()


def expect_absent(text, patterns, what="output"):
    for pat in patterns:
        m = re.compile(pat, re.M).search(text)
        if m:
            raise TestFailure("%s: unexpected /%s/ (matched %r) in:\n%s" % (
                what, pat, m.group(0), text))


# Signs of a broken stub that no scenario should ever show.
PROTOCOL_TROUBLE = [
    r"Remote connection closed",
    r"Remote communication error",
    r"Ignoring packet error",
    r"Remote failure reply",
    r"Remote replied unexpectedly",
    r"[Bb]ad remote packet",
    r"internal-error",
    r"Malformed response",
    r"Remote 'g' packet reply is too long",
    r"multi-threaded target stopped without sending a thread-id",
    r"Couldn't get registers",
    r"Could not read registers",
    r"Couldn't write registers",
    r"warning: Invalid remote reply",
    r"Truncated register",
    r"Protocol error",
    r"Timed out",
]

# What legitimately differs between two stubs (or two runs of one) and is
# replaced before transcripts are compared. Keep it short; every entry says why.
NORMALIZERS = [
    # Process and thread ids are assigned by the kernel.
    (re.compile(r"Thread \d+\.\d+"), "Thread PID.TID"),
    (re.compile(r"\bLWP \d+"), "LWP TID"),
    (re.compile(r"\bprocess \d+"), "process PID"),
    (re.compile(r'\bpid="\d+"'), 'pid="PID"'),
    # Which CPU a thread last ran on (MI core="N", stop reply core:N).
    (re.compile(r'\bcore="\d+"'), 'core="N"'),
    # Addresses: ASLR, environment size (the per-test token, the stub's own
    # variables) and stack contents shift them; the scenario checks assert
    # address *relations* (rip == $pc, x/8xg at $sp) before normalisation.
    (re.compile(r"0x[0-9a-fA-F]+"), "0xADDR"),
    # "Remote debugging using 127.0.0.1:PORT" / "| stub - prog": port and
    # command differ by construction (gdb prints it only when interactive).
    (re.compile(r"^Remote debugging using .*$", re.M), "Remote debugging using <CONNECTION>"),
]


def normalize(text):
    for rx, repl in NORMALIZERS:
        text = rx.sub(repl, text)
    return text


def unified_diff(expected, actual, expected_name, actual_name):
    return "".join(difflib.unified_diff(
        expected.splitlines(True), actual.splitlines(True), expected_name, actual_name))


def compare_transcripts(reference_text, actual_text, what, reference_name="gdbserver",
                        actual_name="stubborn"):
    if reference_text != actual_text:
        raise TestFailure("%s differs from %s (normalized transcripts):\n%s" % (
            what, reference_name,
            unified_diff(reference_text, actual_text, reference_name, actual_name)))


# --------------------------------------------------------------------------------------
# Command line shared by the test drivers
# --------------------------------------------------------------------------------------
def parse_common_args(argv, extra=None):
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("name", help="scenario / test name")
    ap.add_argument("--stub", required=True, help="stub under test")
    ap.add_argument("--reference", help="reference stub (gdbserver) to compare with")
    ap.add_argument("--gdb", default="gdb")
    ap.add_argument("--inferiors", required=True, help="directory of the built inferiors")
    ap.add_argument("--source-dir", required=True, help="tests/inferiors source directory")
    ap.add_argument("--budget", type=float, default=50,
                    help="seconds for the whole test (keep below ctest's TIMEOUT)")
    if extra:
        extra(ap)
    opts = ap.parse_args(argv)
    set_budget(opts.budget)
    return opts


def main_wrapper(fn):
    """Run fn(); print the failure and exit 1 on TestFailure."""
    try:
        fn()
    except TestFailure as e:
        log("FAIL: %s" % e)
        sys.exit(1)
    log("PASS")


def run_named_test(tests, compared, make_ctx, extra=None):
    """main() of a file of named tests: run the one named on the command line against the
    stub and, when it is in `compared` and a reference stub is given, against the reference
    too, requiring the same normalized output. `extra(argparser)` adds options."""
    opts = parse_common_args(sys.argv[1:], extra)
    if opts.name not in tests:
        raise TestFailure("unknown test %r (known: %s)" % (opts.name, ", ".join(tests)))

    def run_with(stub_path):
        ctx = make_ctx(opts, stub_path)
        guard = ProcessGuard()
        try:
            result = tests[opts.name](ctx, guard)
            guard.check_no_leftovers()
        finally:
            guard.kill_everything()
        return result

    actual = run_with(opts.stub)
    if opts.reference and opts.name in compared:
        ref = run_with(opts.reference)
        compare_transcripts(ref or "", actual or "", "%s: output" % opts.name,
                            os.path.basename(opts.reference), os.path.basename(opts.stub))


class StubContext:
    """One test run: the stub under test (gdbserver or stubborn) and where inferiors are."""

    def __init__(self, opts, stub_path):
        self.opts = opts
        self.stub = os.path.abspath(stub_path)
        opts.inferiors = os.path.abspath(opts.inferiors)
        self.name = os.path.basename(stub_path)
        self.is_gdbserver = self.name.startswith("gdbserver")

    def prog(self, name):
        return os.path.join(self.opts.inferiors, name)


def section(r, i, patterns, what):
    """Command i's output (commands[0] is the `target remote`) must match `patterns` in order."""
    expect_in_order(r.section(i), patterns, "%s: `%s` (command %d)" % (what, r.commands[i], i))


def fail(r, why):
    raise TestFailure("%s\ntranscript:\n%s" % (why, r.pretty()))
