#pragma once
// Every ptrace/waitpid/kill call the stub makes goes through a Tracer. LinuxTracer makes
// the real calls; tests use a fake that injects ESRCH, late exits and unknown tids.
#include "rsp/result.hpp"

#include <csignal>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <sys/types.h>

namespace stub {

using rsp::Result;

struct WaitResult {
  pid_t tid = 0;
  int status = 0;
};

class Tracer {
public:
  virtual ~Tracer() = default;

  virtual Result<void> seize(pid_t tid, unsigned long options) = 0;
  virtual Result<void> interrupt(pid_t tid) = 0;
  virtual Result<void> cont(pid_t tid, int host_signal) = 0;
  virtual Result<void> step(pid_t tid, int host_signal) = 0;
  // PTRACE_SYSCALL: run to the next syscall entry or exit.
  virtual Result<void> to_syscall(pid_t tid, int host_signal) = 0;
  virtual Result<void> listen(pid_t tid) = 0;
  virtual Result<void> detach(pid_t tid, int host_signal) = 0;
  virtual Result<unsigned long> event_message(pid_t tid) = 0;
  virtual Result<siginfo_t> siginfo(pid_t tid) = 0;
  // PTRACE_SETSIGINFO: what the thread's pending signal says (gdb's $_siginfo writes).
  virtual Result<void> set_siginfo(pid_t /*tid*/, const siginfo_t & /*info*/) {
    return rsp::fail(std::errc::function_not_supported);
  }
  // Debug register `index` (0-7) of a stopped thread: PTRACE_PEEKUSER/POKEUSER of u_debugreg.
  virtual Result<std::uint64_t> get_debug_register(pid_t /*tid*/, int /*index*/) {
    return rsp::fail(std::errc::function_not_supported);
  }
  virtual Result<void> set_debug_register(pid_t /*tid*/, int /*index*/, std::uint64_t /*value*/) {
    return rsp::fail(std::errc::function_not_supported);
  }
  // In a syscall-stop: true at the entry, false at the return (PTRACE_GET_SYSCALL_INFO).
  virtual Result<bool> at_syscall_entry(pid_t /*tid*/) {
    return rsp::fail(std::errc::function_not_supported);
  }
  // Whether a signal `signo` with code `code` is queued for the thread itself (not yet
  // delivered): PTRACE_PEEKSIGINFO, which removes nothing.
  virtual Result<bool> signal_queued(pid_t tid, int signo, int code) = 0;
  virtual Result<void> get_gpr(pid_t tid, std::span<std::uint8_t> out) = 0;
  virtual Result<void> set_gpr(pid_t tid, std::span<const std::uint8_t> in) = 0;
  // The 512-byte FXSAVE area (PTRACE_GETFPREGS/SETFPREGS): x87 and SSE on CPUs without XSAVE.
  virtual Result<void> get_fpx(pid_t tid, std::span<std::uint8_t> out) = 0;
  virtual Result<void> set_fpx(pid_t tid, std::span<const std::uint8_t> in) = 0;
  // The XSAVE area in standard format (PTRACE_GETREGSET/SETREGSET, NT_X86_XSTATE). get fills
  // at most out.size() bytes and returns how many the kernel gave (its whole area when `out`
  // is big enough); set must pass exactly that many.
  virtual Result<std::size_t> get_xstate(pid_t tid, std::span<std::uint8_t> out) = 0;
  virtual Result<void> set_xstate(pid_t tid, std::span<const std::uint8_t> in) = 0;
  // waitpid(-1, __WALL | WNOHANG) (or blocking when `block`): nullopt when nothing is
  // ready; ECHILD when there is nothing left to wait for.
  virtual Result<std::optional<WaitResult>> wait_any(bool block) = 0;
  // Blocking waitpid on one thread. The default waits on any: callers take what comes.
  virtual Result<std::optional<WaitResult>> wait_thread(pid_t /*tid*/) { return wait_any(true); }
  virtual Result<void> kill_thread(pid_t pid, pid_t tid, int host_signal) = 0;
  virtual Result<void> kill_process(pid_t pid, int host_signal) = 0;
  // Whether the thread has finished dying (a zombie: a thread-group leader outliving its
  // exit stop waits so until its last sibling is gone, and no wait status says so).
  virtual Result<bool> is_zombie(pid_t pid, pid_t tid) = 0;
  // Whether `tid` is a thread of process `pid` (not, say, a fork child of it).
  virtual bool in_thread_group(pid_t pid, pid_t tid) = 0;
};

} // namespace stub
