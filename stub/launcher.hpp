#pragma once
// Start a program under ptrace: fork, PTRACE_SEIZE the child while it waits on a pipe,
// then let it exec; the exec event is its first stop.
#include "rsp/result.hpp"
#include "stub/tracer.hpp"

#include <string>
#include <sys/types.h>
#include <vector>

namespace stub {

struct LaunchOptions {
  std::vector<std::string> argv; // argv[0] is the program
  bool disable_randomization = true; // gdbserver's default
  bool stdio_connection = false;      // gdb talks on our stdout: the program writes to stderr
};

struct Launched {
  pid_t pid = 0;
};

// On failure the error message says what went wrong ("Cannot exec PROG: reason").
tl::expected<Launched, std::string> launch(Tracer &tracer, const LaunchOptions &options);

} // namespace stub
