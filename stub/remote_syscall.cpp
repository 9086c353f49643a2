#include "stub/remote_syscall.hpp"

#include "stub/log.hpp"
#include "stub/wait_status.hpp"

#include <cstring>
#include <sys/user.h>

namespace stub {
namespace {

Result<user_regs_struct> get_regs(Tracer &tracer, pid_t tid) {
  user_regs_struct regs{};
  auto bytes = std::span(reinterpret_cast<std::uint8_t *>(&regs), sizeof regs);
  if (auto r = tracer.get_gpr(tid, bytes); !r)
    return rsp::fail(r.error());
  return regs;
}

Result<void> set_regs(Tracer &tracer, pid_t tid, const user_regs_struct &regs) {
  return tracer.set_gpr(tid, std::span(reinterpret_cast<const std::uint8_t *>(&regs), sizeof regs));
}

} // namespace

RemoteSyscallOutcome run_remote_syscall(Tracer &tracer, ProcessMemory &memory, pid_t tid,
                                        long number, const std::array<std::uint64_t, 6> &args) {
  RemoteSyscallOutcome outcome;
  auto saved = get_regs(tracer, tid);
  if (!saved)
    return outcome;
  std::uint64_t at = saved->rip;
  std::array<std::uint8_t, 2> original{};
  if (auto n = memory.read(at, original); !n || *n != original.size())
    return outcome;
  const std::array<std::uint8_t, 2> syscall_insn{0x0f, 0x05};
  if (!memory.write(at, syscall_insn))
    return outcome;

  user_regs_struct call = *saved;
  call.rax = static_cast<std::uint64_t>(number);
  call.orig_rax = ~0ull; // no system call restart may take the thread elsewhere
  call.rdi = args[0];
  call.rsi = args[1];
  call.rdx = args[2];
  call.r10 = args[3];
  call.r8 = args[4];
  call.r9 = args[5];
  Result<void> status = set_regs(tracer, tid, call);
  bool done = false;
  // A signal that comes first stops the thread before the instruction: held, step again.
  for (int attempt = 0; status && !done && attempt < 16; ++attempt) {
    if (auto s = tracer.step(tid, 0); !s) {
      status = s;
      break;
    }
    auto w = tracer.wait_thread(tid);
    if (!w || !*w) {
      status = w ? rsp::fail(std::errc::no_such_process) : rsp::fail(w.error());
      break;
    }
    auto event = decode_wait_status((*w)->status);
    auto *signal_stop = std::get_if<SignalStop>(&event);
    if (!signal_stop && !std::holds_alternative<EventStop>(event)) {
      outcome.other_status = (*w)->status; // it died (or worse): the caller routes it
      status = rsp::fail(std::errc::no_such_process);
      break;
    }
    auto now = get_regs(tracer, tid);
    if (!now) {
      status = rsp::fail(now.error());
      break;
    }
    done = now->rip == at + syscall_insn.size();
    if (done)
      outcome.result = now->rax;
    if (signal_stop && signal_stop->signal != SIGTRAP)
      outcome.held_signals.push_back(signal_stop->signal);
  }
  if (status && !done)
    status = rsp::fail(std::errc::timed_out);
  // Put everything back, whatever happened (a dead thread makes these fail harmlessly).
  (void)memory.write(at, original);
  (void)set_regs(tracer, tid, *saved);
  if (!status)
    outcome.result.reset();
  STUB_LOG(Event, "thread {}: remote system call {} -> {:#x}", tid, number,
           outcome.result.value_or(~0ull));
  return outcome;
}

} // namespace stub
