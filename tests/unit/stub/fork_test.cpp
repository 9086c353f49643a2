// Fork children gdb did not ask to follow: released (detached) once both their first stop
// and the parent's fork event are seen, in either order, never with our breakpoints.
#include "process_fixture.hpp"

using namespace stub;
using stub::testing::code;
using stub::testing::Fixture;
using stub::testing::status_stopped;

namespace {

void fork_event(Fixture &f, pid_t parent, pid_t child, int event) {
  f.tracer.thread(parent).event_message = static_cast<unsigned long>(child);
  f.feed(parent, status_stopped(SIGTRAP, event));
}

} // namespace

TEST_CASE("a fork child is detached whichever of its stop and the fork event comes first",
          "[process][fork]") {
  for (bool child_first : {true, false}) {
    Fixture f;
    f.three_running_threads();
    pid_t child = f.t3 + 50;
    f.tracer.foreign.insert(child);
    if (child_first)
      f.feed(child, status_stopped(SIGTRAP, PTRACE_EVENT_STOP));
    CHECK(f.tracer.count("DETACH " + std::to_string(child)) == 0);
    fork_event(f, f.t2, child, PTRACE_EVENT_FORK);
    if (!child_first) {
      CHECK(f.tracer.count("DETACH " + std::to_string(child)) == 0); // still in its stop
      f.feed(child, status_stopped(SIGTRAP, PTRACE_EVENT_STOP));
    }
    CHECK(f.tracer.count("DETACH " + std::to_string(child)) == 1);
    CHECK(f.process.threads().find(child) == nullptr);          // not a thread of ours
    CHECK(f.tracer.count("CONT " + std::to_string(f.t2)) == 1); // the parent goes on
    CHECK_FALSE(f.process.take_report());
  }
}

TEST_CASE("a vfork child borrows memory without breakpoints until VFORK_DONE", "[process][fork]") {
  Fixture f;
  f.three_running_threads(); // a breakpoint at f.bp
  auto offset = f.bp - reinterpret_cast<std::uint64_t>(&code[0]);
  REQUIRE(code[offset] == 0xcc);
  pid_t child = f.t3 + 51;
  f.tracer.foreign.insert(child);
  fork_event(f, f.pid, child, PTRACE_EVENT_VFORK);
  f.feed(child, status_stopped(SIGTRAP, PTRACE_EVENT_STOP));
  CHECK(f.tracer.count("DETACH " + std::to_string(child)) == 1);
  CHECK(code[offset] == 0x90); // the original instruction, for the child to run
  CHECK(f.process.breakpoints().inserted_at(f.bp)); // still known, for gdb and for later
  f.feed(f.pid, status_stopped(SIGTRAP, PTRACE_EVENT_VFORK_DONE));
  CHECK(code[offset] == 0xcc);
}

TEST_CASE("a fork child gets originals back even where gdb removed a breakpoint since",
          "[process][fork][breakpoints]") {
  Fixture f; // its breakpoints work on this test's own memory
  auto at = [](int i) { return reinterpret_cast<std::uint64_t>(&code[i]); };
  auto &bps = f.process.breakpoints();
  REQUIRE(bps.insert(at(8)));
  REQUIRE(bps.insert(at(24)));
  REQUIRE(bps.remove(at(8))); // gdb removed it after the fork: the child still has the int3
  code[8] = 0xcc;             // ... as this stands for the child's copy
  code[40] = 0x55;            // never a breakpoint: left alone
  ProcessMemory child;
  REQUIRE(child.open(getpid()));
  bps.restore_originals_in(child);
  CHECK(code[8] == 0x90);
  CHECK(code[24] == 0x90); // still inserted in the parent: the child gets the original too
  CHECK(code[40] == 0x55);
}
