#!/usr/bin/env python3
"""Benchmarks: real gdb against build/stubborn and /usr/bin/gdbserver, side by side.

Each workload runs A B A B ... (its sides alternating: by default stubborn and gdbserver,
or two or more configurations, e.g. stubborn with and without range stepping) and
reports, per side, the median and spread of the measured segment, the ratio of each other
side to the first, and where the CPU went:
the stub's own CPU for the whole run (from /proc/PID/schedstat, nanosecond precise), gdb's
CPU in the measured segment (its process_time()), the inferior's (the stub's reaped children,
from /proc/PID/stat), and the stub's peak RSS.

It also measures the machine's floor: what a TCP loopback round trip and a ptrace stop cost
with no gdb and no stub (tests/inferiors/bench/transport_floor), and, in one more run per
side with gdb's `set debug remote 1` on during the segment, how many packets (round trips)
gdb sends per unit of each workload, and how many of their replies are stops (each at least
one ptrace stop). Round trips x the round trip + stops x the ptrace stop is a time no stub can
beat on this machine, whatever it does; the bench prints it next to the medians.

The measured segment is timed inside gdb (python time.perf_counter() before and after
the workload's commands), so gdb start-up and symbol loading are not counted, except by
the start-up workloads, whose segment is exactly that. A workload's checks run after the
segment: a run whose checks fail (a gdb error, a stop in the wrong place), whose stub
does not start, or that times out counts as failed for that side, and the bench goes on.
"""
import argparse
import os
import re
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CLK_TCK = os.sysconf("SC_CLK_TCK")


def side(label, stub=None, setup=(), env=None):
    """One side of a workload: which stub, gdb commands of its own, run after the
    connection and before the workload's setup (before the connection for start-up ones),
    and environment variables for the stub."""
    return dict(label=label, stub=stub or label, setup=list(setup), env=dict(env or {}))


# The usual comparison: the same commands against each stub.
STUBS = [side("stubborn"), side("gdbserver")]

# Checks are Python expressions evaluated in gdb after the segment; all must be true.
CHECK_ALIVE = "gdb.selected_inferior().pid > 0"
CHECK_HITS = "gdb.breakpoints()[0].hit_count == {n}"
CHECK_IN = "gdb.selected_frame().name() == '{fn}'"
CHECK_CATCH_HITS = "gdb.breakpoints()[1].hit_count == {n}"  # after `break main`
CHECK_COND_HIT = "int(gdb.parse_and_eval('i')) == 19999"
CHECK_EVAL = "gdb.parameter('breakpoint condition-evaluation') == '{mode}'"
CHECK_LOOP_DONE = "int(gdb.parse_and_eval('i')) == {n}"
CHECK_WATCH_HITS = ("[b.hit_count for b in gdb.breakpoints() if b.type in "
                    "(gdb.BP_WATCHPOINT, gdb.BP_HARDWARE_WATCHPOINT)] == [{n}]")


def workloads(inferiors, go_inferiors):
    bp = os.path.join(inferiors, "bp_loop")
    go_threads = os.path.join(go_inferiors, "go_bench_threads")
    mem = os.path.join(inferiors, "big_memory")
    blocked = os.path.join(inferiors, "many_threads_blocked")
    hits = os.path.join(inferiors, "threads_hit")
    next_loop = os.path.join(inferiors, "next_loop")
    watch_loop = os.path.join(inferiors, "watch_loop")
    syscall_loop = os.path.join(inferiors, "syscall_loop")
    syscall_calls = 1000  # each stops twice: entry and return
    # 20,000 conditional hits, the same for host and target evaluation.
    cond_argv = [bp, "20000"]
    next_iters = 10000
    # gdb's software watchpoint single-steps over RSP (~0.5 ms a step): 300 x ~21 instructions.
    watch_iters = 300
    return [
        # name, program argv, commands before the segment, segment commands, units, unit;
        # optional: sides (default STUBS), check, timeout (seconds, per run).
        dict(name="bp_hit", argv=[bp, "2000"], setup=["break hit", "ignore 1 1000000"],
             segment=["continue"], units=2000, unit="hit", check=[CHECK_HITS.format(n=2000)]),
        dict(name="bp_hit_stdio", argv=[bp, "2000"], setup=["break hit", "ignore 1 1000000"],
             segment=["continue"], units=2000, unit="hit", stdio=True,
             check=[CHECK_HITS.format(n=2000)]),
        # gdb's default ("auto") hands conditions to a stub that takes them: say host.
        dict(name="cond_bp_host", argv=cond_argv,
             setup=["set breakpoint condition-evaluation host", "break hit if i == 19999"],
             segment=["continue"], units=20000, unit="hit",
             check=[CHECK_COND_HIT, CHECK_EVAL.format(mode="host")], finish=["kill"]),
        # gdbserver evaluates the condition's agent expression itself; gdb falling back to
        # host evaluation (a stub without ConditionalBreakpoints) fails the check. stubborn
        # lets the program evaluate it (a jump pad); `pads=off` evaluates it at an int3.
        dict(name="cond_bp_target", argv=cond_argv,
             sides=[side("stubborn"), side("gdbserver"),
                    side("stubborn pads=off", "stubborn", ["monitor jump-pads off"])],
             setup=["set breakpoint condition-evaluation target", "break hit if i == 19999"],
             segment=["continue"], units=20000, unit="hit",
             check=[CHECK_COND_HIT, CHECK_EVAL.format(mode="target")], finish=["kill"],
             timeout=150),
        dict(name="stepi", argv=[bp, "1"], setup=["break main", "continue"],
             segment=["stepi 1000"], units=1000, unit="step", check=[CHECK_ALIVE],
             finish=["kill"]),
        # `next` over a one-line loop: vCont;r lets the stub step it without gdb.
        dict(name="next_loop", argv=[next_loop, str(next_iters)],
             sides=[side("stubborn", setup=["set range-stepping on"]),
                    side("stubborn rs=off", "stubborn", ["set range-stepping off"]),
                    side("gdbserver", setup=["set range-stepping on"])],
             setup=["break spin", "continue"], segment=["next"], units=next_iters,
             unit="iter", check=[CHECK_LOOP_DONE.format(n=next_iters), CHECK_IN.format(fn="spin")],
             finish=["kill"], timeout=150),
        # A write watchpoint hit every iteration: the stub's emulation (told to leave the
        # debug registers alone, which on some machines fire) against gdb's own software
        # watchpoint, which single-steps everything; and the stub's default (the debug
        # registers where they fire).
        dict(name="sw_watch", argv=[watch_loop, str(watch_iters)],
             sides=[side("stubborn emulated", "stubborn",
                         env={"STUBBORN_DEBUG_REGISTERS": "off"}),
                    side("gdbserver gdb-sw", "gdbserver", ["set can-use-hw-watchpoints 0"]),
                    side("stubborn gdb-sw", "stubborn", ["set can-use-hw-watchpoints 0"]),
                    side("stubborn")],
             setup=["break main", "continue", "watch watched", "ignore $bpnum 1000000",
                    "break done"],
             segment=["continue"], units=watch_iters, unit="hit",
             check=[CHECK_WATCH_HITS.format(n=watch_iters), CHECK_IN.format(fn="done")],
             finish=["kill"], timeout=60),
        # `catch syscall write`, resumed by an ignore count: 2000 stops (entry and return).
        dict(name="catch_syscall", argv=[syscall_loop, str(syscall_calls)],
             setup=["break main", "continue", "catch syscall write", "ignore $bpnum 1000000",
                    "break done"],
             segment=["continue"], units=2 * syscall_calls, unit="stop",
             check=[CHECK_CATCH_HITS.format(n=2 * syscall_calls), CHECK_IN.format(fn="done")],
             finish=["kill"], timeout=120),
        dict(name="x2000xg", argv=[bp, "1"], setup=["break main", "continue"],
             segment=["x/2000xg $sp - 8000"] * 20, units=20, unit="x/2000xg",
             check=[CHECK_ALIVE], finish=["kill"], quiet=True),
        dict(name="dump_64MiB", argv=[mem], setup=["break ready", "continue"],
             segment=["dump binary memory {tmp}/dump.bin buffer buffer+67108864"],
             units=64, unit="MiB",
             check=["os.path.getsize('{tmp}/dump.bin') == 67108864"], finish=["kill"]),
        dict(name="info_threads_257", argv=[blocked, "256"], setup=["break ready", "continue"],
             segment=["info threads"] * 5, units=5, unit="info threads",
             check=["len(gdb.selected_inferior().threads()) == 257"], finish=["kill"],
             quiet=True),
        dict(name="threads_256_bp", argv=[hits, "256", "4"],
             setup=["break hit", "ignore 1 1000000"], segment=["continue"], units=1024,
             unit="hit", check=[CHECK_HITS.format(n=1024)]),
        dict(name="go_200_threads_bp", argv=[go_threads, "200"],
             setup=["break main.hit", "ignore 1 1000000"], segment=["continue"], units=200,
             unit="hit", check=[CHECK_HITS.format(n=200)], go=True),
        dict(name="startup_to_main", argv=[bp, "1"], setup=[], startup=True,
             segment=["break main", "continue"], units=1, unit="start",
             check=[CHECK_IN.format(fn="main")], finish=["kill"]),
        dict(name="startup_to_exit", argv=[bp, "1"], setup=[], startup=True,
             segment=["continue"], units=1, unit="run",
             check=["int(gdb.parse_and_eval('$_exitcode')) == 0"]),
        dict(name="detach", argv=[bp, "1"], setup=["break main", "continue"],
             segment=["detach"], units=1, unit="detach", finish=[]),
        dict(name="attach_256", argv=[blocked, "256", "wait"], attach=True, setup=[],
             startup=True, segment=[], units=1, unit="attach",
             check=["len(gdb.selected_inferior().threads()) == 257"], finish=["detach"]),
    ]


class Result:
    def __init__(self):
        self.seconds = None
        self.stub_cpu = None
        self.gdb_cpu = None
        self.inferior_cpu = None
        self.rss = None
        self.error = None
        self.timed_out = False
        self.traffic = None  # (packets gdb sent, stop replies it got), if counted


def start_stub(stub, argv, attach_pid, env):
    cmd = [stub, "--once", "127.0.0.1:0"]
    cmd += ["--attach", str(attach_pid)] if attach_pid else argv
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env)
    text = read_until(proc.stderr.fileno(), r"Listening on port (\d+)", 20)
    m = re.search(r"Listening on port (\d+)", text)
    if m is None:
        proc.kill()
        proc.wait()
        raise RuntimeError("stub did not listen: " + text[-400:])
    return proc, int(m.group(1))


def read_until(fd, pattern, seconds):
    """What fd gives until pattern appears, EOF or the deadline (a silent stub must not
    hang the bench)."""
    deadline = time.monotonic() + seconds
    text = ""
    while not re.search(pattern, text):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            break
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        text += chunk.decode(errors="replace")
    return text


def gdb_commands(w, sd, target, stub_pid, tmp, count_packets=False):
    """The gdb -ex commands of one run of workload w on side sd; count_packets: gdb logs
    its packets (to stderr) during the segment only."""
    cmds = ["set pagination off", "set confirm off", "set width 0", "python import time, os"]
    seg = [c.format(tmp=tmp) for c in w["segment"]]
    if w.get("quiet") and not count_packets:  # a pipe would take gdb's packet log too
        seg = [f"pipe {c} | true" for c in seg]
    if w.get("startup"):  # the connection is part of the segment
        cmds += sd["setup"]
        seg.insert(0, target)
    else:
        cmds.append(target)
        cmds += sd["setup"] + w["setup"]
    if count_packets:
        seg = ["set debug remote 1"] + seg + ["set debug remote 0"]
    cmds.append("python _t0, _c0 = time.perf_counter(), time.process_time()")
    cmds += seg
    cmds.append('python print("BENCH-SECONDS %.9f %.9f" % (time.perf_counter() - _t0, '
                'time.process_time() - _c0))')
    # gdb -batch goes on after a failed command: the checks tell a failed run.
    for i, expr in enumerate(w.get("check", [])):
        cmds.append(f'python print("BENCH-CHECK {i}", bool({expr.format(tmp=tmp)}))')
    cmds += w.get("finish", [])
    if stub_pid:
        proc = f"/proc/{stub_pid}"
        # The stub waits for our disconnect (or is a zombie): its counters are final here.
        cmds.append(f'python print("BENCH-STUB-SCHED " + open("{proc}/schedstat").read())')
        cmds.append(f'python print("BENCH-STUB-STAT " + open("{proc}/stat").read())')
    return cmds


def check_error(w, out, err):
    """Why a run's checks failed, or None."""
    for i, expr in enumerate(w.get("check", [])):
        m = re.search(rf"^BENCH-CHECK {i} (\w+)$", out, re.M)
        if not m or m.group(1) != "True":
            why = "raised" if not m else "false"
            tail = " | ".join([line for line in err.splitlines() if line.strip()][-3:])
            return f"check {why}: {expr}" + (f" (gdb: {tail})" if tail else "")
    return None


def parse_figures(out, res):
    m = re.search(r"BENCH-SECONDS [0-9.]+ ([0-9.]+)", out)
    if m:
        res.gdb_cpu = float(m.group(1))
    m = re.search(r"BENCH-STUB-SCHED (\d+)", out)
    if m:
        res.stub_cpu = int(m.group(1)) / 1e9
    m = re.search(r"BENCH-STUB-STAT .*?\) (.*)", out)
    if m:
        f = m.group(1).split()
        res.inferior_cpu = (int(f[13]) + int(f[14])) / CLK_TCK


def run_once(stub, sd, w, tmp, timeout, count_packets=False):
    """One run of workload w on side sd (stub: its path); never raises for a failed run.
    count_packets: a run that only counts the packets gdb sends in the segment."""
    res = Result()
    env = dict(os.environ, **sd.get("env", {}))
    target_proc = None
    stub_proc = None
    try:
        attach_pid = None
        if w.get("attach"):
            target_proc = subprocess.Popen(w["argv"], stdout=subprocess.PIPE, text=True)
            attach_pid = int(target_proc.stdout.readline().split()[1])
        if w.get("stdio"):
            target = f"target remote | {stub} - {' '.join(w['argv'])}"
        else:
            stub_proc, port = start_stub(stub, w["argv"], attach_pid, env)
            target = f"target remote 127.0.0.1:{port}"
        stub_pid = stub_proc.pid if stub_proc else None
        args = ["gdb", "-nx", "-batch"]
        for c in gdb_commands(w, sd, target, stub_pid, tmp, count_packets):
            args += ["-ex", c]
        args.append(w["argv"][0])
        rss = PeakRss(stub_pid)
        try:
            done = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True,
                                  text=True, errors="replace",  # the packet log is binary
                                  timeout=timeout, env=env)  # a stdio stub is gdb's child
        finally:
            res.rss = rss.stop()
        out = done.stdout
        m = re.search(r"BENCH-SECONDS ([0-9.]+)", out)
        if not m:
            res.error = "no timing in gdb output: " + (out + done.stderr)[-800:]
            return res
        seconds = float(m.group(1))
        error = check_error(w, out, done.stderr)
        if error:
            # What gdb said last in the segment: usually the stop it ended with.
            said = [line for line in out[:m.start()].splitlines() if line.strip()][-1:]
            res.error = f"{error} [segment {seconds:.2f} s, ended with: {' '.join(said)}]"
            return res
        res.seconds = seconds
        parse_figures(out, res)
        if count_packets:
            stops = re.findall(r"\[remote\] (?:Packet|Notification) received: "
                               r"(?:Stop:)?[TSWX][0-9a-fA-F]{2}", done.stderr)
            res.traffic = (done.stderr.count("[remote] Sending packet: "), len(stops))
        return res
    except subprocess.TimeoutExpired:
        res.error = f"timeout: no end within {timeout:.0f} s"
        res.timed_out = True
        return res
    except (OSError, ValueError, IndexError, RuntimeError) as e:
        res.error = f"{type(e).__name__}: {e}"
        return res
    finally:
        for p in (stub_proc, target_proc):
            if p and p.poll() is None:
                p.kill()
                p.wait()


class PeakRss:
    """The stub's peak RSS (VmHWM, KiB), read every 50 ms while gdb runs: a --once stub
    ends with its program, and a zombie's status has no VmHWM left to read. (wait4's
    ru_maxrss is no use: it keeps the forking Python's RSS from before the exec.)"""

    def __init__(self, pid):
        self.pid, self.peak = pid, None
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True) if pid else None
        if self.thread:
            self.thread.start()

    def sample(self):
        while True:
            try:
                with open(f"/proc/{self.pid}/status") as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            self.peak = max(self.peak or 0, int(line.split()[1]))
            except OSError:
                pass
            if self.done.wait(0.05):
                return

    def stop(self):
        if self.thread:
            self.done.set()
            self.thread.join()
        return self.peak


def fmt_time(seconds, units, unit):
    per = seconds / units
    if unit == "MiB":
        return f"{units / seconds:8.1f} MiB/s"
    if per >= 0.1:
        return f"{per:8.3f} s/{unit}"
    if per >= 1e-3:
        return f"{per * 1e3:8.2f} ms/{unit}"
    return f"{per * 1e6:8.1f} us/{unit}"


def side_line(label, width, w, rs, traffic=None, floor=None):
    """One side's figures: median, spread, runs, CPU and RSS; or why it failed. traffic: gdb's
    packets and stop replies in the segment (from the counting run); floor: the machine's
    (TCP round trip, ptrace stop) in seconds, which make that traffic a floor."""
    ok = [r for r in rs if r.seconds is not None]
    failed = [r for r in rs if r.seconds is None]
    if not ok:
        return f"  {label:{width}s} FAILED: {failed[0].error if failed else 'no runs'}"
    secs = [r.seconds for r in ok]
    stub_cpu = [r.stub_cpu for r in ok if r.stub_cpu is not None]
    gdb_cpu = [r.gdb_cpu for r in ok if r.gdb_cpu is not None]
    inf_cpu = [r.inferior_cpu for r in ok if r.inferior_cpu is not None]
    rss = [r.rss for r in ok if r.rss is not None]
    cpu = ""
    if stub_cpu:
        per_unit = statistics.median(stub_cpu) / w["units"]
        cpu = f" | stub CPU {per_unit * 1e6:9.1f} us/{w['unit']}"
    if gdb_cpu:
        cpu += f", gdb {statistics.median(gdb_cpu) / w['units'] * 1e6:.1f} us/{w['unit']}"
    if inf_cpu:
        cpu += f", inferior {statistics.median(inf_cpu):.2f} s"
    if rss:
        cpu += f", peak RSS {max(rss) / 1024:.1f} MiB"
    if traffic is not None:
        packets, stops = traffic
        cpu += f", {packets / w['units']:.4g} round trips and {stops / w['units']:.4g} stops" \
               f"/{w['unit']}"
        if floor and not w.get("stdio"):
            least = packets * floor[0] + stops * floor[1]
            cpu += f" (floor {fmt_time(least, w['units'], w['unit']).strip()})"
    spread = f"[{fmt_time(min(secs), w['units'], w['unit']).strip()} .. " \
             f"{fmt_time(max(secs), w['units'], w['unit']).strip()}]"
    line = f"  {label:{width}s} {fmt_time(statistics.median(secs), w['units'], w['unit'])}" \
           f" {spread} n={len(ok)}{cpu}"
    if failed:
        line += f" | {len(failed)} FAILED: {failed[0].error}"
    return line


def summarize(name, w, results, traffic, floor):
    """results: side label -> Results, the first side being the reference of the ratios;
    traffic: side label -> (packets, stops) counted in the segment (or None)."""
    width = max(10, *(len(label) for label in results))
    lines = [side_line(label, width, w, rs, traffic.get(label), floor)
             for label, rs in results.items()]
    medians = {label: statistics.median(r.seconds for r in rs if r.seconds is not None)
               for label, rs in results.items() if any(r.seconds is not None for r in rs)}
    first = next(iter(results))
    ratios = [f"{label}/{first} = {medians[label] / medians[first]:.2f}x"
              for label in results if label != first and label in medians and first in medians]
    ratio = f"  ratio {', '.join(ratios)}" if ratios else ""
    return [f"{name}:{ratio}"] + lines


def run_workload(w, stubs, runs, tmp, timeout, count_packets):
    """Runs the sides of w in turn (A B A B ...), runs times each; a side that timed out is
    not run again, as it would only time out again. Then, if count_packets, one more run per
    side that counts gdb's packets. Returns (results, side label -> (packets, stops))."""
    sides = w.get("sides", STUBS)
    timeout = min(timeout, w.get("timeout", timeout))
    results = {sd["label"]: [] for sd in sides}
    for _ in range(runs):
        for sd in sides:
            rs = results[sd["label"]]
            if not any(r.timed_out for r in rs):
                rs.append(run_once(stubs[sd["stub"]], sd, w, tmp, timeout))
    traffic = {}
    for sd in sides if count_packets else []:
        if any(r.seconds is not None for r in results[sd["label"]]):
            traffic[sd["label"]] = run_once(stubs[sd["stub"]], sd, w, tmp, timeout,
                                            count_packets=True).traffic
    return results, traffic


def machine_floor(inferiors):
    """transport_floor's figures: {(measure, placement): (wall seconds, stub CPU seconds)}."""
    program = os.path.join(inferiors, "transport_floor")
    out = subprocess.run([program], capture_output=True, text=True, timeout=120,
                         check=True).stdout
    return {(m.group(1), m.group(2)): (float(m.group(3)) / 1e6, float(m.group(4)) / 1e6)
            for m in re.finditer(r"^(\w+) (\w+) wall_us=([0-9.]+) stub_cpu_us=([0-9.]+)$",
                                 out, re.M)}


def floor_lines(floor):
    def pair(measure, placement):
        wall, cpu = floor[(measure, placement)]
        return f"{wall * 1e6:.1f} us wall, {cpu * 1e6:.1f} us stub CPU"
    return [f"# machine floor (no gdb, no stub): TCP loopback round trip "
            f"{pair('tcp_round_trip', 'any_cpu')} (all on one CPU: "
            f"{pair('tcp_round_trip', 'one_cpu')}); ptrace stop "
            f"{pair('ptrace_stop', 'any_cpu')} (one CPU: {pair('ptrace_stop', 'one_cpu')})",
            "# floor below = gdb's round trips per unit x that round trip + its stop replies x "
            "that ptrace stop"]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stub", default=os.path.join(ROOT, "build", "stubborn"))
    ap.add_argument("--gdbserver", default="/usr/bin/gdbserver")
    ap.add_argument("--inferiors", default=os.path.join(ROOT, "build", "tests", "inferiors",
                                                        "bench"))
    ap.add_argument("--go-inferiors", default=os.path.join(ROOT, "build", "tests", "inferiors",
                                                           "go"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", nargs="*", help="workload names (a wrong one lists them)")
    ap.add_argument("--no-floor", action="store_true",
                    help="skip the machine floor and the packet-counting runs")
    ap.add_argument("--timeout", type=float, default=300,
                    help="seconds per run (some workloads have a lower limit of their own)")
    args = ap.parse_args()
    stubs = {"stubborn": args.stub, "gdbserver": args.gdbserver}
    all_workloads = workloads(args.inferiors, args.go_inferiors)
    unknown = set(args.only or []) - {w["name"] for w in all_workloads}
    if unknown:
        ap.error(f"unknown workload(s): {', '.join(sorted(unknown))}; known: "
                 f"{', '.join(w['name'] for w in all_workloads)}")
    print(f"# {time.strftime('%Y-%m-%d %H:%M')}  {os.uname().nodename}  "
          f"{os.cpu_count()} CPUs  kernel {os.uname().release}")
    print(f"# runs per side: {args.runs}, alternating the sides (stubborn/gdbserver unless "
          f"named); ratio = other side's median / first side's")
    floor = None
    if not args.no_floor:
        measured = machine_floor(args.inferiors)
        floor = (measured[("tcp_round_trip", "any_cpu")][0],
                 measured[("ptrace_stop", "any_cpu")][0])
        print("\n".join(floor_lines(measured)), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for w in all_workloads:
            if args.only and w["name"] not in args.only:
                continue
            if not os.path.exists(w["argv"][0]):
                why = " (golang-go missing?)" if w.get("go") else ""
                print(f"{w['name']}: skipped, {w['argv'][0]} not built{why}")
                continue
            results, traffic = run_workload(w, stubs, args.runs, tmp, args.timeout,
                                            not args.no_floor)
            print("\n".join(summarize(w["name"], w, results, traffic, floor)), flush=True)


if __name__ == "__main__":
    main()
