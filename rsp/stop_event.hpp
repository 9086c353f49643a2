#pragma once
#include "rsp/thread_id.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace rsp {

enum class StopKind {
  Signal,       // T/S reply: a thread stopped with `signal`
  Exited,       // W reply: process `thread.pid` exited with `exit_code`
  Terminated,   // X reply: process `thread.pid` killed by `signal`
  ThreadExited, // w reply (only when gdb enabled QThreadEvents)
  NoResumed,    // N reply: nothing left running to wait for
};

// Why a Signal stop happened, beyond its signal (the "reason" pairs of a T reply).
enum class StopReason {
  None,
  SwBreak,       // swbreak:;
  HwBreak,       // hwbreak:;
  Watch,         // watch:ADDR;
  ReadWatch,     // rwatch:ADDR;
  AccessWatch,   // awatch:ADDR;
  Fork,          // fork:CHILD;
  VFork,         // vfork:CHILD;
  VForkDone,     // vforkdone:;
  Exec,          // exec:HEXPATH;
  SyscallEntry,  // syscall_entry:N;
  SyscallReturn, // syscall_return:N;
  ThreadCreated, // create:;
};

struct ExpeditedRegister {
  int regnum = 0;
  std::vector<std::uint8_t> bytes; // target byte order, gdb's register size
};

// What the target reports when it stops (all-stop: once every thread has stopped).
// Signals are gdb's signal numbers (GDB_SIGNAL_*), never the host's.
struct StopEvent {
  StopKind kind = StopKind::Signal;
  ThreadId thread{}; // the thread that stopped / exited; pid for W and X
  int signal = 0;    // Signal and Terminated
  int exit_code = 0; // Exited and ThreadExited
  StopReason reason = StopReason::None;
  std::uint64_t address = 0;                // watchpoint data address
  ThreadId child{};                         // Fork / VFork
  std::string exec_path;                    // Exec
  int syscall = 0;                          // SyscallEntry / SyscallReturn
  int core = -1;                            // core:N; when >= 0
  std::vector<ExpeditedRegister> registers; // expedited in the T reply
};

} // namespace rsp
