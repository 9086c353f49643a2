// Non-stop over a scripted tracer: a thread's stop is reported alone, in order, while the
// others run on; vCont;t stops one thread (reported with signal 0); leaving non-stop
// stops everything.
#include "process_fixture.hpp"

using namespace stub;
using stub::testing::Fixture;
using stub::testing::status_exited;
using stub::testing::status_stopped;

namespace {

// Non-stop with three running threads and a breakpoint.
void non_stop_running(Fixture &f) {
  REQUIRE(f.process.set_non_stop(true));
  f.three_running_threads();
}

} // namespace

TEST_CASE("non-stop: a breakpoint hit stops and reports that thread alone", "[process][non-stop]") {
  Fixture f;
  non_stop_running(f);
  f.hit_breakpoint(f.t2);
  CHECK(f.tracer.count_prefix("INTERRUPT") == 0);
  auto report = f.process.take_report();
  REQUIRE(report);
  CHECK(report->thread.tid == f.t2);
  CHECK(report->reason == rsp::StopReason::SwBreak);
  CHECK(f.process.threads().find(f.pid)->state == ThreadState::Running);
  CHECK(f.process.threads().find(f.t3)->state == ThreadState::Running);

  // Two more hits: each reported, in the order they happened.
  f.hit_breakpoint(f.t3);
  f.hit_breakpoint(f.pid);
  auto second = f.process.take_report();
  auto third = f.process.take_report();
  REQUIRE(second);
  REQUIRE(third);
  CHECK(second->thread.tid == f.t3);
  CHECK(third->thread.tid == f.pid);
  CHECK_FALSE(f.process.take_report());

  // `?` gives one stop, the last reported (as gdbserver); resuming one thread leaves the
  // others stopped.
  auto query = f.process.stopped_for_gdb();
  REQUIRE(query.size() == 1);
  CHECK(query[0].thread.tid == f.pid);
  f.tracer.calls.clear();
  f.resume_only(f.t2);
  CHECK(f.tracer.count_prefix("CONT") == 1);
  CHECK(f.tracer.count("CONT " + std::to_string(f.t2)) == 1);
  CHECK(f.process.threads().find(f.t3)->state == ThreadState::Stopped);
}

TEST_CASE("non-stop: vCont;t stops a running thread, reported with signal 0",
          "[process][non-stop]") {
  Fixture f;
  non_stop_running(f);
  f.resume_only(f.t3, rsp::ResumeKind::Stop);
  CHECK(f.tracer.calls == std::vector<std::string>{"INTERRUPT " + std::to_string(f.t3)});
  CHECK_FALSE(f.process.take_report());
  f.interrupted(f.t3);
  auto report = f.process.take_report();
  REQUIRE(report);
  CHECK(report->thread.tid == f.t3);
  CHECK(report->signal == 0);
  // An interrupt stop nobody asked for is not reported: the thread just goes on.
  f.tracer.calls.clear();
  f.interrupted(f.t2);
  CHECK_FALSE(f.process.take_report());
  CHECK(f.tracer.count("CONT " + std::to_string(f.t2)) == 1);
}

TEST_CASE("non-stop: a new thread runs like its parent, and exits are reported",
          "[process][non-stop]") {
  Fixture f;
  non_stop_running(f);
  f.process.set_stop_replies({true, false});
  pid_t t4 = f.t3 + 1;
  f.tracer.thread(f.pid).event_message = static_cast<unsigned long>(t4);
  f.feed(f.pid, status_stopped(SIGTRAP, PTRACE_EVENT_CLONE));
  f.feed(t4, status_stopped(SIGTRAP, PTRACE_EVENT_STOP));
  auto created = f.process.take_report();
  REQUIRE(created);
  CHECK(created->reason == rsp::StopReason::ThreadCreated);
  CHECK(created->thread.tid == t4);

  f.feed(f.t3, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
  CHECK(f.tracer.count("CONT " + std::to_string(f.t3)) == 1); // released at once
  f.feed(f.t3, status_exited(0));
  auto exited = f.process.take_report();
  REQUIRE(exited);
  CHECK(exited->kind == rsp::StopKind::ThreadExited);
  CHECK(exited->thread.tid == f.t3);
}

TEST_CASE("non-stop: the process's end is reported though nobody waits", "[process][non-stop]") {
  Fixture f;
  non_stop_running(f);
  for (pid_t tid : {f.t2, f.t3, f.pid})
    f.feed(tid, status_stopped(SIGTRAP, PTRACE_EVENT_EXIT));
  for (pid_t tid : {f.t2, f.t3, f.pid})
    f.feed(tid, status_exited(2));
  auto report = f.process.take_report();
  REQUIRE(report);
  CHECK(report->kind == rsp::StopKind::Exited);
  CHECK(report->exit_code == 2);
}

TEST_CASE("non-stop: a stopped thread woken to die by exit_group is not reported",
          "[process][non-stop]") {
  Fixture f;
  non_stop_running(f);
  f.hit_breakpoint(f.t2);
  f.tracer.fail_esrch.insert("GETSIGINFO " + std::to_string(f.t2)); // left its stop
  CHECK_FALSE(f.process.take_report());
}

TEST_CASE("leaving non-stop stops every thread, through the funnel", "[process][non-stop]") {
  Fixture f;
  non_stop_running(f);
  // Their interrupt stops are already queued for the blocking wait.
  for (pid_t tid : {f.pid, f.t2, f.t3})
    f.tracer.push(tid, status_stopped(SIGTRAP, PTRACE_EVENT_STOP));
  REQUIRE(f.process.set_non_stop(false));
  CHECK(f.tracer.count_prefix("INTERRUPT") == 3);
  for (auto &[tid, t] : f.process.threads())
    CHECK(t.state == ThreadState::Stopped);
  CHECK_FALSE(f.process.take_report());
}

TEST_CASE("non-stop: a thread asked to stop that stops for a passed signal is reported",
          "[process][non-stop]") {
  Fixture f;
  non_stop_running(f);
  std::bitset<65> pass;
  pass[SIGUSR1] = true;
  f.process.set_pass_signals(pass);
  f.resume_only(f.t2, rsp::ResumeKind::Stop);
  // SIGUSR1 arrives before the interrupt lands: gdb still gets its stop, and the signal
  // is delivered when gdb resumes the thread.
  f.feed(f.t2, status_stopped(SIGUSR1));
  auto report = f.process.take_report();
  REQUIRE(report);
  CHECK(report->thread.tid == f.t2);
  CHECK(report->signal == 0);
  f.tracer.calls.clear();
  f.resume_only(f.t2);
  CHECK(f.tracer.count("CONT " + std::to_string(f.t2) + " sig" + std::to_string(SIGUSR1)) == 1);
}

TEST_CASE("non-stop: vCont;t of a stopped thread gdb has not heard of reports it",
          "[process][non-stop]") {
  Fixture f;
  non_stop_running(f);
  // Told once: vCont;t adds nothing. Untold (as after an attach): vCont;t reports it.
  f.hit_breakpoint(f.t2);
  REQUIRE(f.process.take_report());
  f.resume_only(f.t2, rsp::ResumeKind::Stop);
  CHECK_FALSE(f.process.take_report()); // gdb was told of this stop already
  f.process.threads().find(f.t2)->stop_told = false;
  f.resume_only(f.t2, rsp::ResumeKind::Stop);
  auto report = f.process.take_report();
  REQUIRE(report);
  CHECK(report->thread.tid == f.t2);
  CHECK(report->signal == 0);
}
