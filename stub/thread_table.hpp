#pragma once
// One entry per traced thread, each in exactly one state. Every transition is logged on
// the `event` channel, so a transcript of a race shows what each thread went through.
#include "arch/arch.hpp"
#include "rsp/stop_event.hpp"
#include "rsp/target.hpp"

#include <fmt/core.h>

#include <bitset>
#include <map>
#include <optional>
#include <sys/types.h>

namespace stub {

enum class ThreadState {
  Running,  // resumed by us; no stop seen since
  Stopping, // expected to stop on its own: we sent PTRACE_INTERRUPT, or a new clone child
            // whose first stop has not arrived yet
  Stopped,  // in a ptrace-stop we have observed
  Exiting,  // seen PTRACE_EVENT_EXIT, or ESRCH after a stop we observed; its exit status
            // is still to come. Never counts as running, never blocks stop-all.
};

const char *to_string(ThreadState state);

// A stop gdb has not been told about yet (host signal numbers).
struct PendingStop {
  int host_signal = 0;
  rsp::StopReason reason = rsp::StopReason::None;
  // The siginfo of that stop, to tell later whether the thread is still in it.
  int si_signo = 0;
  int si_code = 0;
  std::uint64_t data_address = 0; // a watchpoint's: the address written
  pid_t child = 0;                // fork/vfork: the child process
  int syscall = -1;               // syscall entry/return: its number
};

// The register blocks of a stopped thread, each fetched when a request first needs it (a
// general register never costs the XSAVE block) and written back before the thread runs
// again, only if changed.
struct RegisterCache {
  arch::RegisterBlocks blocks;
  bool gpr_valid = false, xsave_valid = false;
  bool gpr_dirty = false, xsave_dirty = false;
  void mark_dirty(arch::RegBlock block) {
    (block == arch::RegBlock::Gpr ? gpr_dirty : xsave_dirty) = true;
  }
  void invalidate() { gpr_valid = xsave_valid = gpr_dirty = xsave_dirty = false; }
};

struct Thread {
  pid_t tid = 0;
  ThreadState state = ThreadState::Stopping;
  bool first_stop_due = false;        // a new thread whose initial stop has not come yet
  bool in_exit_stop = false;          // held in PTRACE_EVENT_EXIT: must be resumed to finish dying
  std::optional<PendingStop> pending; // reportable stop not yet reported
  rsp::ResumeKind last_resume = rsp::ResumeKind::Continue;
  std::uint64_t range_begin = 0, range_end = 0; // vCont;r: stepped in the stub while inside
  bool resume_requested = false;                // gdb's last resume included this thread
  bool stop_requested = false;                  // non-stop: gdb asked it to stop (vCont;t)
  bool stop_told = false;                       // non-stop: gdb has been told of its current stop
  int last_signal = 0;                          // host signal of its last reported stop (for `?`)
  int queued_signal = 0;                        // host signal to deliver when it next runs
  bool discard_queued_sigtrap = false;          // its breakpoint SIGTRAP was accounted for already
  bool in_signal_stop = false;      // stopped at a signal-delivery-stop (a signal can be injected)
  int sent_signal = 0;              // sent with tgkill to deliver at its signal-delivery-stop
  std::bitset<65> deferred_signals; // held over a step-over; raised again when it next runs
  // Holds `signal` for when it next runs; false for a number the set cannot hold.
  bool hold_signal(int signal) {
    if (signal <= 0 || static_cast<std::size_t>(signal) >= deferred_signals.size())
      return false;
    deferred_signals.set(static_cast<std::size_t>(signal));
    return true;
  }
  bool stepping_past = false; // the stub steps it past a breakpoint (others held)
  int step_past_signal = 0;   // what that step stopped with (host signal)
  bool watch_step = false;    // stepped by the stub because write watchpoints are set
  bool in_syscall = false;    // its last syscall-stop was an entry (when the kernel can't say)
  int watch_signal = 0;       // host signal to deliver when its watched turn comes
  std::uint64_t debug_generation = 0; // the process's debug registers it has (0: none set)
  RegisterCache regs;
};

class ThreadTable {
public:
  Thread &add(pid_t tid, ThreadState state, std::string_view why);
  Thread *find(pid_t tid);
  void remove(pid_t tid, std::string_view why);
  void clear() { threads_.clear(); }
  void set_state(Thread &thread, ThreadState state, std::string_view why);

  // Running or Stopping: what stop-all still waits for.
  std::size_t count_moving() const;
  bool all_stopped_but(pid_t tid) const; // every other thread is Stopped
  std::size_t size() const { return threads_.size(); }
  bool empty() const { return threads_.empty(); }

  auto begin() { return threads_.begin(); }
  auto end() { return threads_.end(); }
  auto begin() const { return threads_.begin(); }
  auto end() const { return threads_.end(); }

private:
  std::map<pid_t, Thread> threads_;
};

} // namespace stub
