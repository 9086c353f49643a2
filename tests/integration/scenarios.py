#!/usr/bin/env python3
"""Real-gdb integration scenarios.

    scenarios.py NAME --stub STUB [--reference /usr/bin/gdbserver] --gdb GDB \
                 --inferiors DIR --source-dir DIR

Runs scenario NAME with gdb against STUB and asserts what a user would see (regexes,
in order, per command). With --reference, the same scenario also runs against the
reference stub (GNU gdbserver), the same assertions must hold there, and the
normalized transcripts (and the inferior's output) must be equal.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gdbtest  # noqa: E402
from gdbtest import TestFailure, expect_in_order, expect_absent, normalize  # noqa: E402

HEX = r"0x[0-9a-f]+"
EXITED_NORMALLY = r"^\[Inferior 1 \(process \d+\) exited normally\]$"


class Step:
    """One gdb command, the regexes its output must match (in order), regexes it must
    not match, and how its output is compared with the reference stub's:
      "exact"  - normalized text equal
      callable - f(normalized text) -> text to compare (for legitimately varying output)
      None     - not compared (say why where used)"""

    def __init__(self, cmd, expect=(), absent=(), compare="exact"):
        self.cmd = cmd
        self.expect = list(expect)
        self.absent = list(absent)
        self.compare = compare


class Scenario:
    def __init__(self, prog, steps, args=(), env=None, mode="tcp", connect_expect=(),
                 inferior_expect=(), inferior_absent=(), checks=(),
                 compare_inferior_output=True, interpreter="cli", settings=()):
        self.prog = prog
        self.steps = steps
        self.args = list(args)
        self.env = env
        self.mode = mode
        self.connect_expect = list(connect_expect)
        self.inferior_expect = list(inferior_expect)
        self.inferior_absent = list(inferior_absent)
        self.checks = list(checks)  # f(result) raising TestFailure
        self.compare_inferior_output = compare_inferior_output
        self.interpreter = interpreter
        self.settings = list(settings)  # gdb commands before `target remote`


# ------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------
def marker_line(source_dir, filename, marker):
    """The 1-based line number of the line containing `marker` in a test source."""
    path = os.path.join(source_dir, filename)
    forms = ("/* %s */" % marker, "// %s" % marker)
    with open(path) as f:
        hits = [i + 1 for i, line in enumerate(f) if any(x in line for x in forms)]
    if len(hits) != 1:
        raise TestFailure("marker %r found %d times in %s" % (marker, len(hits), path))
    return hits[0]


def first_hex(text, pattern):
    m = re.search(pattern, text, re.M)
    if not m:
        raise TestFailure("no match for /%s/ in:\n%s" % (pattern, text))
    return int(m.group(1), 16)


def register_names(text):
    """`info registers` compared by the list of register names: values (addresses,
    flags left by the dynamic loader) may differ, the register set must not."""
    return "\n".join(line.split()[0] for line in text.splitlines() if line.strip()) + "\n"


def gdb_thread_numbers(text):
    """gdb's own thread numbers follow the order in which gdb learnt of the threads,
    which depends on scheduling; replace them."""
    text = re.sub(r'Thread \d+ "', 'Thread N "', text)
    text = re.sub(r"\[Current thread is \d+ ", "[Current thread is N ", text)
    return text


def info_threads_shape(text):
    """`info threads` of the demo: how many threads and the current thread's frame.
    The other threads' frames (barrier, futex, mutex, work_item...) depend on timing."""
    lines = [l for l in text.splitlines() if re.match(r"^[ *]\s+\d+\s+Thread ", l)]
    current = [re.sub(r"^\*\s+\d+\s+", "* N ", l) for l in lines if l.startswith("*")]
    return "threads: %d\n%s\n" % (len(lines), "\n".join(current))


# ------------------------------------------------------------------------------------------
# scenarios
# ------------------------------------------------------------------------------------------
def scenarios(src):
    basic_c = lambda m: marker_line(src, "basic.c", m)  # noqa: E731
    compute_first = basic_c("COMPUTE-FIRST")
    call_square = basic_c("COMPUTE-CALL-SQUARE")
    after_call = basic_c("COMPUTE-AFTER-CALL")
    square_body = basic_c("SQUARE-BODY")
    main_call = basic_c("MAIN-CALL-COMPUTE")
    main_first = basic_c("MAIN-FIRST")
    segv_line = marker_line(src, "segv.c", "SEGV-LINE")
    handler_line = marker_line(src, "sigusr.c", "HANDLER-LINE")
    work_line = marker_line(src, "threads_demo.c", "WORK-ITEM-BODY")
    greet_line = marker_line(src, "cpp_basic.cpp", "GREET-FIRST")
    catch_line = marker_line(src, "cpp_basic.cpp", "CATCH-BODY")

    basic_output = [r"^argv\[0\]=.*basic$", r"^STUBBORN_TEST_ENV=\(unset\)$", r"^compute=105$",
                    r"^basic: about to report$", r"^global_counter=142 point=\(3,4\)$"]

    s = {}

    # Breakpoints in the program and in a shared library (puts in libc), continue, bt.
    s["breakpoints"] = Scenario("basic", [
        Step("break compute", [r"^Breakpoint 1 at %s: file .*basic\.c, line %d\.$"
                               % (HEX, compute_first)]),
        Step("break puts", [r"^Breakpoint 2 at %s" % HEX]),
        Step("continue", [r"^Breakpoint 1, compute \(seed=4\) at .*basic\.c:%d$" % compute_first,
                          r"^%d\s+int local_a = seed \+ 1;" % compute_first]),
        Step("bt", [r"^#0\s+compute \(seed=4\) at .*basic\.c:%d$" % compute_first,
                    r"^#1\s+%s in main \(argc=1, argv=%s\) at .*basic\.c:%d$"
                    % (HEX, HEX, main_call)]),
        Step("continue", [r"^Breakpoint 2, .*puts .*basic: about to report"]),
        # The breakpoint must be in libc's puts, not in the program's PLT stub.
        Step("info symbol $pc", [r"puts.* in section \.text of .*libc\.so\.6$"]),
        Step("bt", [r"^#0\s+.*puts \(", r"^#1\s+%s in main \(argc=1, argv=%s\) at .*basic\.c:\d+$"
                    % (HEX, HEX)]),
        Step("continue", [EXITED_NORMALLY]),
    ], inferior_expect=basic_output)

    # Registers: info registers, $pc, $sp, x/8xg $sp, an argument register, a write.
    def check_registers(r):
        rip = first_hex(r.section(3), r"^rip\s+(0x[0-9a-f]+)\s")
        pc = first_hex(r.section(4), r"= \(void \(\*\)\(\)\) (0x[0-9a-f]+) <square\+\d+>")
        if rip != pc:
            raise TestFailure("info registers rip (%#x) != p $pc (%#x)" % (rip, pc))
        sp = first_hex(r.section(5), r"^\$\d+ = (0x[0-9a-f]+)$")
        x_addr = first_hex(r.section(6), r"^(0x[0-9a-f]+):")
        if x_addr != sp:
            raise TestFailure("x/8xg $sp starts at %#x, $sp is %#x" % (x_addr, sp))
        full = r.section(8)
        if first_hex(full, r"^rip\s+(0x[0-9a-f]+)\s") != pc:
            raise TestFailure("info registers: rip differs from $pc")
        if first_hex(full, r"^rsp\s+(0x[0-9a-f]+)\s") != sp:
            raise TestFailure("info registers: rsp differs from $sp")
        # At square's first line, the frame pointer chain holds: rbp == rsp + 0
        # or rbp > rsp (frame set up, -fno-omit-frame-pointer), and the saved
        # return address at [rbp+8] lies in compute.
        rbp = first_hex(full, r"^rbp\s+(0x[0-9a-f]+)\s")
        if rbp < sp:
            raise TestFailure("rbp (%#x) below rsp (%#x)" % (rbp, sp))

    s["registers"] = Scenario("basic", [
        Step("break square", [r"^Breakpoint 1 at %s: file .*basic\.c, line %d\.$"
                              % (HEX, square_body)]),
        Step("continue", [r"^Breakpoint 1, square \(v=10\) at .*basic\.c:%d$" % square_body]),
        Step("info registers rip", [r"^rip\s+%s\s+%s <square\+\d+>$" % (HEX, HEX)]),
        Step("p $pc", [r"^\$1 = \(void \(\*\)\(\)\) %s <square\+\d+>$" % HEX]),
        Step("p/x $sp", [r"^\$2 = %s$" % HEX]),
        Step("x/8xg $sp", [r"^%s:\s+%s\s+%s$" % (HEX, HEX, HEX)] * 4),
        # The argument v=10 arrives in edi (System V ABI) and -O0 code leaves it there.
        Step("info registers rdi", [r"^rdi\s+0xa\s+10$"]),
        Step("info registers", [r"^rax\s", r"^rbx\s", r"^rcx\s", r"^rdx\s", r"^rsi\s",
                                r"^rdi\s+0xa\s+10$", r"^rbp\s", r"^rsp\s", r"^r8\s", r"^r15\s",
                                r"^rip\s+%s\s+%s <square\+\d+>$" % (HEX, HEX),
                                r"^eflags\s+0x[0-9a-f]+\s+\[.*\]$", r"^cs\s+0x33\s+51$",
                                r"^ss\s+0x2b\s+43$"],
             compare=register_names),
        # The frame: the return address (rbp+8) points into compute.
        Step("x/a $rbp+8", [r"^%s:\s+%s <compute\+\d+>$" % (HEX, HEX)]),
        # Writing a register goes through the stub too.
        Step("set var $rax = 0x1234abcd", []),
        Step("p/x $rax", [r"^\$3 = 0x1234abcd$"]),
        Step("p $fs_base != 0", [r"^\$4 = 1$"]),
        Step("p/x $cs", [r"^\$5 = 0x33$"]),
        Step("continue", [EXITED_NORMALLY]),
    ], checks=[check_registers], inferior_expect=basic_output)

    # next, step, finish (with a return value), locals.
    s["stepping"] = Scenario("basic", [
        Step("break compute", [r"^Breakpoint 1 at "]),
        Step("continue", [r"^Breakpoint 1, compute \(seed=4\) at .*basic\.c:%d$" % compute_first]),
        Step("next", [r"^%d\s+int local_b = local_a \* 2;" % (compute_first + 1)]),
        Step("next", [r"^%d\s+int sq = square\(local_b\);" % call_square]),
        Step("step", [r"^square \(v=10\) at .*basic\.c:%d$" % square_body,
                      r"^%d\s+int result = v \* v;" % square_body]),
        Step("bt", [r"^#0\s+square \(v=10\) at .*basic\.c:%d$" % square_body,
                    r"^#1\s+%s in compute \(seed=4\) at .*basic\.c:%d$" % (HEX, call_square),
                    r"^#2\s+%s in main \(argc=1, argv=%s\) at .*basic\.c:%d$"
                    % (HEX, HEX, main_call)]),
        Step("finish", [r"^(Run till exit from #0 .*\n)?%s in compute \(seed=4\) at .*basic\.c:%d$"
                        % (HEX, call_square),
                        r"^%d\s+int sq = square\(local_b\);" % call_square,
                        r"^Value returned is \$1 = 100$"]),
        Step("next", [r"^%d\s+global_counter \+= sq;" % after_call]),
        Step("info locals", [r"^local_a = 5$", r"^local_b = 10$", r"^sq = 100$"]),
        Step("stepi", [r"^%s\s+%d\s+global_counter \+= sq;" % (HEX, after_call)]),
        Step("continue", [EXITED_NORMALLY]),
    ], inferior_expect=basic_output)

    # Reading and writing variables; calling functions in the inferior.
    s["data"] = Scenario("basic", [
        Step("break report", [r"^Breakpoint 1 at "]),
        Step("continue", [r"^Breakpoint 1, report \(\) at .*basic\.c:\d+$"]),
        Step("p global_counter", [r"^\$1 = 142$"]),
        Step("p global_point", [r'^\$2 = \{x = 3, y = 4, name = %s "origin-ish"\}$' % HEX]),
        Step("x/s global_point.name", [r'^%s:\s+"origin-ish"$' % HEX]),
        Step("set var global_counter = 1000", []),
        Step("p global_counter", [r"^\$3 = 1000$"]),
        Step("set var global_point.y = -5", []),
        Step("p global_point", [r'^\$4 = \{x = 3, y = -5, name = %s "origin-ish"\}$' % HEX]),
        Step("call add(2,3)", [r"^\$5 = 5$"]),
        Step("p add(40, 2) + square(3)", [r"^\$6 = 51$"]),
        Step("up", [r"^#1\s+%s in main \(argc=1, argv=%s\) at .*basic\.c:\d+$" % (HEX, HEX)]),
        Step("p value", [r"^\$7 = 105$"]),
        Step("p exit_code", [r"^\$8 = 0$"]),
        Step("continue", [EXITED_NORMALLY]),
    ], inferior_expect=[r"^compute=105$", r"^global_counter=1000 point=\(3,-5\)$"])

    # Program arguments and environment reach the inferior; a non-zero exit code.
    s["args_env"] = Scenario("basic", [
        Step("break main", [r"^Breakpoint 1 at %s: file .*basic\.c, line %d\.$"
                            % (HEX, main_first)]),
        Step("continue", [r"^Breakpoint 1, main \(argc=4, argv=%s\) at .*basic\.c:%d$"
                          % (HEX, main_first)]),
        Step("p argc", [r"^\$1 = 4$"]),
        Step("p argv[1]", [r'^\$2 = %s "exit"$' % HEX]),
        Step("p argv[3]", [r'^\$3 = %s "hello-world"$' % HEX]),
        Step('p (char *) getenv("STUBBORN_TEST_ENV")', [r'^\$4 = %s "from the test"$' % HEX]),
        Step("continue", [r"^\[Inferior 1 \(process \d+\) exited with code 07\]$"]),
    ], args=["exit", "7", "hello-world"], env={"STUBBORN_TEST_ENV": "from the test"},
        inferior_expect=[r"^argv\[0\]=.*basic$", r"^argv\[1\]=exit$", r"^argv\[2\]=7$",
                         r"^argv\[3\]=hello-world$", r"^STUBBORN_TEST_ENV=from the test$",
                         r"^compute=105$"])

    # A SIGSEGV reported at the right line, then the program dies of it.
    s["segv"] = Scenario("segv", [
        Step("continue", [r"^Program received signal SIGSEGV, Segmentation fault\.$",
                          r"^(%s in )?poke \(n=0x0, v=1234\) at .*segv\.c:%d$" % (HEX, segv_line),
                          r"^%d\s+.*/\* SEGV-LINE \*/" % segv_line]),
        Step("bt", [r"^#0\s+(%s in )?poke \(n=0x0, v=1234\) at .*segv\.c:%d$" % (HEX, segv_line),
                    r"^#1\s+%s in main \(\) at .*segv\.c:\d+$" % HEX]),
        Step("continue", [r"^Program terminated with signal SIGSEGV, Segmentation fault\.$",
                          r"^The program no longer exists\.$"]),
    ], inferior_expect=[r"^segv: about to crash$"], inferior_absent=[r"unreachable"])

    # The signal's details ($_siginfo, read with qXfer:siginfo:read).
    s["siginfo"] = Scenario("segv", [
        Step("continue", [r"^Program received signal SIGSEGV, Segmentation fault\.$"]),
        Step("p $_siginfo.si_signo", [r"^\$1 = 11$"]),
        Step("p $_siginfo.si_code", [r"^\$2 = 1$"]),  # SEGV_MAPERR
        Step("p $_siginfo._sifields._sigfault.si_addr", [r"^\$3 = \(void \*\) 0x0$"]),
        Step("kill", []),
    ], inferior_expect=[r"^segv: about to crash$"], inferior_absent=[r"unreachable"])

    # gdb's `signal SIGUSR1` delivers the signal to the inferior's handler.
    s["signal"] = Scenario("sigusr", [
        Step("break wait_here", [r"^Breakpoint 1 at "]),
        Step("break on_usr1", [r"^Breakpoint 2 at %s: file .*sigusr\.c, line %d\.$"
                               % (HEX, handler_line)]),
        Step("continue", [r"^Breakpoint 1, wait_here \(\) at .*sigusr\.c:\d+$"]),
        Step("signal SIGUSR1", [r"^Breakpoint 2, on_usr1 \(sig=10\) at .*sigusr\.c:%d$"
                                % handler_line]),
        Step("bt", [r"^#0\s+on_usr1 \(sig=10\) at .*sigusr\.c:%d$" % handler_line,
                    r"^#1\s+<signal handler called>$", r"^#2\s+.*wait_here \(\) at "]),
        # The handler returns to wait_here, whose breakpoint was not yet executed.
        Step("continue", [r"^Breakpoint 1, wait_here \(\) at .*sigusr\.c:\d+$"]),
        Step("continue", [EXITED_NORMALLY]),
    ], inferior_expect=[r"^sigusr: handler ran for signal 10$"])

    # gdb given no program file: it fetches the binary through the stub (vFile).
    s["noexec"] = Scenario("basic", [
        Step("break main", [r"^Breakpoint 1 at %s: file .*basic\.c, line %d\.$"
                            % (HEX, main_first)]),
        Step("continue", [r"^Breakpoint 1, main \(argc=1, argv=%s\) at .*basic\.c:%d$"
                          % (HEX, main_first)]),
        # The Connection column holds the port (and its width varies with it).
        Step("info inferiors", [r"^\*\s+1\s+process \d+\s+1 \(remote .*\)\s+target:.*/basic\s*$"],
             compare=lambda t: re.sub(r"\s+", " ", re.sub(r"\(remote [^)]*\)", "(remote)", t))),
        Step("p global_point", [r'^\$1 = \{x = 3, y = 4, name = %s "origin-ish"\}$' % HEX]),
        Step("continue", [EXITED_NORMALLY]),
    ], mode="noexec", connect_expect=[r"^Reading symbols from target:.*/basic\.\.\.$"],
        inferior_expect=basic_output)

    # The stdio transport: target remote | STUB - PROG ARGS.
    s["stdio"] = Scenario("basic", [
        Step("break compute", [r"^Breakpoint 1 at "]),
        Step("continue", [r"^Breakpoint 1, compute \(seed=4\) at .*basic\.c:%d$" % compute_first]),
        Step("bt", [r"^#0\s+compute \(seed=4\)", r"^#1\s+%s in main \(argc=2, " % HEX]),
        Step("p seed * 10", [r"^\$1 = 40$"]),
        Step("continue", [EXITED_NORMALLY]),
    ], mode="stdio", args=["via-stdio"],
        # The stub's stderr also carries its own messages, which differ by design.
        compare_inferior_output=False,
        inferior_expect=[r"^argv\[1\]=via-stdio$", r"^compute=105$",
                         r"^global_counter=142 point=\(3,4\)$"])

    # The bundled multithreaded demo.
    def check_threads(r):
        lines = [l for l in r.section(3).splitlines() if re.match(r"^[ *]\s+\d+\s+Thread ", l)]
        if len(lines) != 5:
            raise TestFailure("info threads: expected 5 threads, got %d:\n%s"
                              % (len(lines), r.section(3)))
        current = [l for l in lines if l.startswith("*")]
        if len(current) != 1 or "work_item (id=2, step=1)" not in current[0]:
            raise TestFailure("info threads: the current thread is not the one in work_item")

    s["threads"] = Scenario("threads_demo", [
        Step("break work_item if id == 2 && step == 1",
             [r"^Breakpoint 1 at %s: file .*threads_demo\.c, line %d\.$" % (HEX, work_line)]),
        Step("continue", [r"^\[New Thread \d+\.\d+\]$",
                          r'^Thread \d+ "threads_demo" hit Breakpoint 1, work_item \(id=2, step=1\)'
                          r" at .*threads_demo\.c:%d$" % work_line,
                          r"^%d\s+.*WORK-ITEM-BODY" % work_line],
             compare=gdb_thread_numbers),
        Step("info threads", [r"^\s+Id\s+Target Id\s+Frame\s*$",
                              r'^\*\s+\d+\s+Thread \d+\.\d+ "threads_demo" work_item \(id=2, step=1\)'],
             compare=info_threads_shape),
        Step("bt", [r"^#0\s+work_item \(id=2, step=1\) at .*threads_demo\.c:%d$" % work_line,
                    r"^#1\s+%s in worker \(arg=0x2\) at .*threads_demo\.c:\d+$" % HEX,
                    r"^#2\s+.*start_thread"]),
        Step("p id * 100 + step", [r"^\$1 = 201$"]),
        Step("p shared.calls < 12", [r"^\$2 = 1$"]),
        Step("thread", [r"^\[Current thread is \d+ \(Thread \d+\.\d+\)\]$"],
             compare=gdb_thread_numbers),
        Step("delete", []),
        Step("continue", [EXITED_NORMALLY]),
    ], checks=[check_threads],
        inferior_expect=[r"^threads_demo: total=3012 calls=12 expected=3012$"])

    # MI records from a batch gdb (gdb -batch -i=mi): CLI commands, and MI commands
    # through interpreter-exec (only non-execution ones: those return at once).
    s["mi_batch"] = Scenario("basic", [
        Step("break square", [r'^=breakpoint-created,bkpt=\{number="1",type="breakpoint",.*'
                              r'func="square",.*line="%d"' % square_body]),
        Step("continue", [r'^\*running,thread-id="all"$',
                          r'^\*stopped,reason="breakpoint-hit",disp="keep",bkptno="1",'
                          r'frame=\{addr="%s",func="square",args=\[\{name="v",value="10"\}\],'
                          r'.*line="%d".*\},thread-id="1",stopped-threads="all"'
                          % (HEX, square_body)]),
        Step('interpreter-exec mi "-stack-list-frames"',
             [r'^\^done,stack=\[frame=\{level="0",addr="%s",func="square",.*\},'
              r'frame=\{level="1",addr="%s",func="compute",.*line="%d".*\},'
              r'frame=\{level="2",addr="%s",func="main",' % (HEX, HEX, call_square, HEX)]),
        Step('interpreter-exec mi "-data-evaluate-expression v"', [r'^\^done,value="10"$']),
        Step('interpreter-exec mi "-thread-info"',
             [r'^\^done,threads=\[\{id="1",target-id="Thread \d+\.\d+",.*func="square".*'
              r'state="stopped".*\}\],current-thread-id="1"$']),
        Step("finish", [r'^\*stopped,reason="function-finished",frame=\{addr="%s",'
                        r'func="compute",.*gdb-result-var="\$1",return-value="100"' % HEX]),
        Step("continue", [r'^~"\[Inferior 1 \(process \d+\) exited normally\]\\n"$',
                          r'^=thread-group-exited,id="i1",exit-code="0"$',
                          r'^\*stopped,reason="exited-normally"$']),
    ], interpreter="mi", connect_expect=[r'^\*stopped,frame=\{addr="%s",func="_start"' % HEX],
        inferior_expect=basic_output)

    # Scheduler-locking on a thread that exits: gdb 13 says "No unwaited-for children
    # left." (stub reply N), first for a worker, then for main's pthread_exit (zombie leader).
    lone_return = marker_line(src, "lone_exits.c", "LONE-WORKER-RETURN")
    main_exit = marker_line(src, "lone_exits.c", "MAIN-EXIT")

    def only_thread(number):
        def check(text):
            rows = re.findall(r"^[ *]\s+(\d+)\s+Thread ", text, re.M)
            if rows != [str(number)]:
                raise TestFailure("info threads: expected only thread %d, got %s\n%s"
                                  % (number, rows, text))
        return check

    # Where the other thread waits (clone3, a futex) depends on timing: frames are masked.
    def tids_masked(text):
        text = re.sub(r"(Thread PID\.TID \"lone_exits\") .*", r"\1 <frame>", text)
        return re.sub(r"^(#0|\d+\s).*$", "<frame>", text, flags=re.M)

    def check_lone(r):
        only_thread(1)(r.section(5))
        only_thread(3)(r.section(12))

    s["lone_exits"] = Scenario("lone_exits", [
        Step("break lone_exits.c:%d" % lone_return, [r"^Breakpoint 1 at "]),
        Step("continue", [r"^Thread 2 .* hit Breakpoint 1, lone_worker "]),
        Step("set scheduler-locking on", []),
        Step("continue", [r"^No unwaited-for children left\.$"]),
        Step("info threads", [r"The current thread <Thread ID 2> has terminated"], compare=tids_masked),
        Step("thread 1", [r"^\[Switching to thread 1 "], compare=tids_masked),
        Step("set scheduler-locking off", []),
        Step("break lone_exits.c:%d" % main_exit, [r"^Breakpoint 2 at "]),
        Step("continue", [r"^Thread 1 .* hit Breakpoint 2, main \(\) at "]),
        Step("set scheduler-locking on", []),
        Step("continue", [r"^No unwaited-for children left\.$"]),
        Step("info threads", [r"The current thread <Thread ID 1> has terminated"], compare=tids_masked),
        Step("thread 3", [r"^\[Switching to thread 3 "], compare=tids_masked),
        Step("set scheduler-locking off", []),
        Step("continue", [EXITED_NORMALLY]),
    ], checks=[check_lone], inferior_expect=[r"^lone_exits: survivor outlived main$"])

    # Non-stop: the breakpoint stops its thread alone; the other workers run on to the
    # final barrier (where they wait for it), main waits in join; continue ends it all.
    def check_non_stop(r):
        text = r.section(3)
        stopped = [l for l in text.splitlines()
                   if re.match(r"^[ *]\s+\d+\s+Thread ", l) and "(running)" not in l]
        running = [l for l in text.splitlines() if l.rstrip().endswith("(running)")]
        at_bp = [l for l in stopped if "work_item (id=2, step=1)" in l]
        # Others: running, or stopped for a moment at the breakpoint whose condition is false.
        others_ok = all("work_item (" in l for l in stopped if l not in at_bp)
        if len(at_bp) != 1 or not others_ok or len(stopped) + len(running) != 5 \
                or len(running) < 3:
            raise TestFailure("info threads: expected the worker at the breakpoint stopped "
                              "and the others running:\n%s" % text)

    s["non_stop"] = Scenario("threads_demo", [
        Step("break work_item if id == 2 && step == 1", [r"^Breakpoint 1 at "]),
        Step("continue", [r'^Thread \d+ "threads_demo" hit Breakpoint 1, work_item \(id=2, '
                          r"step=1\) at .*threads_demo\.c:%d$" % work_line],
             compare=gdb_thread_numbers),
        Step("info threads", [r"\(running\)"], compare=None),
        # gdb keeps thread 1 (running) selected: ask every thread; running ones are skipped.
        # Another worker may be stopped for a moment too (gdb still evaluating the false
        # condition of its hit), so these outputs are checked, not compared.
        Step("thread apply all -s -q p id * 100 + step", [r"^\$\d+ = 201$"], compare=None),
        Step("thread apply all -s -q bt 2",
             [r"^#0\s+work_item \(id=2, step=1\)", r"^#1\s+%s in worker " % HEX],
             compare=None),
        Step("continue -a", [EXITED_NORMALLY]),
    ], settings=["set non-stop on"], checks=[check_non_stop],
        inferior_expect=[r"^threads_demo: total=3012 calls=12 expected=3012$"])

    # Children (fork, vfork + exec, system, popen) of a multithreaded program run code
    # that holds a breakpoint: gdb never hears of them (gdbserver: gdb detaches them), and
    # none may run with the breakpoint's int3 in its memory.
    shared_work = marker_line(src, "forker.c", "SHARED-WORK")
    all_done = marker_line(src, "forker.c", "ALL-DONE")
    s["forks"] = Scenario("forker", [
        Step("break shared_work", [r"^Breakpoint 1 at "]),
        Step("break forker.c:%d" % all_done, [r"^Breakpoint 2 at "]),
        Step("continue", [r"hit Breakpoint 1, shared_work \(v=0\) at .*forker\.c:%d$"
                          % shared_work], compare=gdb_thread_numbers),
        Step("continue", [r"hit Breakpoint 1, shared_work \(v=1\)"], compare=gdb_thread_numbers),
        Step("continue", [r"hit Breakpoint 1, shared_work \(v=2\)"], compare=gdb_thread_numbers),
        Step("continue", [r"hit Breakpoint 2, main \(\) at .*forker\.c:%d$" % all_done],
             compare=gdb_thread_numbers),
        Step("continue", [EXITED_NORMALLY]),
    ], settings=["set print inferior-events off"],
        inferior_expect=[r"^forker: fork child exited 42$", r"^forker: vfork child exited 7$",
                         r"^forker: system exited 3$", r"^forker: popen read popen-ok$",
                         r"^forker: done$"])

    # C++: a method, std::string / std::vector (pretty printers if gdb has them),
    # an exception caught by `catch throw`.
    s["cpp"] = Scenario("cpp_basic", [
        Step("break Greeter::greet", [r"^Breakpoint 1 at %s: file .*cpp_basic\.cpp, line %d\.$"
                                      % (HEX, greet_line)]),
        Step("catch throw", [r"^Catchpoint 2 \(throw\)$"]),
        Step("break cpp_basic.cpp:%d" % catch_line, [r"^Breakpoint 3 at "]),
        Step("continue", [r"^Breakpoint 1, Greeter::greet \(this=%s, who=\.\.\.\) at "
                          r".*cpp_basic\.cpp:%d$" % (HEX, greet_line)]),
        # With libstdc++'s pretty printers (gdb auto-loads them only for a local
        # libstdc++, not for target:/... files) or without: either form is fine.
        Step("p who", [r'^\$1 = (\(const std::string &\) @%s: )?(\{_M_dataplus = .*_M_p = %s )?'
                       r'"hello stubborn"' % (HEX, HEX)]),
        Step("p this->name_._M_string_length", [r"^\$2 = 9$"]),
        Step("p this->greetings_", [r"^\$3 = 0$"]),
        Step("next", [r"^\d+\s+std::printf"]),
        Step("p greetings_", [r"^\$4 = 1$"]),
        Step("up", [r"^#1\s+%s in main \(\) at .*cpp_basic\.cpp:\d+$" % HEX]),
        Step("p *numbers._M_impl._M_start@5", [r"^\$5 = \{1, 2, 3, 5, 8\}$"]),
        Step("p numbers", [r"^\$6 = (std::vector of length 5, capacity 5 = \{1, 2, 3, 5, 8\}|"
                           r"\{<std::_Vector_base<int, std::allocator<int> >> = .*_M_start = %s)"
                           % HEX]),
        Step("p message.c_str()", [r'^\$7 = %s "hello stubborn"$' % HEX]),
        Step("continue", [r"^Catchpoint 2 \(exception thrown\), .*__cxa_throw"]),
        Step("bt 3", [r"^#0\s+.*__cxa_throw", r"^#1\s+%s in risky \(v=8\) at .*cpp_basic\.cpp:\d+$"
                      % HEX]),
        Step("continue", [r"^Breakpoint 3, main \(\) at .*cpp_basic\.cpp:%d$" % catch_line]),
        Step("p caught", [r"^\$8 = 1$"]),
        Step("continue", [EXITED_NORMALLY]),
    ], inferior_expect=[r"^cpp_basic greets hello stubborn$", r"^caught: too big$",
                        r"^count=1 caught=1 size=5$"])
    return s


# ------------------------------------------------------------------------------------------
# running one scenario against one stub
# ------------------------------------------------------------------------------------------
def run_one(name, sc, stub, opts, label):
    guard = gdbtest.ProcessGuard()
    prog = os.path.join(opts.inferiors, sc.prog)
    try:
        result = gdbtest.run_cli(guard, stub, opts.gdb, prog, [st.cmd for st in sc.steps],
                                 args=sc.args, env=sc.env, mode=sc.mode,
                                 interpreter=sc.interpreter, settings=sc.settings)
        gdbtest.log("----- %s: gdb transcript (%s) -----" % (name, label))
        gdbtest.log(result.pretty())
        gdbtest.log("----- %s: inferior output (%s) -----" % (name, label))
        gdbtest.log(result.inferior_output)
        gdbtest.log("----- %s: stub stderr (%s, exit status %s) -----"
                    % (name, label, result.stub_rc))
        gdbtest.log(result.stub_stderr)
        guard.check_no_leftovers()
    finally:
        guard.kill_everything()

    what = "%s [%s]" % (name, label)
    expect_absent(result.raw, gdbtest.PROTOCOL_TROUBLE, what + " gdb output")
    expect_in_order(result.section(0), sc.connect_expect, what + " `target remote`")
    for i, st in enumerate(sc.steps, start=1):
        text = result.section(i)
        expect_in_order(text, st.expect, "%s `%s`" % (what, st.cmd))
        expect_absent(text, st.absent, "%s `%s`" % (what, st.cmd))
    for check in sc.checks:
        try:
            check(result)
        except TestFailure as e:
            raise TestFailure("%s: %s" % (what, e))
    expect_in_order(result.inferior_output, sc.inferior_expect, what + " inferior output")
    expect_absent(result.inferior_output, sc.inferior_absent, what + " inferior output")
    return result


def comparable(sc, result):
    """The normalized transcript, section by section, in each step's compare mode."""
    out = {}
    modes = ["exact"] + [st.compare for st in sc.steps]
    for i, mode in enumerate(modes):
        text = (mi_normalize if sc.interpreter == "mi" else normalize)(result.section(i))
        if mode is None:
            text = "<not compared>\n"
        elif callable(mode):
            text = mode(text)
        out[i] = text
    # The `target remote` command names the port or the stub's command line.
    return result.pretty(out, commands=["target remote <CONNECTION>"] + result.commands[1:])


# ------------------------------------------------------------------------------------------
# the MI scenario: an IDE-style dialog (gdb -i=mi, one command at a time on stdin)
# ------------------------------------------------------------------------------------------
def mi_steps(src):
    square_body = marker_line(src, "basic.c", "SQUARE-BODY")
    call_square = marker_line(src, "basic.c", "COMPUTE-CALL-SQUARE")
    # (command, wait for *stopped, regexes in order over the records)
    return [
        ("-target-select remote 127.0.0.1:{port}", False,
         [r'^\*stopped,frame=\{addr="%s",func="_start"' % HEX, r"^\^connected$"]),
        ("-break-insert square", False,
         [r'^\^done,bkpt=\{number="1",type="breakpoint",.*func="square",.*line="%d"'
          % square_body]),
        ("-exec-continue", True,
         [r"^\^running$", r'^\*running,thread-id="all"$',
          r'^\*stopped,reason="breakpoint-hit",disp="keep",bkptno="1",frame=\{addr="%s",'
          r'func="square",args=\[\{name="v",value="10"\}\],.*line="%d".*\},thread-id="1",'
          r'stopped-threads="all"' % (HEX, square_body)]),
        ("-stack-list-frames", False,
         [r'^\^done,stack=\[frame=\{level="0",addr="%s",func="square",.*line="%d".*\},'
          r'frame=\{level="1",addr="%s",func="compute",.*line="%d".*\},'
          r'frame=\{level="2",addr="%s",func="main",' % (HEX, square_body, HEX, call_square, HEX)]),
        ("-data-evaluate-expression \"v * 2\"", False, [r'^\^done,value="20"$']),
        ("-thread-info", False,
         [r'^\^done,threads=\[\{id="1",target-id="Thread \d+\.\d+",.*func="square".*'
          r'state="stopped".*\}\],current-thread-id="1"$']),
        ("-exec-finish", True,
         [r'^\*stopped,reason="function-finished",frame=\{addr="%s",func="compute",.*'
          r'gdb-result-var="\$1",return-value="100"' % HEX]),
        ("-break-delete", False, [r"^\^done$"]),
        ("-exec-continue", True,
         [r"^\^running$", r'^\*stopped,reason="exited-normally"$']),
        ("-gdb-exit", False, [r"^\^exit$"]),
    ]


def mi_normalize(text):
    # gdbserver answers qTfV with its built-in trace state variable, so gdb announces
    # =tsv-created,name="trace_timestamp"; tracepoints are not a stubborn feature.
    text = "".join(l for l in text.splitlines(True) if not l.startswith("=tsv-created,"))
    return normalize(text)


def run_mi_one(stub_path, opts, label):
    guard = gdbtest.ProcessGuard()
    prog = os.path.join(opts.inferiors, "basic")
    sections = []
    try:
        stub = gdbtest.Stub(guard, stub_path, prog)
        mi = gdbtest.MiSession(guard, opts.gdb, prog)
        for cmd, until_stopped, expect in mi_steps(opts.source_dir):
            records = mi.command(cmd.format(port=stub.port), until_stopped=until_stopped)
            text = "\n".join(records) + "\n"
            expect_in_order(text, expect, "MI [%s] %s" % (label, cmd))
            expect_absent(text, [r"^\^error"] + gdbtest.PROTOCOL_TROUBLE,
                          "MI [%s] %s" % (label, cmd))
            sections.append((cmd, text))
        mi.close()
        stub.wait_exit()
        guard.check_no_leftovers()
    finally:
        gdbtest.log("----- mi: transcript (%s) -----" % label)
        gdbtest.log(mi.pretty() if "mi" in locals() else "(gdb did not start)")
        guard.kill_everything()
    expect_in_order(stub.inferior_output(), [r"^compute=105$", r"^global_counter=142"],
                    "MI [%s] inferior output" % label)
    return "".join("(send) %s\n%s" % (cmd, mi_normalize(text)) for cmd, text in sections)


def main_mi(opts):
    actual = run_mi_one(opts.stub, opts, os.path.basename(opts.stub))
    if opts.reference:
        ref = run_mi_one(opts.reference, opts, "reference " + os.path.basename(opts.reference))
        gdbtest.compare_transcripts(ref, actual, "mi: MI transcript",
                                    os.path.basename(opts.reference),
                                    os.path.basename(opts.stub))



def main():
    opts = gdbtest.parse_common_args(sys.argv[1:])
    if opts.name == "mi":
        return main_mi(opts)
    all_scenarios = scenarios(opts.source_dir)
    if opts.name not in all_scenarios:
        raise TestFailure("unknown scenario %r (known: %s)" % (opts.name,
                                                               ", ".join(sorted(all_scenarios))))
    sc = all_scenarios[opts.name]
    result = run_one(opts.name, sc, opts.stub, opts, os.path.basename(opts.stub))
    if opts.reference:
        ref = run_one(opts.name, sc, opts.reference, opts, "reference " +
                      os.path.basename(opts.reference))
        gdbtest.compare_transcripts(comparable(sc, ref), comparable(sc, result),
                                    "%s: gdb transcript" % opts.name,
                                    os.path.basename(opts.reference),
                                    os.path.basename(opts.stub))
        if sc.compare_inferior_output:
            gdbtest.compare_transcripts(normalize(ref.inferior_output),
                                        normalize(result.inferior_output),
                                        "%s: inferior output" % opts.name,
                                        os.path.basename(opts.reference),
                                        os.path.basename(opts.stub))


if __name__ == "__main__":
    gdbtest.main_wrapper(main)
