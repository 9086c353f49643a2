// The all-stop machine over a scripted tracer.
#include "process_fixture.hpp"
#include "stub/support/gdb_signals.hpp"

using namespace stub;
using stub::testing::FakeTracer;
using stub::testing::Fixture;
using stub::testing::status_exited;
using stub::testing::status_signaled;
using stub::testing::status_stopped;

TEST_CASE("a breakpoint is reported once every thread has stopped", "[process][all-stop]") {
  Fixture f;
  f.three_running_threads();
  f.hit_breakpoint(f.t2);
  CHECK(f.tracer.count("INTERRUPT " + std::to_string(f.pid)) == 1);
  CHECK(f.tracer.count("INTERRUPT " + std::to_string(f.t3)) == 1);
  CHECK_FALSE(f.process.take_report()); // the others are still running

  f.interrupted(f.pid);
  CHECK_FALSE(f.process.take_report());
  f.interrupted(f.t3);
  auto report = f.process.take_report();
  REQUIRE(report);
  CHECK(report->thread.tid == f.t2);
  CHECK(report->signal == 5);
  CHECK(report->reason == rsp::StopReason::SwBreak);
  // gdb sees the PC on the breakpoint, not after it.
  auto *t2 = f.process.threads().find(f.t2);
  REQUIRE(f.process.read_pc(*t2).value() == f.bp);
}

TEST_CASE("a second hit found during stop-all is reported on the next resume, before anything "
          "runs",
          "[process][all-stop]") {
  Fixture f;
  f.three_running_threads();
  f.hit_breakpoint(f.t2);
  f.hit_breakpoint(f.t3); // it hit too, before our interrupt landed
  f.interrupted(f.pid);
  auto first = f.process.take_report();
  REQUIRE(first);
  CHECK(first->thread.tid == f.t2);

  f.tracer.calls.clear();
  f.resume_all();
  auto second = f.process.take_report();
  REQUIRE(second);
  CHECK(second->thread.tid == f.t3);
  CHECK(second->reason == rsp::StopReason::SwBreak);
  CHECK(f.tracer.count_prefix("CONT") == 0); // nothing ran in between

  f.resume_all(); // now everything runs
  CHECK(f.tracer.count_prefix("CONT") == 3);
  CHECK_FALSE(f.process.take_report());
}

TEST_CASE("a pending hit of a breakpoint gdb removed is dropped, not reported",
          "[process][all-stop]") {
  Fixture f;
  f.three_running_threads();
  f.hit_breakpoint(f.t2);
  f.hit_breakpoint(f.t3);
  f.interrupted(f.pid);
  REQUIRE(f.process.take_report());
  REQUIRE(f.process.breakpoints().remove(f.bp));
  f.resume_all();
  CHECK_FALSE(f.process.take_report());
  // t3 runs again from the breakpoint address, so the original instruction executes.
  CHECK(f.tracer.pc(f.t3) == f.bp);
  CHECK(f.tracer.count("CONT " + std::to_string(f.t3)) == 1);
}

TEST_CASE("ESRCH on interrupt does not hang stop-all", "[process][exit]") {
  Fixture f;
  f.three_running_threads();
  f.tracer.fail_esrch.insert("INTERRUPT " + std::to_string(f.t3));
  f.hit_breakpoint(f.t2);
  f.interrupted(f.pid);
  auto report = f.process.take_report();
  REQUIRE(report); // t3 is Exiting and does not count as running
  CHECK(report->thread.tid == f.t2);
  CHECK(f.process.threads().find(f.t3)->state == ThreadState::Exiting);
  f.feed(f.t3, status_exited(0));
  CHECK(f.process.threads().find(f.t3) == nullptr);
}

TEST_CASE("SIGKILL while stopped: late exit stops, then exactly one X", "[process][exit]") {
  Fixture f;
  f.stopped_at_breakpoint();
  // Killed from outside while gdb looks: every thread enters its exit stop.
  f.tracer.thread(f.pid).event_message = SIGKILL;
  for (pid_t tid : {f.t2, f.t3, f.pid})
    f.feed(tid, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
  CHECK_FALSE(f.process.take_report());
  // Held in its exit stop it can still be looked at; a resume lets it go.
  CHECK(f.process.stopped_thread(f.t2));

  f.tracer.calls.clear();
  f.resume_all(); // releases the exit stops
  CHECK(f.tracer.count_prefix("CONT") == 3);
  f.feed(f.t2, status_signaled(SIGKILL));
  f.feed(f.t3, status_signaled(SIGKILL));
  CHECK_FALSE(f.process.take_report());
  f.feed(f.pid, status_signaled(SIGKILL));
  auto report = f.process.take_report();
  REQUIRE(report);
  CHECK(report->kind == rsp::StopKind::Terminated);
  CHECK(report->signal == 9);
  CHECK_FALSE(f.process.take_report());
}

TEST_CASE("exit_group during stop-all ends in one W with the right code", "[process][exit]") {
  Fixture f;
  f.three_running_threads();
  f.hit_breakpoint(f.t2);
  // t3 calls exit(5): every thread reports its exit stop, the breakpoint stop is moot.
  for (pid_t tid : {f.t2, f.t3, f.pid})
    f.feed(tid, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
  CHECK_FALSE(f.process.take_report());
  f.feed(f.t2, status_exited(5));
  f.feed(f.t3, status_exited(5));
  f.feed(f.pid, status_exited(5));
  auto report = f.process.take_report();
  REQUIRE(report);
  CHECK(report->kind == rsp::StopKind::Exited);
  CHECK(report->exit_code == 5);
  CHECK_FALSE(f.process.take_report());
}

TEST_CASE("a clone child's first stop may come before its parent's clone event",
          "[process][clone]") {
  Fixture f;
  f.resume_all();
  f.feed(f.t2, status_stopped(SIGTRAP, PTRACE_EVENT_STOP)); // unknown tid, first event
  REQUIRE(f.process.threads().find(f.t2));
  CHECK(f.process.threads().find(f.t2)->state == ThreadState::Running);
  f.tracer.thread(f.pid).event_message = static_cast<unsigned long>(f.t2);
  f.feed(f.pid, status_stopped(SIGTRAP, PTRACE_EVENT_CLONE));
  CHECK(f.process.threads().size() == 2);
  CHECK(f.tracer.count("CONT " + std::to_string(f.t2)) == 1); // resumed once, not twice
}

TEST_CASE("an unknown tid whose first event is its exit", "[process][clone]") {
  Fixture f;
  f.resume_all();
  f.feed(f.t2, status_exited(0));
  CHECK(f.process.threads().find(f.t2) == nullptr);
  CHECK_FALSE(f.process.take_report());
}

TEST_CASE("exec by a non-leader leaves one thread with the leader's tid", "[process][exec]") {
  Fixture f;
  f.three_running_threads();
  // t3 execs: the others exit (the old leader never reports a status), then the exec event
  // arrives under the leader's tid.
  f.feed(f.t2, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
  f.feed(f.pid, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
  f.feed(f.t2, status_exited(0));
  f.tracer.thread(f.pid).event_message = static_cast<unsigned long>(f.t3);
  f.feed(f.pid, status_stopped(SIGTRAP, PTRACE_EVENT_EXEC));
  auto report = f.process.take_report();
  REQUIRE(report);
  CHECK(report->thread.tid == f.pid);
  CHECK(report->reason == rsp::StopReason::Exec);
  CHECK(f.process.threads().size() == 1);
  CHECK_FALSE(f.process.breakpoints().inserted_at(f.bp)); // the old image is gone
}

TEST_CASE("a breakpoint SIGTRAP queued behind our interrupt is counted once",
          "[process][all-stop]") {
  Fixture f;
  f.three_running_threads();
  f.hit_breakpoint(f.t2);
  // t3 executed the int3 but our interrupt stop came first; its SIGTRAP is still queued.
  f.tracer.set_pc(f.t3, f.bp + 1);
  f.tracer.thread(f.t3).queued_kernel_sigtrap = true;
  f.interrupted(f.t3);
  f.interrupted(f.pid);
  REQUIRE(f.process.take_report()->thread.tid == f.t2);

  f.resume_all();
  auto second = f.process.take_report();
  REQUIRE(second);
  CHECK(second->thread.tid == f.t3);
  CHECK(second->reason == rsp::StopReason::SwBreak);

  // When t3 runs, the stale SIGTRAP is delivered first: swallowed, not a second hit.
  f.resume_all();
  f.tracer.set_sigtrap(f.t3, SI_KERNEL);
  f.tracer.calls.clear();
  f.feed(f.t3, status_stopped(SIGTRAP));
  CHECK_FALSE(f.process.take_report());
  CHECK(f.tracer.count("CONT " + std::to_string(f.t3)) == 1);
}

TEST_CASE("signals gdb passes are delivered without a report", "[process][signals]") {
  Fixture f;
  std::bitset<65> pass;
  pass[SIGURG] = true;
  f.process.set_pass_signals(pass);
  f.three_running_threads();
  f.feed(f.t2, status_stopped(SIGURG));
  CHECK_FALSE(f.process.take_report());
  CHECK(f.tracer.count(fmt::format("CONT {} sig{}", f.t2, SIGURG)) == 1);
  CHECK(f.tracer.count_prefix("INTERRUPT") == 0); // no stop-all for it

  f.feed(f.t3, status_stopped(SIGSEGV)); // not passed: reported
  f.interrupted(f.pid);
  f.interrupted(f.t2);
  auto report = f.process.take_report();
  REQUIRE(report);
  CHECK(report->signal == host_to_gdb_signal(SIGSEGV));
}

TEST_CASE("^C stops everything and reports SIGINT", "[process][interrupt]") {
  Fixture f;
  f.three_running_threads();
  f.process.interrupt();
  CHECK(f.tracer.count_prefix("INTERRUPT") == 3);
  f.interrupted(f.pid);
  f.interrupted(f.t2);
  f.interrupted(f.t3);
  auto report = f.process.take_report();
  REQUIRE(report);
  CHECK(report->signal == 2);
  CHECK(report->thread.tid == f.pid);
}

TEST_CASE("a ^C answered by a breakpoint stop is reported after gdb resumes",
          "[process][interrupt]") {
  Fixture f;
  f.three_running_threads();
  f.process.interrupt();
  f.hit_breakpoint(f.t2); // hit before our interrupt landed: this is what gdb hears first
  f.interrupted(f.pid);
  f.interrupted(f.t3);
  auto hit = f.process.take_report();
  REQUIRE(hit);
  CHECK(hit->reason == rsp::StopReason::SwBreak);
  // gdb resumes at once (a false condition, a step over the breakpoint): the ^C stands.
  f.tracer.calls.clear();
  f.resume_all();
  CHECK(f.tracer.count_prefix("INTERRUPT") == 3);
  for (pid_t tid : {f.pid, f.t2, f.t3})
    f.interrupted(tid);
  auto sigint = f.process.take_report();
  REQUIRE(sigint);
  CHECK(sigint->signal == 2);
  // Answered once: the next resume runs freely.
  f.tracer.calls.clear();
  f.resume_all();
  CHECK(f.tracer.count_prefix("INTERRUPT") == 0);
}

namespace {

// Two hits, two resumes, then exit_group(5). Returns the final exit report seen (if any)
// and how many exit reports there were.
struct RaceOutcome {
  std::optional<rsp::StopEvent> exit_report;
  int exit_reports = 0;
  std::size_t calls = 0;
};

RaceOutcome run_race(std::optional<std::size_t> esrch_at) {
  Fixture f;
  f.three_running_threads();
  f.tracer.calls.clear();
  f.tracer.fail_call_index = esrch_at;
  RaceOutcome out;
  auto collect = [&] {
    while (auto r = f.process.take_report())
      if (r->kind == rsp::StopKind::Exited || r->kind == rsp::StopKind::Terminated) {
        out.exit_report = r;
        ++out.exit_reports;
      }
  };
  f.hit_breakpoint(f.t2);
  f.hit_breakpoint(f.t3);
  f.interrupted(f.pid);
  collect();
  (void)f.process.resume(f.continue_all);
  collect();
  (void)f.process.resume(f.continue_all);
  collect();
  for (pid_t tid : {f.t2, f.t3, f.pid})
    f.feed(tid, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
  collect();
  f.feed(f.t2, status_exited(5));
  f.feed(f.t3, status_exited(5));
  f.feed(f.pid, status_exited(5));
  collect();
  for (int i = 0; i < 5 && !out.exit_report; ++i) { // gdb keeps resuming until it sees W
    (void)f.process.resume(f.continue_all);
    collect();
  }
  out.calls = f.tracer.calls.size();
  return out;
}

} // namespace

TEST_CASE("ESRCH at any ptrace call never loses or doubles the exit report", "[process][esrch]") {
  RaceOutcome clean = run_race(std::nullopt);
  REQUIRE(clean.exit_reports == 1);
  REQUIRE(clean.calls > 10);
  for (std::size_t i = 0; i < clean.calls; ++i) {
    INFO("ESRCH injected at call " << i);
    RaceOutcome r = run_race(i);
    REQUIRE(r.exit_reports == 1);
    CHECK(r.exit_report->kind == rsp::StopKind::Exited);
    CHECK(r.exit_report->exit_code == 5);
  }
}

TEST_CASE("a breakpoint stop is not reported when exit_group woke its thread first",
          "[process][exit]") {
  for (bool esrch : {false, true}) {
    INFO((esrch ? "probe gets ESRCH" : "probe finds the exit stop"));
    Fixture f;
    f.three_running_threads();
    f.hit_breakpoint(f.t2);
    // exit_group(4) from the leader: the others report their exit stops...
    f.feed(f.pid, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
    f.feed(f.t3, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
    // ...and t2, woken from its breakpoint stop by the SIGKILL, is on its way out too.
    if (esrch)
      f.tracer.fail_esrch.insert("GETSIGINFO " + std::to_string(f.t2));
    else
      f.tracer.thread(f.t2).info.si_code = (PTRACE_EVENT_EXIT << 8) | SIGTRAP;
    CHECK_FALSE(f.process.take_report()); // no breakpoint report for a dying thread
    if (!esrch)
      f.feed(f.t2, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
    f.feed(f.t2, status_exited(4));
    f.feed(f.t3, status_exited(4));
    f.feed(f.pid, status_exited(4));
    auto report = f.process.take_report();
    REQUIRE(report);
    CHECK(report->kind == rsp::StopKind::Exited);
    CHECK(report->exit_code == 4);
  }
}

TEST_CASE("gdb reading a thread woken to die gets its registers from its exit stop",
          "[process][exit]") {
  Fixture f;
  f.stopped_at_breakpoint();
  auto *t2 = f.process.threads().find(f.t2);
  t2->regs.invalidate();
  // SIGKILL from outside: t2 is no longer in its stop (ESRCH) until its exit stop.
  f.tracer.fail_esrch.insert("GETREGS " + std::to_string(f.t2));
  f.tracer.push(f.t2, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
  auto regs = f.process.registers_for_gdb(f.t2, false);
  REQUIRE(regs);
  CHECK(f.process.threads().find(f.t2)->in_exit_stop);

  // Once reaped, it is gone: an error, not a hang.
  f.feed(f.t3, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
  f.feed(f.pid, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
  f.resume_all();
  f.feed(f.t2, status_signaled(SIGKILL));
  CHECK_FALSE(f.process.registers_for_gdb(f.t2, false));
}

TEST_CASE("a clone event for a thread already reaped does not bring it back", "[process][clone]") {
  Fixture f;
  f.resume_all();
  f.feed(f.t2, status_stopped(SIGTRAP, PTRACE_EVENT_STOP)); // its first stop comes first
  f.feed(f.t2, status_exited(0));                           // it runs, exits, is reaped
  f.tracer.thread(f.pid).event_message = static_cast<unsigned long>(f.t2);
  f.feed(f.pid, status_stopped(SIGTRAP, PTRACE_EVENT_CLONE)); // the parent's late event
  CHECK(f.process.threads().find(f.t2) == nullptr);
  // Stop-all does not wait for a stop that will never come.
  f.process.interrupt();
  f.interrupted(f.pid);
  auto report = f.process.take_report();
  REQUIRE(report);
  CHECK(report->signal == 2);
}

TEST_CASE("a signal for a thread stopped by our interrupt is sent, then let through",
          "[process][signals]") {
  Fixture f;
  f.stopped_at_breakpoint();
  // gdb: deliver SIGUSR1 to t3 (which sits in an interrupt stop), continue everyone.
  std::vector<rsp::ResumeAction> actions{
      {rsp::ResumeKind::Continue, host_to_gdb_signal(SIGUSR1), {f.pid, f.t3}, 0, 0},
      {rsp::ResumeKind::Continue, 0, {rsp::ThreadId::all, rsp::ThreadId::all}, 0, 0}};
  f.tracer.calls.clear();
  REQUIRE(f.process.resume(actions));
  CHECK(f.tracer.count(fmt::format("TGKILL {} sig{}", f.t3, SIGUSR1)) == 1);
  CHECK(f.tracer.count(fmt::format("CONT {}", f.t3)) == 1); // no signal on this resume
  f.feed(f.t3, status_stopped(SIGUSR1));                    // its signal-delivery-stop
  CHECK_FALSE(f.process.take_report());                     // not reported back to gdb
  CHECK(f.tracer.count(fmt::format("CONT {} sig{}", f.t3, SIGUSR1)) == 1);
}

TEST_CASE("a finished step gdb no longer waits for is not reported", "[process][step]") {
  Fixture f;
  f.three_running_threads();
  // gdb steps t3 while the others run; t2 hits the breakpoint; t3's step completes during
  // the stop-all.
  f.hit_breakpoint(f.t2);
  f.tracer.set_sigtrap(f.t3, TRAP_TRACE);
  f.process.threads().find(f.t3)->last_resume = rsp::ResumeKind::Step;
  f.feed(f.t3, status_stopped(SIGTRAP));
  f.interrupted(f.pid);
  REQUIRE(f.process.take_report()->thread.tid == f.t2);
  // gdb now continues every thread: t3's old step is nobody's business.
  f.resume_all();
  CHECK_FALSE(f.process.take_report());
  CHECK(f.tracer.count_prefix("CONT") >= 3);
}
