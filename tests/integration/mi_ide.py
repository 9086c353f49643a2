#!/usr/bin/env python3
"""An IDE's remote debugging session replayed over MI (gdb --interpreter=mi3).

    mi_ide.py remote|extended --stub STUB [--reference /usr/bin/gdbserver] --gdb GDB \
              --inferiors DIR --source-dir DIR

What VS Code's MIEngine / CLion / Eclipse CDT send, one command at a time, waiting for
each result (and *stopped): mi-async on, -file-exec-and-symbols, -target-select remote
(or extended-remote with `remote exec-file`, -exec-arguments and -exec-run),
-break-insert, -exec-continue, -thread-info, -stack-list-frames,
-stack-list-variables --simple-values, -data-evaluate-expression, -exec-interrupt while
the program spins, continue to the exit, -gdb-exit. The program is many_threads with no
worker threads (one thread: deterministic -thread-info). With --reference, the same
session against gdbserver must give the same normalized transcript.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gdbtest  # noqa: E402
from gdbtest import TestFailure, expect_in_order, expect_absent  # noqa: E402
from scenarios import marker_line, mi_normalize  # noqa: E402

HEX = r"0x[0-9a-f]+"


class Cmd:
    """One MI command. wait: None (result only), "stopped" (result, then *stopped).
    compare: "exact", or a function of the normalized records (for output that varies:
    where an interrupt lands)."""

    def __init__(self, cmd, expect=(), wait=None, compare="exact", before=None):
        self.cmd = cmd
        self.expect = list(expect)
        self.wait = wait
        self.compare = compare
        self.before = before  # f(stub) run before sending (e.g. wait for program output)


def results_only(text):
    """The interrupt lands wherever the spinning loop is (main, now(), the vDSO's
    clock_gettime): compare the result and stop reason, not the frame."""
    keep = []
    for line in text.splitlines():
        if line.startswith("^") or line.startswith("*stopped"):
            keep.append(re.sub(r",frame=\{.*?\}(?=,thread-id)", ",frame={<varies>}", line))
    return "\n".join(keep) + "\n"


def steps(src, prog, variant):
    body = marker_line(src, "many_threads.c", "CHECKPOINT-BODY")
    main_line = marker_line(src, "many_threads.c", "MAIN-CHECKPOINT")
    stopped_at_bp = (r'^\*stopped,reason="breakpoint-hit",disp="keep",bkptno="1",'
                     r'frame=\{addr="%s",func="checkpoint",args=\[\{name="n",value="0"\},'
                     r'\{name="label",value="%s \\"spin\\""\}\],.*line="%d".*\},'
                     r'thread-id="1",stopped-threads="all"' % (HEX, HEX, body))
    out = [Cmd("-gdb-set mi-async on", [r"^\^done$"]),
           Cmd("-file-exec-and-symbols " + prog, [r"^\^done$"])]
    if variant == "remote":
        out += [Cmd("-target-select remote 127.0.0.1:{port}",
                    [r'^\*stopped,frame=\{addr="%s",func="_start"' % HEX, r"^\^connected$"]),
                Cmd("-break-insert checkpoint",
                    [r'^\^done,bkpt=\{number="1",type="breakpoint",.*func="checkpoint",'
                     r'.*line="%d"' % body]),
                Cmd("-exec-continue", [r"^\^running$", stopped_at_bp], wait="stopped")]
    else:
        out += [Cmd("-target-select extended-remote 127.0.0.1:{port}", [r"^\^connected$"]),
                Cmd("-gdb-set remote exec-file " + prog, [r"^\^done$"]),
                Cmd("-exec-arguments 0", [r"^\^done$"]),
                Cmd("-break-insert checkpoint",
                    [r'^\^done,bkpt=\{number="1",type="breakpoint",.*func="checkpoint",'
                     r'.*line="%d"' % body]),
                Cmd("-exec-run", [r"^\^running$", stopped_at_bp], wait="stopped")]
    out += [
        Cmd("-thread-info",
            [r'^\^done,threads=\[\{id="1",target-id="Thread \d+\.\d+",name="many_threads",'
             r'frame=\{level="0",addr="%s",func="checkpoint",.*line="%d".*\},'
             r'state="stopped",core="\d+"\}\],current-thread-id="1"$' % (HEX, body)]),
        Cmd("-stack-list-frames",
            [r'^\^done,stack=\[frame=\{level="0",addr="%s",func="checkpoint",.*line="%d".*?\},'
             r'frame=\{level="1",addr="%s",func="main",.*line="%d".*?\}\]$'
             % (HEX, body, HEX, main_line)]),
        Cmd("-stack-list-variables --simple-values",
            [r'^\^done,variables=\[\{name="n",arg="1",type="int",value="0"\},'
             r'\{name="label",arg="1",type="const char \*",value="%s \\"spin\\""\},'
             r'\{name="doubled",type="int",value="-?\d+"\},'
             r'\{name="cfg",type="struct config"\}\]$' % HEX]),
        Cmd('-data-evaluate-expression "n + 40"', [r'^\^done,value="40"$']),
        Cmd('-data-evaluate-expression "*label@4"', [r'^\^done,value="\\"spin\\""$']),
        Cmd("-break-delete", [r"^\^done$"]),
        Cmd("-exec-continue", [r"^\^running$", r'^\*running,thread-id="all"$']),
        Cmd("-exec-interrupt",
            [r"^\^done$", r'^\*stopped,reason="signal-received",signal-name="SIGINT",'
             r'signal-meaning="Interrupt",frame=\{.*\},thread-id="1",stopped-threads="all"'],
            wait="stopped", compare=results_only,
            before=lambda stub: stub.wait_inferior_output(r"^many_threads: 0 threads running$")),
        Cmd('-data-evaluate-expression "release = 1"', [r'^\^done,value="1"$']),
        Cmd("-exec-continue", [r"^\^running$", r'^\*stopped,reason="exited-normally"$'],
            wait="stopped"),
        Cmd("-gdb-exit", [r"^\^exit$"]),
    ]
    return out


def run_one(stub_path, opts, variant, label):
    guard = gdbtest.ProcessGuard()
    prog = os.path.join(os.path.abspath(opts.inferiors), "many_threads")
    sections = []
    mi = None
    try:
        if variant == "remote":
            stub = gdbtest.Stub(guard, stub_path, prog, args=["0"])
        else:
            stub = gdbtest.Stub(guard, stub_path, None, options=("--multi",))
        mi = gdbtest.MiSession(guard, opts.gdb, None, interpreter="mi3")
        for st in steps(opts.source_dir, prog, variant):
            if st.before:
                st.before(stub)
            cmd = st.cmd.format(port=stub.port)
            records = mi.command(cmd, until_stopped=st.wait == "stopped",
                                 prompt_after_stop=False)
            text = "\n".join(records) + "\n"
            what = "MI %s [%s] %s" % (variant, label, cmd)
            expect_in_order(text, st.expect, what)
            expect_absent(text, [r"^\^error"] + gdbtest.PROTOCOL_TROUBLE, what)
            norm = mi_normalize(text).replace(prog, "PROG")
            if callable(st.compare):
                norm = st.compare(norm)
            sections.append((st.cmd, norm))
        mi.close()
        if variant == "remote":
            rc = stub.wait_exit()
        else:
            if stub.proc.poll() is not None:
                raise TestFailure("the --multi stub exited when gdb did; stderr:\n%s"
                                  % stub.stderr())
            rc = stub.terminate()
        guard.check_no_leftovers()
    finally:
        gdbtest.log("----- mi_ide %s: transcript (%s) -----" % (variant, label))
        gdbtest.log(mi.pretty() if mi else "(gdb did not start)")
        guard.kill_everything()
    del rc
    expect_in_order(stub.inferior_output(), [r"^many_threads: 0 threads running$",
                                             r"^many_threads: released=1 value=0 exit$"],
                    "MI %s [%s] program output" % (variant, label))
    return "".join("(send) %s\n%s" % (cmd, text) for cmd, text in sections)


def main():
    opts = gdbtest.parse_common_args(sys.argv[1:])
    if opts.name not in ("remote", "extended"):
        raise TestFailure("unknown variant %r (remote, extended)" % opts.name)
    actual = run_one(opts.stub, opts, opts.name, os.path.basename(opts.stub))
    if opts.reference:
        ref = run_one(opts.reference, opts, opts.name,
                      "reference " + os.path.basename(opts.reference))
        gdbtest.compare_transcripts(ref, actual, "mi_ide %s: MI transcript" % opts.name,
                                    os.path.basename(opts.reference),
                                    os.path.basename(opts.stub))


if __name__ == "__main__":
    gdbtest.main_wrapper(main)
