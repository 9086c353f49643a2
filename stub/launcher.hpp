#pragma once
// Start a program under ptrace: fork, PTRACE_SEIZE the child while it waits on a pipe,
// then let it exec (through the shell and a wrapper when asked, as gdbserver does); the
// last exec, run to its syscall exit, is the program's first stop.
#include "rsp/result.hpp"
#include "rsp/target.hpp"
#include "stub/tracer.hpp"

#include <string>
#include <sys/types.h>
#include <vector>

namespace stub {

struct LaunchOptions {
  std::vector<std::string> argv;                   // argv[0] is the program
  std::vector<std::string> wrapper;                // --wrapper: runs the program (it must exec it)
  std::vector<rsp::EnvironmentChange> environment; // applied to our own environment
  std::string working_directory;                   // empty: ours
  bool startup_with_shell = true;    // gdbserver's default: $SHELL -c "exec PROG ARGS"
  bool disable_randomization = true; // gdbserver's default
  bool stdio_connection = false;     // gdb talks on our stdout: the program writes to stderr
};

struct Launched {
  pid_t pid = 0;
};

// On failure the error message says what went wrong, in gdbserver's words where it has them.
tl::expected<Launched, std::string> launch(Tracer &tracer, const LaunchOptions &options);

// The shell command line that execs `argv` with every argument kept literally.
std::string shell_command(const std::vector<std::string> &argv);

} // namespace stub
