// What gdb hears when threads it resumed exit: `N` once nothing it resumed is left, `w`
// for each thread's exit when it asked for thread events, and never either in place of
// the process's own end.
#include "process_fixture.hpp"

using namespace stub;
using stub::testing::Fixture;
using stub::testing::status_exited;
using stub::testing::status_stopped;

TEST_CASE("N once the only thread gdb resumed has exited", "[process][no-resumed]") {
  Fixture f;
  f.process.set_stop_replies({false, true});
  f.stopped_at_breakpoint();
  f.resume_only(f.t2); // scheduler-locking on
  CHECK_FALSE(f.process.take_report());
  f.feed(f.t2, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
  CHECK_FALSE(f.process.take_report()); // its exit status is still to come
  f.feed(f.t2, status_exited(0));
  auto report = f.process.take_report();
  REQUIRE(report);
  CHECK(report->kind == rsp::StopKind::NoResumed);
  CHECK_FALSE(f.process.take_report());
  // The others stay as gdb left them, and run when gdb resumes them.
  f.tracer.calls.clear();
  f.resume_all();
  CHECK(f.tracer.count_prefix("CONT") == 2);
}

TEST_CASE("without no-resumed+ gdb is never sent N", "[process][no-resumed]") {
  Fixture f;
  f.stopped_at_breakpoint();
  f.resume_only(f.t2);
  f.feed(f.t2, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
  f.feed(f.t2, status_exited(0));
  CHECK_FALSE(f.process.take_report());
}

TEST_CASE("a leader that exits alone is N only once it is a zombie", "[process][no-resumed]") {
  Fixture f;
  f.process.set_stop_replies({false, true});
  f.stopped_at_breakpoint();
  f.resume_only(f.pid);
  f.feed(f.pid, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT)); // pthread_exit in main
  CHECK_FALSE(f.process.take_report());                      // still on its way out
  f.tracer.zombies.insert(f.pid); // no wait status says so; SIGCHLD wakes us
  auto report = f.process.take_report();
  REQUIRE(report);
  CHECK(report->kind == rsp::StopKind::NoResumed);
}

TEST_CASE("exit_group by the only resumed thread ends in W, not N", "[process][no-resumed]") {
  Fixture f;
  f.process.set_stop_replies({false, true});
  f.stopped_at_breakpoint();
  f.resume_only(f.t2);
  // t2 calls exit(5): the stopped siblings are woken to die before t2's own status.
  f.feed(f.t2, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
  f.tracer.fail_esrch.insert("GETSIGINFO " + std::to_string(f.pid));
  f.tracer.fail_esrch.insert("GETSIGINFO " + std::to_string(f.t3));
  f.feed(f.t2, status_exited(5));
  CHECK_FALSE(f.process.take_report());
  for (pid_t tid : {f.t3, f.pid})
    f.feed(tid, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
  CHECK_FALSE(f.process.take_report());
  f.feed(f.t3, status_exited(5));
  f.feed(f.pid, status_exited(5));
  auto report = f.process.take_report();
  REQUIRE(report);
  CHECK(report->kind == rsp::StopKind::Exited);
  CHECK(report->exit_code == 5);
}

TEST_CASE("a resume of a thread that died is accepted and dropped", "[process][no-resumed]") {
  Fixture f;
  f.process.set_stop_replies({false, true});
  f.stopped_at_breakpoint();
  f.tracer.calls.clear();
  f.resume_only(f.t3 + 7);
  CHECK(f.tracer.count_prefix("CONT") == 0);
  auto report = f.process.take_report();
  REQUIRE(report);
  CHECK(report->kind == rsp::StopKind::NoResumed);
}

TEST_CASE("with thread events each exit is a w report; stops found meanwhile stay pending",
          "[process][thread-events]") {
  Fixture f;
  f.three_running_threads();
  f.process.set_stop_replies({true, true});
  f.feed(f.t3, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
  f.feed(f.t3, status_exited(3));
  CHECK(f.tracer.count("INTERRUPT " + std::to_string(f.pid)) == 1);
  CHECK(f.tracer.count("INTERRUPT " + std::to_string(f.t2)) == 1);
  f.hit_breakpoint(f.t2); // before our interrupt landed
  CHECK_FALSE(f.process.take_report());
  f.interrupted(f.pid);
  auto exited = f.process.take_report();
  REQUIRE(exited);
  CHECK(exited->kind == rsp::StopKind::ThreadExited);
  CHECK(exited->thread.tid == f.t3);
  CHECK(exited->exit_code == 3);

  f.tracer.calls.clear();
  f.resume_all();
  auto hit = f.process.take_report();
  REQUIRE(hit);
  CHECK(hit->thread.tid == f.t2);
  CHECK(hit->reason == rsp::StopReason::SwBreak);
  CHECK(f.tracer.count_prefix("CONT") == 0); // nothing ran in between
}

TEST_CASE("without thread events a thread's exit is silent", "[process][thread-events]") {
  Fixture f;
  f.three_running_threads();
  f.feed(f.t3, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
  f.feed(f.t3, status_exited(0));
  CHECK(f.tracer.count_prefix("INTERRUPT") == 0);
  CHECK_FALSE(f.process.take_report());
}

TEST_CASE("a stopped sibling already in its exit stop (SIGKILL) means W/X is coming, not N",
          "[process][no-resumed]") {
  Fixture f;
  f.process.set_stop_replies({false, true});
  f.stopped_at_breakpoint();
  // SIGKILL from outside: the leader's and t2's exit stops are seen; t3 is in its exit stop
  // too, but its event has not been read yet.
  for (pid_t tid : {f.pid, f.t2})
    f.feed(tid, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
  f.tracer.thread(f.t3).info = siginfo_t{};
  f.tracer.thread(f.t3).info.si_signo = SIGTRAP;
  f.tracer.thread(f.t3).info.si_code = SIGTRAP | (PTRACE_EVENT_EXIT << 8);
  f.tracer.zombies.insert(f.pid);
  // gdb steps t2 over its breakpoint alone; t2 dies.
  f.resume_only(f.t2, rsp::ResumeKind::Step);
  f.feed(f.t2, stub::testing::status_signaled(SIGKILL));
  CHECK_FALSE(f.process.take_report()); // not N: t3's exit is on its way
  f.feed(f.t3, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
  f.feed(f.t3, stub::testing::status_signaled(SIGKILL));
  f.feed(f.pid, stub::testing::status_signaled(SIGKILL));
  auto report = f.process.take_report();
  REQUIRE(report);
  CHECK(report->kind == rsp::StopKind::Terminated);
  CHECK(report->signal == 9);
}
