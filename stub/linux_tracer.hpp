#pragma once
#include "stub/tracer.hpp"

namespace stub {

// The real thing: each call is one syscall, logged on the `ptrace` channel.
class LinuxTracer final : public Tracer {
public:
  Result<void> seize(pid_t tid, unsigned long options) override;
  Result<void> interrupt(pid_t tid) override;
  Result<void> cont(pid_t tid, int host_signal) override;
  Result<void> step(pid_t tid, int host_signal) override;
  Result<void> to_syscall(pid_t tid, int host_signal) override;
  Result<void> listen(pid_t tid) override;
  Result<void> detach(pid_t tid, int host_signal) override;
  Result<unsigned long> event_message(pid_t tid) override;
  Result<siginfo_t> siginfo(pid_t tid) override;
  Result<void> set_siginfo(pid_t tid, const siginfo_t &info) override;
  Result<bool> at_syscall_entry(pid_t tid) override;
  Result<std::uint64_t> get_debug_register(pid_t tid, int index) override;
  Result<void> set_debug_register(pid_t tid, int index, std::uint64_t value) override;
  Result<bool> signal_queued(pid_t tid, int signo, int code) override;
  Result<void> get_gpr(pid_t tid, std::span<std::uint8_t> out) override;
  Result<void> set_gpr(pid_t tid, std::span<const std::uint8_t> in) override;
  Result<void> get_fpx(pid_t tid, std::span<std::uint8_t> out) override;
  Result<void> set_fpx(pid_t tid, std::span<const std::uint8_t> in) override;
  Result<std::size_t> get_xstate(pid_t tid, std::span<std::uint8_t> out) override;
  Result<void> set_xstate(pid_t tid, std::span<const std::uint8_t> in) override;
  Result<std::optional<WaitResult>> wait_any(bool block) override;
  Result<std::optional<WaitResult>> wait_thread(pid_t tid) override;
  Result<void> kill_thread(pid_t pid, pid_t tid, int host_signal) override;
  Result<void> kill_process(pid_t pid, int host_signal) override;
  Result<bool> is_zombie(pid_t pid, pid_t tid) override;
  bool in_thread_group(pid_t pid, pid_t tid) override;
};

} // namespace stub
