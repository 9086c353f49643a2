#pragma once
// A process over a scripted tracer, for the all-stop machine's tests. The process's pid is
// our own, so memory (breakpoints) lands in a buffer of the test; the other tids are made up.
#include "fake_tracer.hpp"
#include "stub/process.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <unistd.h>

namespace stub::testing {

alignas(64) inline unsigned char code[64];

struct Fixture {
  FakeTracer tracer;
  pid_t pid = getpid();
  pid_t t2 = getpid() + 100001;
  pid_t t3 = getpid() + 100002;
  Process process{tracer, arch::x86_64_native(), getpid(), false};
  std::uint64_t bp = reinterpret_cast<std::uint64_t>(&code[16]);
  std::vector<rsp::ResumeAction> continue_all{
      {rsp::ResumeKind::Continue, 0, {rsp::ThreadId::all, rsp::ThreadId::all}, 0, 0}};

  Fixture() {
    std::fill(std::begin(code), std::end(code), 0x90);
    process.adopt_initial_stop(pid, SIGTRAP);
  }
  void feed(pid_t tid, int status) { process.on_wait(tid, status); }
  void resume_all() { REQUIRE(process.resume(continue_all)); }
  // The leader clones `child`; the child's first stop follows.
  void clone(pid_t child) {
    tracer.thread(pid).event_message = static_cast<unsigned long>(child);
    feed(pid, status_stopped(SIGTRAP, PTRACE_EVENT_CLONE));
    feed(child, status_stopped(SIGTRAP, PTRACE_EVENT_STOP));
  }
  void hit_breakpoint(pid_t tid) {
    tracer.set_pc(tid, bp + 1);
    tracer.set_sigtrap(tid, SI_KERNEL);
    feed(tid, status_stopped(SIGTRAP));
  }
  void interrupted(pid_t tid) { feed(tid, status_stopped(SIGTRAP, PTRACE_EVENT_STOP)); }
  // Running with three threads, a breakpoint inserted.
  void three_running_threads() {
    resume_all();
    clone(t2);
    clone(t3);
    REQUIRE(process.breakpoints().insert(bp));
    tracer.calls.clear();
  }
  // Three threads stopped at t2's breakpoint, reported to gdb.
  void stopped_at_breakpoint() {
    three_running_threads();
    hit_breakpoint(t2);
    interrupted(pid);
    interrupted(t3);
    REQUIRE(process.take_report());
  }
  // gdb resumes (or, with Stop, stops) one thread alone.
  void resume_only(pid_t tid, rsp::ResumeKind kind = rsp::ResumeKind::Continue) {
    std::vector<rsp::ResumeAction> one{{kind, 0, {pid, tid}, 0, 0}};
    REQUIRE(process.resume(one));
  }
};

} // namespace stub::testing
