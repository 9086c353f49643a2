#!/usr/bin/env python3
"""Exit-race stress loops (issue 3, item 4): real gdb, through a real stub, in a loop.

    stress.py SCENARIO --stub STUB [--expect-fail] --gdb GDB --inferiors DIR \
              [--runs N] [--budget SECONDS] [--run-timeout SECONDS] [--log-dir DIR]

Each run starts `STUB --once 127.0.0.1:0 PROG ARGS`, drives gdb (batch mode with a
command file; interactive over a pipe where the driver must act in the middle, as for
SIGKILL from outside), and checks:
  * gdb printed the right end ("exited with code N", "terminated with signal S", or the
    scenario's stop then "killed"), exactly once, and nothing a broken stub causes;
  * breakpoint hits: per thread, the `seq` numbers gdb saw are 0..k with none missing
    and none twice; where the program prints its own count, gdb's count equals it;
  * the stub exited by itself after gdb was done (a hang if not), and no process of
    the run (stub, inferior, gdb) is left behind.
Every wait has a deadline; a hang is a failure of its own kind and its transcript is
printed. Failing runs are saved (gdb transcript, the stub's stderr with its
STUBBORN_DEBUG log, the inferior's output) under --log-dir.

--expect-fail (used for GNU gdbserver): failures are recorded and printed as
"gdbserver: N/M runs wrong: <what>", but the test passes. Without it (stubborn), any
wrong run or hang fails the test.

The last line is machine-readable for scripts/stress.sh:
    STRESS-SUMMARY scenario=S stub=NAME runs=R ok=K wrong=W hangs=H planned=N
"""

import argparse
import collections
import os
import queue
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import gdbtest  # noqa: E402
from gdbtest import ProcessGuard, PROTOCOL_TROUBLE  # noqa: E402

LISTEN_TIMEOUT = 10
STUB_EXIT_TIMEOUT = 10
MAX_SAVED_FAILURES = 5  # failing runs saved per test (stub logs can be large)

# --------------------------------------------------------------------------------------
# What gdb prints
# --------------------------------------------------------------------------------------
HIT_RE = re.compile(r"^H (\d+) (\d+)$", re.M)
END_RE = re.compile(
    r"^(\[Inferior 1 \(process \d+\) (?:exited with code \d+|exited normally|killed)\]"
    r"|Program terminated with signal \S+, .*)$", re.M)
EXEC_RE = re.compile(r"^process \d+ is executing new program: (.*)$", re.M)
RECEIVED_RE = re.compile(r"^(?:Program|Thread .*) received signal (SIG\w+)", re.M)


def exited(code):
    return "[Inferior 1 (process PID) exited with code 0%o]" % code


EXITED_NORMALLY = "[Inferior 1 (process PID) exited normally]"
KILLED = "[Inferior 1 (process PID) killed]"


def terminated(sig, text):
    return "Program terminated with signal %s, %s." % (sig, text)


def norm_end(line):
    return re.sub(r"process \d+", "process PID", line)


# Lines no correct run prints, whatever the race (beyond gdbtest.PROTOCOL_TROUBLE).
BAD_LINES = PROTOCOL_TROUBLE + [
    r"No unwaited-for children left",
    r"Cannot remove breakpoints",
    r"Cannot insert breakpoint",
    r"Cannot access memory",
    r"Cannot execute this command",
    r"Couldn't get",
    r"Unknown thread",
    r"Thread .* not found",
    r"[Ss]egmentation fault",
    r"internal error",
    r"Fatal signal",
    r"A problem internal to GDB",
    r"[Cc]onnection (?:closed|reset|refused)",
    r"Remote target .* closed",
    r"Unexpected",
    r"^warning: (?!Error disabling address space randomization)",
]

HIT_COMMANDS = [
    "break hit",
    "commands",
    "silent",
    'printf "H %d %d\\n", id, seq',
    "continue",
    "end",
]


# --------------------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------------------
class Scenario:
    """prog/args: the inferior; commands: gdb's command file (batch mode), or
    interactive(run) for driver actions mid-session; end: the one end line gdb must
    print; hits: None, "gapless" (per-thread seqs 0..k, none twice) or "exact" (gapless
    and the total equals the program's "calls N"); received: signals gdb must report
    as stops, in order; check: extra f(run) -> [problems]."""

    def __init__(self, letter, what, prog, end, args=(), commands=None, interactive=None,
                 hits=None, received=(), check=None, allowed_errors=(), classify=None,
                 go=False, breakpoint="hit"):
        self.letter = letter
        self.go = go  # a Go program (from --go-inferiors), not a stress C program
        self.breakpoint = breakpoint  # what the interactive scenarios break on
        self.what = what
        self.prog = prog
        self.args = list(args)
        self.end = end
        self.commands = commands
        self.interactive = interactive
        self.hits = hits
        self.received = list(received)
        self.check = check
        self.allowed_errors = list(allowed_errors)
        self.classify = classify  # f(run) -> where the race landed, for the report


def check_exec(run):
    """e: the exec line, then the new image's 3 hits (id 100), nothing of the old one."""
    problems = []
    m = EXEC_RE.search(run.gdb_out)
    if not m:
        return ["gdb did not print 'executing new program'"]
    if not m.group(1).endswith("/exec_target"):
        problems.append("executing new program: %r, not exec_target" % m.group(1))
    if len(EXEC_RE.findall(run.gdb_out)) != 1:
        problems.append("'executing new program' printed %d times"
                        % len(EXEC_RE.findall(run.gdb_out)))
    before, after = run.gdb_out[:m.start()], run.gdb_out[m.end():]
    problems += hit_problems(before, exact_total=None, what="before exec")
    new_hits = [(int(i), int(s)) for i, s in HIT_RE.findall(after)]
    if new_hits != [(100, 0), (100, 1), (100, 2)]:
        problems.append("hits after the exec: %s, expected id 100 seq 0,1,2" % (
            " ".join("%d/%d" % h for h in new_hits[:12]) or "none"))
    if [h for h in HIT_RE.findall(before) if h[0] == "100"]:
        problems.append("new image's hits before the exec line")
    if "exec_target from-thread calls 3" not in run.inferior_out:
        problems.append("the new image did not print its line (inferior output: %r)"
                        % run.inferior_out[-200:])
    return problems


def kill_stopped(run):
    """c: SIGKILL while gdb has the program stopped at a breakpoint."""
    s = run.session
    s.command("break %s" % run.sc.breakpoint)
    out = s.command("continue")
    if not re.search(r"^Thread \d+ \".*\" hit Breakpoint 1, |^Breakpoint 1, ", out, re.M):
        run.problems.append("no breakpoint stop before the kill")
    run.kill_inferior()
    s.command("continue")


def kill_running(run):
    """c: SIGKILL while the program runs: in half of the runs 0..250 ms after gdb said
    "Continuing." (the program is still starting: shared-library events, thread
    creation), in the other half 0..150 ms after the first breakpoint hit (4 threads
    running and hitting a breakpoint now and then)."""
    s = run.session
    for c in HIT_COMMANDS:
        s.send(c)
    s.command("echo")
    s.send("continue")
    s.wait_for(r"^Continuing\.$")
    if random.random() < 0.5:
        run.landed = "kill during start-up"
        time.sleep(random.uniform(0, 0.25))  # shapes the race: where the kill lands
    else:
        run.landed = "kill while hitting"
        s.wait_for(r"^H \d+ \d+$")
        time.sleep(random.uniform(0, 0.15))
    run.kill_inferior()
    s.command("echo")


STEP_COMMANDS = [
    "break stepper_start",
    "continue",
    "set $i = 0",
    "while $i < 3000",
    "  stepi",
    "  if $i % 4 == 3",
    "    next",
    "  end",
    "  set $i = $i + 1",
    "end",
    "echo @@STEPPING-DONE@@\\n",
    "continue",
]

def step_landed(run):
    if "@@STEPPING-DONE@@" in run.gdb_out:
        return "exit after the stepping loop"
    if re.search(r"^\d+\s.*STEP-LOOP|^0x[0-9a-f]+\s+\d+\s", run.gdb_out, re.M):
        return "exit during stepi/next"
    return "exit before the first step"


# Target-side conditions (issue 7): the stub evaluates `seq % 2 == 0` and steps threads past
# the breakpoint itself when it is false, holding the others; every even call is reported
# once, no odd one ever, while threads exit or are created around it.
COND_HIT_COMMANDS = ["set breakpoint condition-evaluation target",
                     "break hit if seq % 2 == 0"] + HIT_COMMANDS[1:]


def even_hits(run):
    """k: per thread, the reported seqs are exactly 0, 2, 4 ... (none odd, none twice)."""
    seqs = collections.defaultdict(list)
    for i, s in HIT_RE.findall(run.gdb_out):
        seqs[int(i)].append(int(s))
    problems = []
    for tid, got in sorted(seqs.items()):
        odd = sorted(s for s in got if s % 2)
        if odd:
            problems.append("id %d: odd seq %s reported (condition false)" % (tid, odd[:5]))
        evens = [s for s in got if s % 2 == 0]
        if sorted(evens) != list(range(0, max(evens) + 1, 2)) if evens else False:
            problems.append("id %d: even seqs %s not each once from 0" % (tid, sorted(evens)[:8]))
    if not seqs:
        problems.append("no hit reported")
    return problems


def check_children(run):
    """l: every child exited as expected (the program says so), and no hit came from a child
    (the fork child's hit(1000, round) before its exec, exec_target's id 100)."""
    problems = []
    if not re.search(r"^children 12 fine$", run.inferior_out, re.M):
        wrong = re.findall(r"^WRONG .*$", run.inferior_out, re.M)
        problems.append("children not all fine: %s" % ("; ".join(wrong[:4]) or
                                                      "no 'children 12 fine' line (output %r)"
                                                      % run.inferior_out[-200:]))
    from_children = sorted({i for i, _ in HIT_RE.findall(run.gdb_out) if int(i) >= 100})
    if from_children:
        problems.append("hits reported from a child (ids %s)" % ", ".join(from_children))
    return problems


SCENARIOS = {
    "a_exit_bp": Scenario(
        "a", "a thread calls exit(5) while 8 siblings hit a breakpoint in a loop",
        "exit_bp", exited(5), commands=HIT_COMMANDS + ["continue"], hits="gapless"),
    "b_exit_stopall": Scenario(
        "b", "exit_group(3) while the stub stops 16 threads hitting a breakpoint",
        "exit_stopall", exited(3), commands=HIT_COMMANDS + ["continue"], hits="gapless"),
    "c_kill_stopped": Scenario(
        "c", "SIGKILL from outside while stopped at a breakpoint",
        "kill_target", terminated("SIGKILL", "Killed"), interactive=kill_stopped),
    "c_kill_running": Scenario(
        "c", "SIGKILL from outside while running (and hitting a breakpoint)",
        "kill_target", terminated("SIGKILL", "Killed"), interactive=kill_running,
        hits="gapless", classify=lambda run: run.landed),
    "d_zombie_leader": Scenario(
        "d", "leader pthread_exit, 4 workers hit a breakpoint, the last exits 7",
        "zombie_leader", exited(7), commands=HIT_COMMANDS + ["continue"], hits="exact"),
    "e_exec_nonleader": Scenario(
        "e", "a non-leader execve while 4 threads live; the new image exits 9",
        "exec_thread", exited(9), commands=HIT_COMMANDS + ["continue"], check=check_exec),
    "f_thread_storm": Scenario(
        "f", "48 threads created/exiting (8 alive) while gdb counts breakpoint hits",
        "thread_storm", EXITED_NORMALLY, commands=HIT_COMMANDS + ["continue"], hits="exact"),
    "g_exit_after_clone": Scenario(
        "g", "exit_group(4) right after pthread_create, 0..5 threads hitting",
        "clone_exit", exited(4), commands=HIT_COMMANDS + ["continue"], hits="gapless"),
    "h_step_exit": Scenario(
        "h", "stepi/next in a loop while a sibling calls exit_group(6)",
        "step_exit", exited(6), commands=STEP_COMMANDS,
        allowed_errors=[r"^The program is not being run\.$"], classify=step_landed),
    "i_seccomp_trap": Scenario(
        "i", "SECCOMP_RET_TRAP (SIGSYS) in one thread while 4 hit a breakpoint; then kill",
        "seccomp_race", KILLED, args=["trap"],
        commands=HIT_COMMANDS + ["continue", "kill"], hits="gapless", received=["SIGSYS"]),
    "i_seccomp_kill": Scenario(
        "i", "SECCOMP_RET_KILL_PROCESS in one thread while 4 hit a breakpoint",
        "seccomp_race", terminated("SIGSYS", "Bad system call"), args=["kill"],
        commands=HIT_COMMANDS + ["continue"], hits="gapless"),
    "k_cond_exit": Scenario(
        "k", "target-side condition true every other call; exit(5) while 8 threads hit",
        "exit_bp", exited(5), commands=COND_HIT_COMMANDS + ["continue"], check=even_hits),
    "k_cond_storm": Scenario(
        "k", "target-side condition true every other call; 48 threads created and exiting",
        "thread_storm", EXITED_NORMALLY, commands=COND_HIT_COMMANDS + ["continue"],
        check=even_hits),
    "l_fork_exec": Scenario(
        "l", "fork+exec and system() in 2 threads while 4 threads hit a breakpoint",
        "fork_exec", EXITED_NORMALLY, commands=HIT_COMMANDS + ["continue"], hits="exact",
        check=check_children),
}


# Go programs (issue 5, tests/inferiors/go), each in its default build and its -N -l build
# (_nopt): the runtime's threads, SIGURG preemption and exit paths under a breakpoint.
GO_HIT_COMMANDS = ["break main.hit"] + HIT_COMMANDS[1:]


def go_scenarios():
    base = {
        "j_go_exit": dict(
            what="os.Exit(3) from a goroutine: 50 spin, 20 block in read(2), 4 hit a "
                 "breakpoint", prog="go_exit", end=exited(3), commands=GO_HIT_COMMANDS +
            ["continue"], hits="gapless"),
        "j_go_panic": dict(
            what="a goroutine panics (status 2) while 50 spin and 4 hit a breakpoint",
            prog="go_panic", end=exited(2), commands=GO_HIT_COMMANDS + ["continue"],
            hits="gapless"),
        "j_go_return": dict(
            what="main returns while 50 goroutines spin and 4 hit a breakpoint",
            prog="go_return", end=EXITED_NORMALLY, commands=GO_HIT_COMMANDS + ["continue"],
            hits="gapless"),
        "j_go_kill": dict(
            what="SIGKILL from outside while a Go program is stopped at a breakpoint",
            prog="go_hits", end=terminated("SIGKILL", "Killed"), interactive=kill_stopped,
            breakpoint="main.hit"),
        "j_go_hits": dict(
            what="8 goroutines call hit() 10 times each: exactly 80 hits",
            prog="go_hits", end=EXITED_NORMALLY, commands=GO_HIT_COMMANDS + ["continue"],
            hits="exact"),
    }
    # 8 spinners, not the programs' default 50: a turn on the 2 processors comes every
    # ~40 ms instead of ~250 ms, so a run takes a second, not several.
    for name in ("j_go_exit", "j_go_panic", "j_go_return"):
        base[name]["args"] = ["8"]
        base[name]["what"] = base[name]["what"].replace("50 spin", "8 spin")
    scenarios = {}
    for name, kw in base.items():
        for suffix in ("", "_nopt"):
            args = dict(kw, prog=kw["prog"] + suffix)
            if suffix:
                args["what"] = kw["what"] + " (-N -l)"
            scenarios[name + suffix] = Scenario("j", go=True, **args)
    return scenarios


SCENARIOS.update(go_scenarios())


# --------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------
def hit_problems(text, exact_total, what="hits"):
    seqs = collections.defaultdict(list)
    for i, s in HIT_RE.findall(text):
        seqs[int(i)].append(int(s))
    problems = []
    total = 0
    for tid, got in sorted(seqs.items()):
        total += len(got)
        dup = sorted(s for s, n in collections.Counter(got).items() if n > 1)
        if dup:
            problems.append("%s: id %d seq %s reported twice" % (what, tid, dup[:5]))
        missing = sorted(set(range(max(got) + 1)) - set(got))
        if missing:
            problems.append("%s: id %d seq %s never reported (lost hit) of 0..%d"
                            % (what, tid, missing[:5], max(got)))
    if exact_total is not None and total != exact_total:
        problems.append("%s: gdb saw %d hits, the program made %d calls"
                        % (what, total, exact_total))
    return problems


def check_run(sc, run):
    out = run.gdb_out
    problems = list(run.problems)
    ends = [norm_end(m.group(1)) for m in END_RE.finditer(out)]
    if not ends:
        problems.append("no end reported (expected %r)" % sc.end)
    elif ends != [sc.end]:
        problems.append("end %s, expected %r" % (" then ".join(repr(e) for e in ends), sc.end))
    received = RECEIVED_RE.findall(out)
    if received != sc.received:
        problems.append("stops by signal %s, expected %s" % (received or "none",
                                                             sc.received or "none"))
    for pat in BAD_LINES:
        m = re.search(pat, out, re.M)
        if m:
            line = out[out.rfind("\n", 0, m.start()) + 1:out.find("\n", m.end())]
            problems.append("gdb printed %r" % line.strip())
    for line in out.splitlines():
        if re.match(r"^(?:Error|error)\b", line) or line in ("Quit",):
            problems.append("gdb printed %r" % line)
        if re.match(r"^The program is not being run\.$", line) and not any(
                re.match(p, line) for p in sc.allowed_errors):
            problems.append("gdb printed %r" % line)
    if sc.hits:
        total = None
        if sc.hits == "exact":
            m = re.search(r"^calls (\d+)$", run.inferior_out, re.M)
            if not m:
                problems.append("the program did not print its call count (output %r)"
                                % run.inferior_out[-200:])
            else:
                total = int(m.group(1))
        problems += hit_problems(out, total)
    if sc.check:
        problems += sc.check(run)
    if run.stub_rc not in (0, None):
        problems.append("stub exit status %s" % run.stub_rc)
    return problems


# --------------------------------------------------------------------------------------
# One run
# --------------------------------------------------------------------------------------
class Hang(Exception):
    pass


def _reader(stream, sink, q):
    for raw in iter(stream.readline, b""):
        line = raw.decode(errors="replace")
        sink.append(line)
        if q is not None:
            q.put(line)
    if q is not None:
        q.put(None)


PROMPTS_RE = re.compile(r"^(?:\(gdb\) |>)+", re.M)


def strip_prompts(text):
    """Interactive gdb prefixes output with its prompts ("(gdb) ", ">" in `commands`)."""
    return PROMPTS_RE.sub("", text)


class GdbSession:
    """Interactive gdb over a pipe: each command is followed by an echo marker and the
    driver waits (with a deadline) for the marker, i.e. for the command to finish."""

    def __init__(self, run, argv):
        self.run = run
        self.lines = []
        self.q = queue.Queue()
        self.n = 0
        self.proc = run.guard.track(subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env=run.guard.env(), cwd=tempfile.gettempdir(), start_new_session=True))
        threading.Thread(target=_reader, args=(self.proc.stdout, self.lines, self.q),
                         daemon=True).start()

    def send(self, cmd):
        self.proc.stdin.write((cmd + "\n").encode())
        self.proc.stdin.flush()

    def wait_for(self, pattern):
        rx = re.compile(pattern)
        got = []
        while True:
            remaining = self.run.deadline - time.monotonic()
            if remaining <= 0:
                raise Hang("gdb: no line matching /%s/ before the deadline" % pattern)
            try:
                line = self.q.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise Hang("gdb exited while waiting for /%s/" % pattern)
            got.append(line)
            if rx.search(strip_prompts(line).rstrip("\n")):
                return strip_prompts("".join(got))

    def command(self, cmd):
        """Run `cmd`; return its output (through its marker)."""
        self.n += 1
        self.send(cmd)
        self.send("echo @@@DONE %d@@@\\n" % self.n)
        return self.wait_for(r"@@@DONE %d@@@$" % self.n)

    def close(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        remaining = max(0.1, self.run.deadline - time.monotonic())
        try:
            self.proc.wait(timeout=remaining)
        except subprocess.TimeoutExpired:
            raise Hang("gdb did not exit at the end of its input")


class Run:
    def __init__(self, opts, sc, index):
        self.opts = opts
        self.sc = sc
        self.index = index
        self.guard = ProcessGuard()
        self.problems = []
        self.gdb_out = ""
        self.inferior_out = ""
        self.stub_err_lines = []
        self.stub_rc = None
        self.pid = None
        self.session = None
        self.deadline = time.monotonic() + opts.run_timeout
        self.kind = "ok"
        self.hang_state = None
        self.landed = None

    # -- the stub --
    def start_stub(self):
        env = {}
        if self.opts.stub_debug:
            env["STUBBORN_DEBUG"] = self.opts.stub_debug
        prog = self.prog_path()
        self.out_file = tempfile.TemporaryFile()
        self.stub_cmd = [self.opts.stub, "--once", "127.0.0.1:0", prog] + self.sc.args
        self.stub = self.guard.track(subprocess.Popen(
            self.stub_cmd, stdin=subprocess.DEVNULL, stdout=self.out_file,
            stderr=subprocess.PIPE, env=self.guard.env(env), cwd=tempfile.gettempdir(),
            start_new_session=True))
        q = queue.Queue()
        self.stub_reader = threading.Thread(
            target=_reader, args=(self.stub.stderr, self.stub_err_lines, q), daemon=True)
        self.stub_reader.start()
        deadline = time.monotonic() + LISTEN_TIMEOUT
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Hang("stub did not say 'Listening on port N' within %ds"
                           % LISTEN_TIMEOUT)
            try:
                line = q.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise Hang("stub exited before listening")
            m = re.search(r"created; pid = (\d+)", line)
            if m:
                self.pid = int(m.group(1))
            m = re.search(r"Listening on port (\d+)", line)
            if m:
                self.port = int(m.group(1))
                # Keep draining stderr into stub_err_lines (the reader does); forget q.
                return

    def kill_inferior(self):
        if self.pid is None:
            self.problems.append("no 'pid = N' line from the stub: cannot kill")
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError as e:
            self.problems.append("kill(%d, SIGKILL): %s" % (self.pid, e))

    def prog_path(self):
        if self.sc.go:
            if not self.opts.go_inferiors:
                raise SystemExit("%s needs --go-inferiors" % self.opts.scenario)
            return os.path.join(self.opts.go_inferiors, self.sc.prog)
        return os.path.join(self.opts.inferiors, self.sc.prog)

    def gdb_argv(self, batch):
        prog = self.prog_path()
        argv = [self.opts.gdb, "-nx", "-nh"] + (["-batch"] if batch else ["-q"])
        if self.sc.go:
            # Go binaries name runtime-gdb.py for auto-load; declining it is a warning.
            argv += ["-iex", "set auto-load python-scripts off"]
        for c in ["set pagination off", "set width 0", "set height 0", "set confirm off",
                  "set sysroot /", "target remote 127.0.0.1:%d" % self.port]:
            argv += ["-ex", c]
        return argv, prog

    # -- the whole run --
    def execute(self):
        try:
            self.start_stub()
            if self.sc.interactive:
                argv, prog = self.gdb_argv(batch=False)
                self.session = GdbSession(self, argv + [prog])
                try:
                    self.sc.interactive(self)
                    self.session.close()
                finally:
                    self.gdb_out = strip_prompts("".join(self.session.lines))
            else:
                argv, prog = self.gdb_argv(batch=True)
                fd, cmdfile = tempfile.mkstemp(prefix="stress-", suffix=".gdb")
                with os.fdopen(fd, "w") as f:
                    f.write("\n".join(self.sc.commands) + "\n")
                try:
                    gdb = self.guard.track(subprocess.Popen(
                        argv + ["-x", cmdfile, prog], stdin=subprocess.DEVNULL,
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                        env=self.guard.env(), cwd=tempfile.gettempdir(),
                        start_new_session=True))
                    try:
                        out, _ = gdb.communicate(
                            timeout=max(0.1, self.deadline - time.monotonic()))
                        self.gdb_out = out.decode(errors="replace")
                    except subprocess.TimeoutExpired:
                        self.hang_state = self.process_snapshot()
                        os.killpg(gdb.pid, signal.SIGKILL)
                        out, _ = gdb.communicate()
                        self.gdb_out = out.decode(errors="replace")
                        raise Hang("gdb did not finish within %gs" % self.opts.run_timeout)
                finally:
                    os.unlink(cmdfile)
            try:
                self.stub_rc = self.stub.wait(timeout=STUB_EXIT_TIMEOUT)
            except subprocess.TimeoutExpired:
                raise Hang("stub did not exit within %ds after gdb was done"
                           % STUB_EXIT_TIMEOUT)
        except Hang as e:
            self.kind = "hang"
            self.problems.insert(0, "HANG: %s" % e)
            if not self.hang_state:
                self.hang_state = self.process_snapshot()
            # The stub's debug log up to this point, then kill everything.
            self.guard.kill_everything()
        finally:
            self.collect()
        if self.kind == "ok":
            try:
                self.guard.check_no_leftovers()
            except gdbtest.TestFailure as e:
                self.problems.append(str(e))
            self.problems = check_run(self.sc, self)
            if self.problems:
                self.kind = "wrong"
        else:
            self.guard.kill_everything()
        return self.kind

    def process_snapshot(self):
        """At a hang: every process of the run and every thread of the inferior, with
        its state and wait channel, before they are killed."""
        lines = []

        def read(path):
            try:
                with open(path, "rb") as f:
                    return f.read().decode(errors="replace")
            except OSError as e:
                return "<%s>" % e.strerror

        pids = set(self.guard.tagged_pids())
        if self.pid:
            pids.add(self.pid)
        for pid in sorted(pids):
            stat = read("/proc/%d/stat" % pid)
            lines.append("pid %d [%s] %s" % (pid, stat.rsplit(")", 1)[-1].split()[0]
                                             if ")" in stat else "?",
                                             read("/proc/%d/cmdline" % pid).replace("\0", " ")))
            try:
                tids = sorted(int(t) for t in os.listdir("/proc/%d/task" % pid))
            except OSError:
                continue
            for tid in tids:
                st = read("/proc/%d/task/%d/stat" % (pid, tid))
                state = st.rsplit(")", 1)[-1].split()[0] if ")" in st else "?"
                lines.append("    task %d state %s wchan %s" % (
                    tid, state, read("/proc/%d/task/%d/wchan" % (pid, tid))))
        return "\n".join(lines)

    def collect(self):
        if hasattr(self, "stub_reader"):
            self.stub_reader.join(timeout=5)
        if hasattr(self, "out_file"):
            self.out_file.seek(0)
            self.inferior_out = self.out_file.read().decode(errors="replace")
            self.out_file.close()

    def transcript_excerpt(self, max_lines=60):
        """gdb's output with runs of H lines folded."""
        out = []
        hits = 0
        for line in self.gdb_out.splitlines():
            if HIT_RE.match(line):
                hits += 1
                continue
            if hits:
                out.append("    ... %d hit line(s) ..." % hits)
                hits = 0
            out.append("    " + line)
        if hits:
            out.append("    ... %d hit line(s) ..." % hits)
        if len(out) > max_lines:
            out = out[:15] + ["    [... %d lines ...]" % (len(out) - max_lines + 15)] + \
                out[-(max_lines - 15):]
        return "\n".join(out)

    def save(self, path):
        with open(path, "w") as f:
            f.write("scenario %s (%s), run %d, stub %s\n" % (
                self.opts.scenario, self.sc.what, self.index, " ".join(self.stub_cmd)
                if hasattr(self, "stub_cmd") else self.opts.stub))
            f.write("result: %s\n" % self.kind)
            if self.sc.classify and self.sc.classify(self):
                f.write("race: %s\n" % self.sc.classify(self))
            for p in self.problems:
                f.write("problem: %s\n" % p)
            if getattr(self, "hang_state", None):
                f.write("\n===== processes at the hang =====\n%s\n" % self.hang_state)
            f.write("\n===== gdb commands =====\n%s\n" % (
                "\n".join(self.sc.commands) if self.sc.commands
                else "(interactive: %s)" % self.sc.interactive.__doc__.strip()))
            f.write("\n===== gdb output =====\n%s\n" % self.gdb_out)
            f.write("\n===== inferior output =====\n%s\n" % self.inferior_out)
            f.write("\n===== stub stderr (exit status %s, STUBBORN_DEBUG=%s) =====\n%s" % (
                self.stub_rc, self.opts.stub_debug or "", "".join(self.stub_err_lines)))


# --------------------------------------------------------------------------------------
# The loop
# --------------------------------------------------------------------------------------
def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scenario", choices=sorted(SCENARIOS))
    ap.add_argument("--stub", required=True)
    ap.add_argument("--stub-name", help="name in the report (default: from --stub)")
    ap.add_argument("--expect-fail", action="store_true",
                    help="record failures but pass (for GNU gdbserver)")
    ap.add_argument("--gdb", default="gdb")
    ap.add_argument("--inferiors", required=True, help="directory of the stress inferiors")
    ap.add_argument("--go-inferiors", help="directory of the Go inferiors (j_go_* scenarios)")
    ap.add_argument("--runs", type=int, default=None,
                    help="runs (default: $STUBBORN_STRESS_RUNS, else 10)")
    ap.add_argument("--budget", type=float, default=300,
                    help="seconds for the whole loop; no run starts after it")
    ap.add_argument("--run-timeout", type=float, default=20,
                    help="seconds for one run's gdb session (longer = a hang)")
    ap.add_argument("--max-hangs", type=int, default=3,
                    help="stop after this many hangs (each costs --run-timeout)")
    ap.add_argument("--stub-debug", default=None,
                    help="STUBBORN_DEBUG channels for the stub (default: event,ptrace for "
                         "stubborn, none for others; '' for none)")
    ap.add_argument("--log-dir", default=os.path.join(tempfile.gettempdir(), "stress-logs"))
    ap.add_argument("--verbose", action="store_true", help="one line per run")
    opts = ap.parse_args(argv)
    opts.stub = os.path.abspath(opts.stub)
    opts.inferiors = os.path.abspath(opts.inferiors)
    if opts.go_inferiors:
        opts.go_inferiors = os.path.abspath(opts.go_inferiors)
    if os.sep in opts.gdb:
        opts.gdb = os.path.abspath(opts.gdb)
    if opts.runs is None:
        opts.runs = int(os.environ.get("STUBBORN_STRESS_RUNS", "10"))
    name = opts.stub_name or ("gdbserver" if "gdbserver" in os.path.basename(opts.stub)
                              else "stubborn")
    if opts.stub_debug is None:
        opts.stub_debug = "event,ptrace" if name == "stubborn" else ""
    sc = SCENARIOS[opts.scenario]
    log_dir = os.path.join(opts.log_dir, "%s.%s" % (opts.scenario, name))
    os.makedirs(log_dir, exist_ok=True)
    summary_path = os.path.join(log_dir, "summary")
    for f in os.listdir(log_dir):
        if f.startswith("run-") or f == "summary":
            os.unlink(os.path.join(log_dir, f))

    print("stress %s (%s): %s, %d runs, budget %ds" % (
        opts.scenario, sc.what, name, opts.runs, opts.budget), flush=True)
    end_by = time.monotonic() + opts.budget
    counts = collections.Counter()
    reasons = collections.Counter()
    landed = collections.Counter()
    hit_counts = []
    saved = 0
    ran = 0
    t0 = time.monotonic()
    for i in range(1, opts.runs + 1):
        if time.monotonic() + opts.run_timeout + STUB_EXIT_TIMEOUT > end_by:
            print("budget exhausted after %d of %d runs" % (ran, opts.runs), flush=True)
            break
        if counts["hang"] >= opts.max_hangs:
            print("stopping after %d hangs (%d of %d runs)" % (counts["hang"], ran, opts.runs),
                  flush=True)
            break
        run = Run(opts, sc, i)
        kind = run.execute()
        ran += 1
        counts[kind] += 1
        if sc.classify and kind != "hang" and sc.classify(run):
            landed[sc.classify(run)] += 1
        if sc.hits:
            hit_counts.append(len(HIT_RE.findall(run.gdb_out)))
        if opts.verbose:
            print("run %d: %s %s" % (i, kind, "; ".join(run.problems)), flush=True)
        if kind != "ok":
            for p in run.problems:
                reasons[re.sub(r"\d+", "N", p.split("\n")[0])[:150]] += 1
            path = None
            if saved < MAX_SAVED_FAILURES:
                saved += 1
                path = os.path.join(log_dir, "run-%03d-%s.txt" % (i, kind))
                run.save(path)
            if counts["hang"] + counts["wrong"] <= 2:
                print("--- %s: run %d %s:\n  %s\n  gdb transcript:\n%s\n  stub exit %s; "
                      "full log: %s" % (
                          name, i, kind.upper(), "\n  ".join(run.problems),
                          run.transcript_excerpt(), run.stub_rc, path or "(not saved)"),
                      flush=True)
    elapsed = time.monotonic() - t0
    bad = counts["wrong"] + counts["hang"]
    if hit_counts:
        hit_counts.sort()
        print("%s: breakpoint hits per run: min %d, median %d, max %d" % (
            name, hit_counts[0], hit_counts[len(hit_counts) // 2], hit_counts[-1]))
    if landed:
        print("%s: where the race landed: %s" % (
            name, ", ".join("%s: %d" % kv for kv in landed.most_common())))
    print("%s: %d runs in %.0fs (%.2fs each): %d right, %d wrong, %d hangs" % (
        name, ran, elapsed, elapsed / max(ran, 1), counts["ok"], counts["wrong"],
        counts["hang"]), flush=True)
    if bad:
        what = "; ".join("%s (x%d)" % (r, n) for r, n in reasons.most_common(6))
        print("%s: %d/%d runs wrong: %s" % (name, bad, ran, what), flush=True)
        print("%s: failing runs saved in %s" % (name, log_dir), flush=True)
    summary = "STRESS-SUMMARY scenario=%s stub=%s runs=%d ok=%d wrong=%d hangs=%d planned=%d" % (
        opts.scenario, name, ran, counts["ok"], counts["wrong"], counts["hang"], opts.runs)
    with open(summary_path, "w") as f:
        f.write(summary + "\n")
        for r, n in reasons.most_common():
            f.write("reason x%d: %s\n" % (n, r))
    print(summary, flush=True)
    if opts.expect_fail:
        if bad:
            print("(expected failure for %s: recorded, not failing the test)" % name)
        return 0
    if bad or ran < opts.runs:
        print("FAIL")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
