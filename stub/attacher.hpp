#pragma once
// Take over a running process: PTRACE_SEIZE every thread (also threads created while we
// do it), then PTRACE_INTERRUPT each. The caller waits for their stops through the funnel.
#include "stub/tracer.hpp"

#include <string>
#include <sys/types.h>
#include <vector>

namespace stub {

// The seized and interrupted tids, leader first; or gdbserver's error message.
tl::expected<std::vector<pid_t>, std::string> seize_process(Tracer &tracer, pid_t pid);

// The tids /proc lists for `pid` right now.
std::vector<pid_t> list_threads(pid_t pid);

} // namespace stub
