// Signals that arrive while gdb steps a thread over a breakpoint (QPassSignals empty).
// Reported there, gdb would deliver them with the thread still on the breakpoint, and a
// Go goroutine preempted by SIGURG re-executes the breakpoint later: one call, two hits.
#include "process_fixture.hpp"
#include "stub/support/gdb_signals.hpp"

using namespace stub;
using stub::testing::Fixture;
using stub::testing::status_stopped;

namespace {

void set_siginfo(Fixture &f, pid_t tid, int signo, int code) {
  auto &info = f.tracer.thread(tid).info;
  info = siginfo_t{};
  info.si_signo = signo;
  info.si_code = code;
}

std::bitset<65> passing(int signal) {
  std::bitset<65> pass;
  pass[static_cast<std::size_t>(signal)] = true;
  return pass;
}

} // namespace

TEST_CASE("a signal sent during a step over a breakpoint waits until the step is done",
          "[process][signals][step]") {
  Fixture f;
  f.stopped_at_breakpoint();
  f.process.set_pass_signals(passing(SIGURG)); // handle SIGURG nostop noprint pass
  f.process.set_pass_signals({});              // gdb's step-over: nothing passed
  f.tracer.calls.clear();
  f.resume_only(f.t2, rsp::ResumeKind::Step);

  set_siginfo(f, f.t2, SIGURG, SI_TKILL); // the Go runtime's preemption request
  f.feed(f.t2, status_stopped(SIGURG));
  CHECK_FALSE(f.process.take_report());
  CHECK(f.tracer.count(fmt::format("STEP {}", f.t2)) == 2); // stepped again, without it
  CHECK(f.tracer.count_prefix(fmt::format("STEP {} sig", f.t2)) == 0);

  f.tracer.set_sigtrap(f.t2, TRAP_TRACE);
  f.feed(f.t2, status_stopped(SIGTRAP));
  auto step_done = f.process.take_report();
  REQUIRE(step_done);
  CHECK(step_done->thread.tid == f.t2);
  CHECK(step_done->signal == host_to_gdb_signal(SIGTRAP));

  // Breakpoint back in, SIGURG passed again, everyone continues: t2 gets its SIGURG now.
  f.process.set_pass_signals(passing(SIGURG));
  f.tracer.calls.clear();
  f.resume_all();
  CHECK(f.tracer.count(fmt::format("TGKILL {} sig{}", f.t2, SIGURG)) == 1);
  set_siginfo(f, f.t2, SIGURG, SI_TKILL);
  f.feed(f.t2, status_stopped(SIGURG));
  CHECK_FALSE(f.process.take_report());
  CHECK(f.tracer.count(fmt::format("CONT {} sig{}", f.t2, SIGURG)) == 1);
}

TEST_CASE("a held signal gdb no longer passes is reported when the thread next runs",
          "[process][signals][step]") {
  Fixture f;
  f.stopped_at_breakpoint();
  f.process.set_pass_signals(passing(SIGUSR1));
  f.process.set_pass_signals({});
  f.resume_only(f.t2, rsp::ResumeKind::Step);
  set_siginfo(f, f.t2, SIGUSR1, SI_USER);
  f.feed(f.t2, status_stopped(SIGUSR1));
  f.tracer.set_sigtrap(f.t2, TRAP_TRACE);
  f.feed(f.t2, status_stopped(SIGTRAP));
  REQUIRE(f.process.take_report());

  f.process.set_pass_signals(passing(SIGURG)); // the user said: handle SIGUSR1 stop
  f.resume_all();
  set_siginfo(f, f.t2, SIGUSR1, SI_TKILL);
  f.feed(f.t2, status_stopped(SIGUSR1)); // raised again: now a stop gdb hears of
  f.interrupted(f.pid);
  f.interrupted(f.t3);
  auto report = f.process.take_report();
  REQUIRE(report);
  CHECK(report->thread.tid == f.t2);
  CHECK(report->signal == host_to_gdb_signal(SIGUSR1));
}

TEST_CASE("a fault of the stepped instruction, or a signal during a plain step, is reported",
          "[process][signals][step]") {
  Fixture f;
  f.stopped_at_breakpoint();
  SECTION("the step over a breakpoint faults") {
    f.process.set_pass_signals({});
    f.resume_only(f.t2, rsp::ResumeKind::Step);
    set_siginfo(f, f.t2, SIGSEGV, SEGV_MAPERR);
    f.feed(f.t2, status_stopped(SIGSEGV));
    auto report = f.process.take_report();
    REQUIRE(report);
    CHECK(report->signal == host_to_gdb_signal(SIGSEGV));
  }
  SECTION("a signal gdb wants to hear of arrives during the step over a breakpoint") {
    f.process.set_pass_signals(passing(SIGURG)); // SIGUSR1: print (or stop)
    f.process.set_pass_signals({});
    f.resume_only(f.t2, rsp::ResumeKind::Step);
    set_siginfo(f, f.t2, SIGUSR1, SI_TKILL);
    f.feed(f.t2, status_stopped(SIGUSR1));
    auto report = f.process.take_report();
    REQUIRE(report); // gdb: "signal arrived while stepping over breakpoint"
    CHECK(report->thread.tid == f.t2);
    CHECK(report->signal == host_to_gdb_signal(SIGUSR1));
  }
  SECTION("stepi with gdb's usual pass list: its signals are gdb's business as ever") {
    f.process.set_pass_signals(passing(SIGURG));
    f.resume_only(f.t2, rsp::ResumeKind::Step);
    set_siginfo(f, f.t2, SIGUSR1, SI_USER);
    f.feed(f.t2, status_stopped(SIGUSR1));
    auto report = f.process.take_report();
    REQUIRE(report);
    CHECK(report->signal == host_to_gdb_signal(SIGUSR1));
  }
}
