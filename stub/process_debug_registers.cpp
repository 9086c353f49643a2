// Hardware breakpoints and watchpoints (Z1-Z4) in the x86-64 debug registers, used only
// where they fire (debug_registers_fire()). Every thread gets the same DR0-DR3/DR7: a
// thread's copy is brought up to date before it next runs (flush_registers), so threads
// created later get them too (the kernel gives a new thread none). After a SIGTRAP, DR6
// says which slot triggered; it is cleared, as the CPU never clears it.
#include "stub/log.hpp"
#include "stub/process.hpp"

namespace stub {
namespace {

constexpr int dr6 = 6, dr7 = 7;

rsp::StopReason reason_of(arch::x86_64::HardwarePoint type) {
  switch (type) {
  case arch::x86_64::HardwarePoint::Breakpoint:
    return rsp::StopReason::HwBreak;
  case arch::x86_64::HardwarePoint::Write:
    return rsp::StopReason::Watch;
  case arch::x86_64::HardwarePoint::Read:
    return rsp::StopReason::ReadWatch;
  case arch::x86_64::HardwarePoint::Access:
    return rsp::StopReason::AccessWatch;
  }
  return rsp::StopReason::None;
}

} // namespace

Result<void> Process::insert_hardware_point(arch::x86_64::HardwarePoint type, std::uint64_t addr,
                                            std::uint64_t len) {
  if (!debug_registers_.insert(type, addr, len))
    return rsp::fail(std::errc::no_space_on_device); // four slots, all taken (or bad length)
  sync_stopped_debug_registers();
  return {};
}

Result<void> Process::remove_hardware_point(arch::x86_64::HardwarePoint type, std::uint64_t addr,
                                            std::uint64_t len) {
  if (!debug_registers_.remove(type, addr, len))
    return rsp::fail(std::errc::invalid_argument);
  sync_stopped_debug_registers();
  return {};
}

// Stopped threads at once (gdb may read them, or step one, next); running ones (non-stop)
// before they next run.
void Process::sync_stopped_debug_registers() {
  for (auto &[tid, t] : threads_)
    if (t.state == ThreadState::Stopped)
      (void)sync_debug_registers(t);
}

Result<void> Process::sync_debug_registers(Thread &thread) {
  if (thread.debug_generation == debug_registers_.generation())
    return {};
  // DR7 off first: no half-written slot is ever enabled.
  if (auto r = tracer_.set_debug_register(thread.tid, dr7, 0); !r)
    return r;
  if (debug_registers_.any()) {
    for (int slot = 0; slot < arch::x86_64::DebugRegisters::slots; ++slot)
      if (auto r = tracer_.set_debug_register(thread.tid, slot, debug_registers_.address(slot)); !r)
        return r;
    if (auto r = tracer_.set_debug_register(thread.tid, dr7, debug_registers_.dr7()); !r)
      return r;
  }
  thread.debug_generation = debug_registers_.generation();
  return {};
}

std::optional<PendingStop> Process::hardware_point_hit(Thread &thread, const siginfo_t *info) {
  if (!debug_registers_.any())
    return std::nullopt;
  auto status = tracer_.get_debug_register(thread.tid, dr6);
  if (!status)
    return std::nullopt;
  auto hit = debug_registers_.hit(*status);
  if (*status & arch::x86_64::DebugRegisters::dr6_hit_bits)
    (void)tracer_.set_debug_register(thread.tid, dr6, 0);
  // An int3's trap: any hit bits are stale (a hit is its own trap, before the next
  // instruction), cleared above and not reported.
  if (!hit || (info && info->si_code == SI_KERNEL))
    return std::nullopt;
  STUB_LOG(Event, "thread {}: debug register hit at {:#x} (DR6 {:#x})", thread.tid, hit->address,
           *status);
  PendingStop stop{SIGTRAP, reason_of(hit->type)};
  if (hit->type != arch::x86_64::HardwarePoint::Breakpoint)
    stop.data_address = hit->address;
  return stop;
}

} // namespace stub
