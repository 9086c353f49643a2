#pragma once
// A raw waitpid status decoded into what happened to one thread.
#include <fmt/core.h>

#include <string>
#include <sys/types.h>
#include <variant>

namespace stub {

struct Exited {
  int code;
};
struct Signaled {
  int signal;
};
// Signal-delivery-stop: the thread is about to receive `signal`.
struct SignalStop {
  int signal;
};
// PTRACE_EVENT_* stop (clone, exec, exit, fork, vfork, vfork-done, stop).
struct EventStop {
  int event;
  int signal; // WSTOPSIG: SIGTRAP for most, the stop signal for group-stops
};
// Syscall-stop (TRACESYSGOOD: SIGTRAP | 0x80).
struct SyscallStop {};

using WaitEvent = std::variant<Exited, Signaled, SignalStop, EventStop, SyscallStop>;

WaitEvent decode_wait_status(int status);
// An exit status (Exited or Signaled): the thread is gone, not stopped.
inline bool thread_ended(const WaitEvent &event) {
  return std::holds_alternative<Exited>(event) || std::holds_alternative<Signaled>(event);
}

// Whether the instruction at the PC cannot have raised the signal: sent by kill, tgkill,
// sigqueue or a timer (si_code <= 0), or of a kind no instruction raises. Job-control
// stops are left to the kernel's group-stop.
bool signal_is_asynchronous(int signal, int si_code);
std::string describe(const WaitEvent &event);

} // namespace stub
