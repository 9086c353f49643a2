#!/usr/bin/env python3
"""Benchmarks: real gdb against build/stubborn and /usr/bin/gdbserver, side by side.

Each workload runs A B A B ... (stubborn, gdbserver alternating) and reports, per stub,
the median and spread of the measured segment, the ratio, and where the CPU went:
the stub's own CPU (from /proc/PID/schedstat, nanosecond precise), gdb's and the
inferior's (from /proc/PID/stat), and the stub's peak RSS.

The measured segment is timed inside gdb (python time.perf_counter() before and after
the workload's commands), so gdb start-up and symbol loading are not counted, except by
the start-up workloads, whose segment is exactly that.
"""
import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CLK_TCK = os.sysconf("SC_CLK_TCK")


def workloads(inferiors, go_inferiors):
    bp = os.path.join(inferiors, "bp_loop")
    go_threads = os.path.join(go_inferiors, "go_bench_threads")
    mem = os.path.join(inferiors, "big_memory")
    blocked = os.path.join(inferiors, "many_threads_blocked")
    hits = os.path.join(inferiors, "threads_hit")
    return [
        # name, program argv, commands before the segment, segment commands, units, unit
        dict(name="bp_hit", argv=[bp, "2000"], setup=["break hit", "ignore 1 1000000"],
             segment=["continue"], units=2000, unit="hit"),
        dict(name="bp_hit_stdio", argv=[bp, "2000"], setup=["break hit", "ignore 1 1000000"],
             segment=["continue"], units=2000, unit="hit", stdio=True),
        dict(name="cond_bp_host", argv=[bp, "2000"], setup=["break hit if i == 1999"],
             segment=["continue"], units=2000, unit="hit", finish=["kill"]),
        dict(name="stepi", argv=[bp, "1"], setup=["break main", "continue"],
             segment=["stepi 1000"], units=1000, unit="step", finish=["kill"]),
        dict(name="x2000xg", argv=[bp, "1"], setup=["break main", "continue"],
             segment=["x/2000xg $sp - 8000"] * 20, units=20, unit="x/2000xg",
             finish=["kill"], quiet=True),
        dict(name="dump_64MiB", argv=[mem], setup=["break ready", "continue"],
             segment=["dump binary memory {tmp}/dump.bin buffer buffer+67108864"],
             units=64, unit="MiB", finish=["kill"]),
        dict(name="info_threads_257", argv=[blocked, "256"], setup=["break ready", "continue"],
             segment=["info threads"] * 5, units=5, unit="info threads", finish=["kill"],
             quiet=True),
        dict(name="threads_256_bp", argv=[hits, "256", "4"],
             setup=["break hit", "ignore 1 1000000"], segment=["continue"], units=1024,
             unit="hit"),
        dict(name="go_200_threads_bp", argv=[go_threads, "200"],
             setup=["break main.hit", "ignore 1 1000000"], segment=["continue"], units=200,
             unit="hit", go=True),
        dict(name="startup_to_main", argv=[bp, "1"], setup=[], startup=True,
             segment=["break main", "continue"], units=1, unit="start", finish=["kill"]),
        dict(name="startup_to_exit", argv=[bp, "1"], setup=[], startup=True,
             segment=["continue"], units=1, unit="run"),
        dict(name="detach", argv=[bp, "1"], setup=["break main", "continue"],
             segment=["detach"], units=1, unit="detach", finish=[]),
        dict(name="attach_256", argv=[blocked, "256", "wait"], attach=True, setup=[],
             startup=True, segment=[], units=1, unit="attach", finish=["detach"]),
    ]


def read_stat(pid):
    """(utime+stime seconds, cutime+cstime seconds) of a process, or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return ((int(fields[11]) + int(fields[12])) / CLK_TCK,
                (int(fields[13]) + int(fields[14])) / CLK_TCK)
    except OSError:
        return None


def read_schedstat(pid):
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            return int(f.read().split()[0]) / 1e9
    except OSError:
        return None


def peak_rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class Result:
    def __init__(self):
        self.seconds = None
        self.stub_cpu = None
        self.gdb_cpu = None
        self.inferior_cpu = None
        self.rss = None
        self.error = None


def start_stub(stub, argv, attach_pid, env):
    cmd = [stub, "--once", "127.0.0.1:0"]
    cmd += ["--attach", str(attach_pid)] if attach_pid else argv
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 20
    port = None
    lines = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        m = re.search(r"Listening on port (\d+)", line)
        if m:
            port = int(m.group(1))
            break
    if port is None:
        proc.kill()
        raise RuntimeError("stub did not listen: " + "".join(lines))
    return proc, port


def run_once(stub, w, tmp, timeout):
    res = Result()
    env = dict(os.environ)
    target_proc = None
    attach_pid = None
    if w.get("attach"):
        target_proc = subprocess.Popen(w["argv"], stdout=subprocess.PIPE, text=True)
        line = target_proc.stdout.readline()
        attach_pid = int(line.split()[1])
    stub_proc = None
    try:
        if w.get("stdio"):
            target = f"target remote | {stub} - {' '.join(w['argv'])}"
        else:
            stub_proc, port = start_stub(stub, w["argv"], attach_pid, env)
            target = f"target remote 127.0.0.1:{port}"
        stub_pid = stub_proc.pid if stub_proc else None
        cmds = ["set pagination off", "set confirm off", "set width 0",
                "python import time, os"]
        if w.get("startup"):
            cmds.append("python _t0 = time.perf_counter()")
            cmds.append(target)
        else:
            cmds.append(target)
            cmds += w["setup"]
            cmds.append("python _t0 = time.perf_counter()")
        seg = [c.format(tmp=tmp) for c in w["segment"]]
        if w.get("quiet"):
            seg = [f"pipe {c} | true" for c in seg]
        cmds += seg
        cmds.append('python print("BENCH-SECONDS %.9f" % (time.perf_counter() - _t0))')
        cmds += w.get("finish", [])
        cmds.append('python print("BENCH-GDB-STAT " + open("/proc/self/stat").read())')
        if stub_pid:
            # The stub waits for our disconnect: its counters are final here.
            cmds.append(f'python print("BENCH-STUB-SCHED " + open("/proc/{stub_pid}/schedstat").read())')
            cmds.append(f'python print("BENCH-STUB-STAT " + open("/proc/{stub_pid}/stat").read())')
            cmds.append(f'python print("BENCH-STUB-STATUS " + open("/proc/{stub_pid}/status").read().replace(chr(10), " "))')
        args = ["gdb", "-nx", "-batch"]
        for c in cmds:
            args += ["-ex", c]
        args.append(w["argv"][0])
        out = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                             timeout=timeout).stdout
        m = re.search(r"BENCH-SECONDS ([0-9.]+)", out)
        if not m:
            res.error = "no timing in gdb output: " + out[-800:]
            return res
        res.seconds = float(m.group(1))
        m = re.search(r"BENCH-GDB-STAT .*?\) (.*)", out)
        if m:
            f = m.group(1).split()
            res.gdb_cpu = (int(f[11]) + int(f[12])) / CLK_TCK
        m = re.search(r"BENCH-STUB-SCHED (\d+)", out)
        if m:
            res.stub_cpu = int(m.group(1)) / 1e9
        m = re.search(r"BENCH-STUB-STAT .*?\) (.*)", out)
        if m:
            f = m.group(1).split()
            res.inferior_cpu = (int(f[13]) + int(f[14])) / CLK_TCK
        m = re.search(r"VmHWM:\s+(\d+)", out)
        if m:
            res.rss = int(m.group(1))
        return res
    except subprocess.TimeoutExpired:
        res.error = "timeout"
        return res
    finally:
        for p in (stub_proc, target_proc):
            if p and p.poll() is None:
                p.kill()
                p.wait()


def fmt_time(seconds, units, unit):
    per = seconds / units
    if unit == "MiB":
        return f"{units / seconds:8.1f} MiB/s"
    if per >= 0.1:
        return f"{per:8.3f} s/{unit}"
    if per >= 1e-3:
        return f"{per * 1e3:8.2f} ms/{unit}"
    return f"{per * 1e6:8.1f} us/{unit}"


def summarize(name, w, results):
    lines = []
    medians = {}
    for stub, rs in results.items():
        ok = [r for r in rs if r.seconds is not None]
        if not ok:
            lines.append(f"  {stub:10s} FAILED: {rs[0].error if rs else 'no runs'}")
            continue
        secs = [r.seconds for r in ok]
        med = statistics.median(secs)
        medians[stub] = med
        stub_cpu = [r.stub_cpu for r in ok if r.stub_cpu is not None]
        gdb_cpu = [r.gdb_cpu for r in ok if r.gdb_cpu is not None]
        inf_cpu = [r.inferior_cpu for r in ok if r.inferior_cpu is not None]
        rss = [r.rss for r in ok if r.rss is not None]
        cpu = ""
        if stub_cpu:
            per_unit = statistics.median(stub_cpu) / w["units"]
            cpu = f" | stub CPU {per_unit * 1e6:9.1f} us/{w['unit']}"
        if gdb_cpu:
            cpu += f", gdb {statistics.median(gdb_cpu):.2f} s"
        if inf_cpu:
            cpu += f", inferior {statistics.median(inf_cpu):.2f} s"
        if rss:
            cpu += f", peak RSS {max(rss) / 1024:.1f} MiB"
        spread = f"[{fmt_time(min(secs), w['units'], w['unit']).strip()} .. " \
                 f"{fmt_time(max(secs), w['units'], w['unit']).strip()}]"
        lines.append(f"  {stub:10s} {fmt_time(med, w['units'], w['unit'])} {spread}"
                     f" n={len(ok)}{cpu}")
    ratio = ""
    if "stubborn" in medians and "gdbserver" in medians:
        ratio = f"  ratio gdbserver/stubborn = {medians['gdbserver'] / medians['stubborn']:.2f}x"
    return [f"{name}:{ratio}"] + lines


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
    ap.add_argument("--only", nargs="*", help="workload names")
    ap.add_argument("--timeout", type=float, default=300)
    args = ap.parse_args()
    stubs = {"stubborn": args.stub, "gdbserver": args.gdbserver}
    print(f"# {time.strftime('%Y-%m-%d %H:%M')}  {os.uname().nodename}  "
          f"{os.cpu_count()} CPUs  kernel {os.uname().release}")
    print(f"# runs per stub: {args.runs}, alternating stubborn/gdbserver")
    with tempfile.TemporaryDirectory() as tmp:
        for w in workloads(args.inferiors, args.go_inferiors):
            if args.only and w["name"] not in args.only:
                continue
            if w.get("go") and not os.path.exists(w["argv"][0]):
                print(f"{w['name']}: skipped, {w['argv'][0]} not built (golang-go missing?)")
                continue
            results = {k: [] for k in stubs}
            for _ in range(args.runs):
                for name, path in stubs.items():
                    results[name].append(run_once(path, w, tmp, args.timeout))
            print("\n".join(summarize(w["name"], w, results)), flush=True)


if __name__ == "__main__":
    main()
