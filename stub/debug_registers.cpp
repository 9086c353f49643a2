#include "stub/debug_registers.hpp"

#include <csignal>
#include <cstddef>
#include <cstdlib>
#include <string_view>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

namespace stub {
namespace {

volatile int watched_by_the_check;

bool run_check() {
  pid_t child = fork();
  if (child < 0)
    return false;
  if (child == 0) { // stop for the parent, write the watched int, leave
    ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
    raise(SIGSTOP);
    watched_by_the_check = 1;
    _exit(0);
  }
  int status = 0;
  bool fired = false;
  if (waitpid(child, &status, 0) == child && WIFSTOPPED(status)) {
    // DR0 = the int's address (the same in the forked child); DR7: L0 enabled, write-only
    // (RW0 = 01), 4 bytes (LEN0 = 11).
    auto dr = [](int i) { return offsetof(struct user, u_debugreg) + i * sizeof(long); };
    unsigned long dr7 = 0x1ul | (0x1ul << 16) | (0x3ul << 18);
    bool set =
        ptrace(PTRACE_POKEUSER, child, dr(0), const_cast<int *>(&watched_by_the_check)) == 0 &&
        ptrace(PTRACE_POKEUSER, child, dr(7), dr7) == 0;
    if (set && ptrace(PTRACE_CONT, child, nullptr, nullptr) == 0 &&
        waitpid(child, &status, 0) == child)
      fired = WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP;
  }
  kill(child, SIGKILL);
  while (waitpid(child, &status, 0) == child && !WIFEXITED(status) && !WIFSIGNALED(status)) {
  }
  return fired;
}

} // namespace

bool debug_registers_fire() {
  static const bool fired = run_check();
  return fired;
}

bool use_debug_registers() {
  const char *choice = std::getenv("STUBBORN_DEBUG_REGISTERS");
  std::string_view said = choice ? choice : "";
  if (said == "on")
    return true;
  if (said == "off")
    return false;
  return debug_registers_fire();
}

} // namespace stub
