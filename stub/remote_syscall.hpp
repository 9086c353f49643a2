#pragma once
// A system call made by a stopped thread of the program on the stub's behalf (gdb does the
// same for `call`): how the stub maps memory in the program for its jump pads.
#include "stub/memory.hpp"
#include "stub/tracer.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace stub {

struct RemoteSyscallOutcome {
  std::optional<std::uint64_t> result; // rax after the call (a -errno); nullopt: not made
  std::vector<int> held_signals;       // asynchronous signals that came meanwhile: raise them later
  std::optional<int> other_status;     // the thread stopped for something else (it died): route it
};

// Runs system call `number` in thread `tid`, which must be in a ptrace-stop outside any
// syscall-stop, and leaves it exactly as it was: registers, and the two bytes at its PC
// where the `syscall` instruction is put for the call. `memory` writes raw bytes.
RemoteSyscallOutcome run_remote_syscall(Tracer &tracer, ProcessMemory &memory, pid_t tid,
                                        long number, const std::array<std::uint64_t, 6> &args);

} // namespace stub
