// Hardware points in the debug registers, over the scripted tracer: every thread gets them
// (threads created later too), DR6 turns a SIGTRAP into the watchpoint stop gdb expects,
// and nothing is left armed in a process we let go.
#include "process_fixture.hpp"

using namespace stub;
using namespace stub::testing;
using arch::x86_64::HardwarePoint;

namespace {

constexpr int dr6 = 6, dr7 = 7;
constexpr std::uint64_t watched = 0x601040;
// Slot 0, enabled, write, 4 bytes.
constexpr std::uint64_t write4_slot0 = 0x1 | (0b01ul << 16) | (0b11ul << 18);

std::uint64_t dr(Fixture &f, pid_t tid, int index) {
  return f.tracer.thread(tid).debug_registers[static_cast<std::size_t>(index)];
}

} // namespace

TEST_CASE("debug registers: a point goes to every stopped thread at once", "[process][dr]") {
  Fixture f;
  f.stopped_at_breakpoint();
  REQUIRE(f.process.insert_hardware_point(HardwarePoint::Write, watched, 4));
  for (pid_t tid : {f.pid, f.t2, f.t3}) {
    CHECK(dr(f, tid, 0) == watched);
    CHECK(dr(f, tid, dr7) == write4_slot0);
  }
  REQUIRE(f.process.remove_hardware_point(HardwarePoint::Write, watched, 4));
  for (pid_t tid : {f.pid, f.t2, f.t3})
    CHECK(dr(f, tid, dr7) == 0);
  CHECK_FALSE(f.process.remove_hardware_point(HardwarePoint::Write, watched, 4));
}

TEST_CASE("debug registers: a thread created later gets them before it runs", "[process][dr]") {
  Fixture f;
  f.stopped_at_breakpoint();
  REQUIRE(f.process.insert_hardware_point(HardwarePoint::Write, watched, 4));
  f.resume_all();
  pid_t t4 = f.pid + 100003;
  f.clone(t4);
  auto first_run =
      std::find(f.tracer.calls.begin(), f.tracer.calls.end(), "CONT " + std::to_string(t4));
  auto armed =
      std::find(f.tracer.calls.begin(), f.tracer.calls.end(), "POKEUSER " + std::to_string(t4));
  REQUIRE(first_run != f.tracer.calls.end());
  CHECK(armed < first_run);
  CHECK(dr(f, t4, 0) == watched);
  CHECK(dr(f, t4, dr7) == write4_slot0);
}

TEST_CASE("debug registers: DR6 makes the SIGTRAP a watchpoint stop, and is cleared",
          "[process][dr]") {
  Fixture f;
  f.stopped_at_breakpoint();
  REQUIRE(f.process.insert_hardware_point(HardwarePoint::Breakpoint, 0x401000, 1));
  REQUIRE(f.process.insert_hardware_point(HardwarePoint::Write, watched, 4));
  f.resume_all();
  f.tracer.thread(f.t3).debug_registers[dr6] = 0x2; // slot 1: the watchpoint
  f.tracer.set_sigtrap(f.t3, TRAP_HWBKPT);
  f.feed(f.t3, status_stopped(SIGTRAP));
  f.interrupted(f.pid);
  f.interrupted(f.t2);
  auto report = f.process.take_report();
  REQUIRE(report);
  CHECK(report->thread.tid == f.t3);
  CHECK(report->reason == rsp::StopReason::Watch);
  CHECK(report->address == watched);
  CHECK(dr(f, f.t3, dr6) == 0);
}

TEST_CASE("debug registers: no room is an error and changes nothing", "[process][dr]") {
  Fixture f;
  f.stopped_at_breakpoint();
  REQUIRE(f.process.insert_hardware_point(HardwarePoint::Write, 0x1000, 32)); // all four
  auto dr7_before = dr(f, f.pid, dr7);
  CHECK_FALSE(f.process.insert_hardware_point(HardwarePoint::Access, 0x2000, 1));
  CHECK(dr(f, f.pid, dr7) == dr7_before);
}

TEST_CASE("debug registers: detach disarms every thread", "[process][dr]") {
  Fixture f;
  f.stopped_at_breakpoint();
  REQUIRE(f.process.insert_hardware_point(HardwarePoint::Access, watched, 8));
  REQUIRE(f.process.detach());
  for (pid_t tid : {f.pid, f.t2, f.t3})
    CHECK(dr(f, tid, dr7) == 0);
}
