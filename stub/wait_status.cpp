#include "stub/wait_status.hpp"

#include <csignal>
#include <sys/ptrace.h>
#include <sys/wait.h>

namespace stub {

WaitEvent decode_wait_status(int status) {
  if (WIFEXITED(status))
    return Exited{WEXITSTATUS(status)};
  if (WIFSIGNALED(status))
    return Signaled{WTERMSIG(status)};
  int sig = WSTOPSIG(status);
  int event = (status >> 16) & 0xff;
  if (event != 0)
    return EventStop{event, sig};
  if (sig == (SIGTRAP | 0x80))
    return SyscallStop{};
  return SignalStop{sig};
}

static const char *event_name(int event) {
  switch (event) {
  case PTRACE_EVENT_CLONE:
    return "clone";
  case PTRACE_EVENT_EXEC:
    return "exec";
  case PTRACE_EVENT_EXIT:
    return "exit";
  case PTRACE_EVENT_FORK:
    return "fork";
  case PTRACE_EVENT_VFORK:
    return "vfork";
  case PTRACE_EVENT_VFORK_DONE:
    return "vfork-done";
  case PTRACE_EVENT_STOP:
    return "stop";
  default:
    return "event?";
  }
}

std::string describe(const WaitEvent &event) {
  struct Visitor {
    std::string operator()(const Exited &e) { return fmt::format("exited({})", e.code); }
    std::string operator()(const Signaled &e) { return fmt::format("signaled({})", e.signal); }
    std::string operator()(const SignalStop &e) { return fmt::format("signal-stop({})", e.signal); }
    std::string operator()(const EventStop &e) {
      return fmt::format("event-stop({}, sig {})", event_name(e.event), e.signal);
    }
    std::string operator()(const SyscallStop &) { return "syscall-stop"; }
  };
  return std::visit(Visitor{}, event);
}

bool signal_is_asynchronous(int signal, int si_code) {
  switch (signal) {
  case SIGSEGV:
  case SIGBUS:
  case SIGILL:
  case SIGFPE:
  case SIGTRAP:
  case SIGSYS:
    return si_code <= 0;
  case SIGSTOP:
  case SIGTSTP:
  case SIGTTIN:
  case SIGTTOU:
    return false;
  default:
    return true;
  }
}

} // namespace stub
