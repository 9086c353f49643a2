#pragma once
// One traced process: its thread table, the all-stop machine, memory and breakpoints.
//
// All-stop, as gdb expects it: the first reportable stop becomes the report; every other
// running thread is interrupted; the report goes out once no thread is Running or
// Stopping. Stops found meanwhile stay pending on their thread and are reported, one per
// resume, before anything runs again — no breakpoint hit is lost or reported twice.
//
// Non-stop: each thread's reportable stop is reported as it happens (in order), and only
// that thread stops; gdb resumes and stops (vCont;t) threads one by one.
#include "arch/arch.hpp"
#include "arch/x86_64_debug_registers.hpp"
#include "arch/x86_64_insn.hpp"
#include "rsp/stop_event.hpp"
#include "rsp/target.hpp"
#include "stub/breakpoint_actions.hpp"
#include "stub/breakpoints.hpp"
#include "stub/fork_children.hpp"
#include "stub/jump_pads.hpp"
#include "stub/memory.hpp"
#include "stub/thread_table.hpp"
#include "stub/tracer.hpp"
#include "stub/watchpoints.hpp"

#include <array>
#include <bitset>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>

namespace stub {

// x86-64 `syscall`, `int 0x80` or `sysenter`: an instruction that may block in the kernel.
bool is_system_call(std::span<const std::uint8_t> code);

// The stop replies gdb takes beyond T/S/W/X.
struct StopReplies {
  bool thread_events = false; // QThreadEvents:1: `T05create` for a new thread, `w` at exit
  bool no_resumed = false;    // `N`: no-resumed+
  bool fork_events = false;   // fork-events+: a fork child becomes a process gdb debugs
  bool vfork_events = false;  // vfork-events+: the same for vfork, and `vforkdone`
};

// QCatchSyscalls: which system calls stop (entry and return) while the thread runs.
struct SyscallCatch {
  bool enabled = false;
  std::set<int> numbers; // empty: every system call
  bool catches(int number) const {
    return enabled && (numbers.empty() || numbers.count(number) != 0);
  }
};

class Process;

// What a Process needs from whoever holds every traced process (the Inferior).
class ProcessOwner {
public:
  virtual ~ProcessOwner() = default;
  // A wait status taken while a process waited, for whichever process it belongs to.
  virtual void route(pid_t tid, int status) = 0;
  // gdb follows forks: the child (its first stop seen, or waited for now) becomes a process
  // of its own, stopped. False: the child died before its first stop.
  virtual bool adopt_child(Process &parent, pid_t child, bool vfork) = 0;
};

class Process {
public:
  // Forks are traced so that no child ever runs with our breakpoints in its memory.
  static constexpr unsigned long base_options =
      0x1 /*TRACESYSGOOD*/ | 0x2 /*TRACEFORK*/ | 0x4 /*TRACEVFORK*/ | 0x8 /*TRACECLONE*/ |
      0x10 /*TRACEEXEC*/ | 0x20 /*TRACEVFORKDONE*/ | 0x40 /*TRACEEXIT*/;

  Process(Tracer &tracer, const arch::ArchInfo &arch, pid_t pid, bool attached);
  // Without an owner a process is alone: fork children are never followed.
  void set_owner(ProcessOwner *owner, ForkChildren *children) {
    owner_ = owner;
    children_ = children;
  }

  pid_t pid() const { return pid_; }
  bool attached() const { return attached_; }
  bool gone() const { return gone_; }
  // Over, but gdb has not been told (W/X held until it next resumes): still gdb's process.
  bool end_untold() const { return gone_ && exit_report_.has_value(); }
  // Over (or detached), and nothing about it left to tell gdb.
  bool finished() const { return gone_ && !exit_report_ && !ready_; }
  ThreadTable &threads() { return threads_; }
  SoftwareBreakpoints &breakpoints() { return breakpoints_; }
  BreakpointActionTable &breakpoint_actions() { return actions_; }
  // gdb's Z0 conditions and commands for the breakpoint at `addr`; a breakpoint whose
  // conditions the program can evaluate itself gets a jump pad instead of its int3.
  void set_breakpoint_actions(std::uint64_t addr, rsp::BreakpointActions actions);
  Result<void> insert_software_breakpoint(std::uint64_t addr);
  Result<void> remove_software_breakpoint(std::uint64_t addr);
  // Off: every breakpoint is an int3, conditions evaluated in the stub (monitor jump-pads).
  void set_jump_pads(bool on) { jump_pads_enabled_ = on; }
  bool jump_pads() const { return jump_pads_enabled_; }
  EmulatedWatchpoints &watchpoints() { return watches_; }
  // A watchpoint or hardware breakpoint came or went: breakpoint sites get pads or int3s
  // again, and threads running meanwhile (non-stop) are stopped and resumed at once, so
  // that they run with the new debug registers, or under the emulation.
  void points_changed();
  // Z1-Z4 in the debug registers of every thread (process_debug_registers.cpp); only where
  // they fire. Inserting fails when the four slots cannot hold the point.
  Result<void> insert_hardware_point(arch::x86_64::HardwarePoint type, std::uint64_t addr,
                                     std::uint64_t len);
  Result<void> remove_hardware_point(arch::x86_64::HardwarePoint type, std::uint64_t addr,
                                     std::uint64_t len);
  const arch::ArchInfo &arch() const { return arch_; }

  // The launcher hands over the first stop (the leader, already stopped).
  void adopt_initial_stop(pid_t tid, int host_signal);
  // The attacher hands over threads it seized and interrupted; their stops are to come.
  void adopt_attached_threads(const std::vector<pid_t> &tids);
  // A fork child gdb follows, in its first stop: a copy of the parent's breakpoints is in
  // its memory (none for a vfork child: it shares the parent's).
  void adopt_fork_child(const Process &parent, bool vfork);
  // A followed fork child gdb has not heard of yet (its parent's fork stop is still to be
  // reported): not listed, not resumed, and detached or killed with its parent.
  bool unannounced() const { return unannounced_; }
  void set_announced() { unannounced_ = false; }
  // Until gdb addresses a fork child (Hg, or a vCont action naming its pid) a wildcard
  // resume leaves it alone: in non-stop, gdb may resume "all" before it has taken the fork
  // notification that tells it of the child.
  bool addressed() const { return addressed_; }
  void set_addressed() { addressed_ = true; }
  pid_t parent_pid() const { return parent_pid_; }
  // A fork child gdb does not follow goes free, without our breakpoints.
  void release_fork_child(pid_t child, bool vfork);

  // --- the event funnel feeds every wait status of our threads here ------------------
  void on_wait(pid_t tid, int status);
  // The next report for gdb, when one is ready (all threads stopped, or the process ended).
  std::optional<rsp::StopEvent> take_report();
  const rsp::StopEvent &last_report() const { return last_report_; }
  // Every thread has stopped and take_report() will pick what to report.
  bool report_due() const { return stop_complete_; }

  // --- control -----------------------------------------------------------------------
  Result<void> resume(std::span<const rsp::ResumeAction> actions);
  void interrupt();
  // kill() sends SIGKILL and lets every thread die; the caller drains the funnel until
  // gone(). detach() lets go of every thread, leaving the process running unharmed.
  Result<void> kill();
  Result<void> detach();
  void set_pass_signals(const std::bitset<65> &host_signals) {
    pass_ = host_signals;
    if (host_signals.any()) // gdb empties the list only for a step over a breakpoint
      quiet_ = host_signals;
  }
  void set_stop_replies(StopReplies replies) { replies_ = replies; }
  void set_catch_syscalls(SyscallCatch catching) { catch_ = std::move(catching); }
  // all-stop: gdb has resumed it and waits for a stop.
  bool running_for_gdb() const { return gdb_running_; }
  // Interrupts every running thread and waits until none runs; what they stop for stays
  // pending (another process's stop is reported; gdb sees everything stopped).
  void stop_everything_now();
  // Fails while gdb waits for an all-stop report. Leaving non-stop stops every thread.
  Result<void> set_non_stop(bool on);
  bool non_stop() const { return non_stop_; }
  // For `?` in non-stop: each thread gdb sees stopped, with its last stop.
  std::vector<rsp::StopEvent> stopped_for_gdb();

  // --- registers and memory (stopped threads only) ------------------------------------
  Result<Thread *> stopped_thread(pid_t tid);
  Result<arch::RegisterBlocks *> fetch_registers(Thread &thread, bool want_fpx);
  // Blocking waits on any child (never on one tid), each status recorded as usual, until
  // `done()` holds, the process is gone, or nothing is left to wait for.
  void wait_until(const std::function<bool()> &done);
  // The same, until no thread is Running or Stopping (every interrupt has landed).
  void wait_until_none_moving() {
    wait_until([this] { return threads_.count_moving() == 0; });
  }
  // For gdb's requests: a thread woken from its stop to die is read in its exit stop.
  Result<arch::RegisterBlocks *> registers_for_gdb(pid_t tid, bool want_xsave);
  Result<std::uint64_t> read_pc(Thread &thread);
  // Register `regnum` (gdb's numbering, at most 64 bits) as an integer.
  Result<std::uint64_t> read_register_value(Thread &thread, int regnum);
  Result<void> write_pc(Thread &thread, std::uint64_t pc);
  Result<std::size_t> read_memory(std::uint64_t addr, std::span<std::uint8_t> out);
  Result<void> write_memory(std::uint64_t addr, std::span<const std::uint8_t> in);

private:
  // events
  void on_thread_gone(Thread &thread, int status);
  void on_event_stop(Thread &thread, int event, int signal);
  void on_signal_stop(Thread &thread, int signal);
  void on_clone(Thread &parent);
  void on_exec(Thread &thread);
  void on_fork(Thread &parent, bool vfork);
  void on_vfork_done(Thread &parent);
  void on_syscall_stop(Thread &thread);
  // A wait status taken here: ours, or (through the owner) another process's.
  void deliver(pid_t tid, int status);
  void on_exit_stop(Thread &thread);
  PendingStop classify_sigtrap(Thread &thread, const std::optional<siginfo_t> &info);
  bool defer_signal_over_step(Thread &thread, int signal);
  void note_interrupted(Thread &thread);
  void record_report(Thread &thread, PendingStop stop,
                     const std::optional<siginfo_t> &info = std::nullopt);
  bool still_in_stop(Thread &thread);
  Thread *choose_reporter();
  void stop_all();
  // PTRACE_INTERRUPT a running thread: Stopping, or Exiting on ESRCH.
  void interrupt_thread(Thread &thread, std::string_view why);
  void maybe_finish_stop_all();
  void keep_going(Thread &thread);
  bool nothing_resumed_left();
  // Whether a thread that stopped for our own reasons goes on running now.
  bool should_run(const Thread &thread) const;
  void carry_on(Thread &thread, int deliver = 0);
  void answer_stop_request(Thread &thread);
  std::optional<rsp::StopEvent> take_non_stop_report();
  std::optional<rsp::StopEvent> take_thread_exit(); // the oldest `w` not yet reported
  Result<void> resume_non_stop(std::span<const rsp::ResumeAction> actions);

  // A hit of a breakpoint with target-side actions: true if settled in the stub (the
  // thread went on, or stopped for something else gdb will hear of).
  bool settle_hit_in_stub(Thread &thread);
  bool step_past_breakpoint(Thread &thread, std::uint64_t addr);
  // Every running thread stopped (quietly) and held; then those that should run, resumed.
  void hold_running_threads(std::string_view why);
  void release_held_threads();
  void refresh_breakpoint_forms(); // pads or int3s again, after watchpoints came or went
  void step_one_past(pid_t tid, std::uint64_t addr);

  // Emulated write watchpoints: while any is set, threads gdb continues are single-stepped
  // by the stub one at a time (a thread at a system call may block: it steps on its own),
  // and the watched bytes compared after each instruction.
  bool watch_after_step(Thread &thread, bool scheduled, bool may_have_stored = true);
  // The emulation's compare: a change of watched bytes, as the stop to report.
  std::optional<PendingStop> emulated_watch_hit();
  void pump_watch_queue();
  bool may_block(Thread &thread);
  bool system_call_at(std::uint64_t addr); // the instruction there (our int3s hidden)

  // Debug registers (process_debug_registers.cpp).
  void sync_stopped_debug_registers();
  Result<void> sync_debug_registers(Thread &thread);
  // Reads and clears DR6 after a SIGTRAP (`info`: its siginfo, if known).
  std::optional<PendingStop> hardware_point_hit(Thread &thread, const siginfo_t *info);
  // Watchpoints of any kind are set: sites keep int3s, no jump pads (a pad's copy of an
  // instruction would store unseen by the emulation, or trap at an address gdb never saw).
  bool watching() const { return watches_.any() || debug_registers_.any_watch(); }

  // Jump pads (process_jump_pads.cpp).
  void choose_breakpoint_form(std::uint64_t addr);
  // After an instruction stepped inside the stub: a watchpoint it hit (debug registers, or
  // the emulation's compare), as the stop to report.
  std::optional<PendingStop> watch_hit_after_step(Thread &thread, const siginfo_t *info);
  void demote_pads_under(std::uint64_t addr, std::size_t length);
  std::optional<std::uint64_t> map_pad_memory(std::uint64_t hint, std::size_t length);
  bool on_pad_stop(Thread &thread, int signal, const siginfo_t *info);
  void report_pad_hit(Thread &thread, const PadInfo &pad);
  bool leave_pad(Thread &thread);
  bool stepping_pushf(Thread &thread);
  void clear_pushed_trap_flag(Thread &thread);
  void clear_trap_flag(Thread &thread);

  // vCont;r ranges run free between breakpoints of ours (process_range_run.cpp).
  struct RangeRun {
    std::uint64_t begin = 0, end = 0;
    std::vector<std::uint64_t> traps;
  };
  bool start_range_run(Thread &thread);
  void end_range_run(pid_t tid);
  void claim_range_trap(std::uint64_t addr); // gdb inserted its own breakpoint there
  void forget_range_runs();
  bool on_range_trap(Thread &thread, const siginfo_t &info);
  // Watched threads run free up to the next instruction that may store (process_watch_run.cpp).
  std::vector<std::uint64_t> watch_stop_points(std::uint64_t pc); // remembered
  std::vector<std::uint64_t> find_watch_stop_points(std::uint64_t pc);
  bool start_watch_run(Thread &thread);
  std::uint64_t store_misses_watches(Thread &thread, std::uint64_t pc); // its length, or 0
  bool on_watch_run_trap(Thread &thread, const siginfo_t &info);
  bool store_for_program(Thread &thread, std::uint64_t at); // a plain mov, done by the stub
  // Code as the program has it (our int3s hidden) and its decoding, remembered as the stop
  // points are; nullptr where nothing is readable.
  struct DecodedCode {
    std::array<std::uint8_t, 16> bytes{};
    std::size_t size = 0;
    std::optional<arch::x86_64::Instruction> instruction;
  };
  const DecodedCode *code_at(std::uint64_t addr);
  void forget_decoded_code(); // gdb wrote memory, or the program exec'd

  // control helpers
  void set_range(Thread &thread, const rsp::ResumeAction &action);
  // vCont;r: a finished step still inside its range steps again, without telling gdb.
  bool step_on_in_range(Thread &thread, const siginfo_t &info);
  bool in_range(Thread &thread); // its PC is inside its vCont;r range
  void step_through_range(pid_t tid);
  Result<void> run(Thread &thread, rsp::ResumeKind kind, int host_signal);
  // gdb's step over a breakpoint: a step with no signal passed (see defer_signal_over_step).
  bool step_over(rsp::ResumeKind kind) const;
  void raise_deferred_signals(Thread &thread);
  Result<void> flush_registers(Thread &thread);
  void release_exit_stop(Thread &thread);
  bool pending_still_valid(Thread &thread);
  rsp::StopEvent make_report(Thread &thread, const PendingStop &stop);

  Tracer &tracer_;
  const arch::ArchInfo &arch_;
  pid_t pid_;
  bool attached_;
  bool gone_ = false;
  ThreadTable threads_;
  ProcessMemory memory_;
  SoftwareBreakpoints breakpoints_;
  BreakpointActionTable actions_;
  EmulatedWatchpoints watches_{breakpoints_};
  arch::x86_64::DebugRegisters debug_registers_;
  std::map<std::uint64_t, std::vector<std::uint64_t>> watch_stops_; // PC -> its stop points
  std::map<std::uint64_t, DecodedCode> decoded_code_;
  JumpPads pads_;
  std::map<pid_t, RangeRun> range_runs_;
  std::map<std::uint64_t, std::set<pid_t>> range_trap_owners_; // our breakpoints, not gdb's
  bool jump_pads_enabled_ = true;
  std::set<std::uint64_t> failed_pad_sites_; // no pad there: the int3 stays
  std::deque<pid_t> watch_queue_;            // threads waiting for their next watched step
  std::optional<pid_t> watch_in_flight_;     // the one stepping now (not at a system call)
  std::bitset<65> pass_;
  std::bitset<65> quiet_; // the last non-empty pass list: signals gdb never wants to see
  StopReplies replies_;
  SyscallCatch catch_;
  std::set<pid_t> reaped_; // non-leader tids reaped before their clone event arrived
  ProcessOwner *owner_ = nullptr;
  ForkChildren own_children_;
  ForkChildren *children_ = &own_children_;
  bool forked_ = false; // a fork child: its memory may hold int3s of the parent's past
  bool unannounced_ = false;
  bool addressed_ = true; // false for a fork child gdb has not addressed yet
  pid_t parent_pid_ = 0;

  bool non_stop_ = false;
  std::deque<pid_t> non_stop_reports_; // threads whose stop is to be reported, in order
  bool gdb_running_ = false;           // all-stop: gdb has resumed us and waits for a stop reply
  bool stopping_all_ = false;          // a report is chosen; waiting for the others to stop
  bool stop_complete_ = false;         // everything stopped: take_report() picks what to report
  bool interrupt_requested_ = false;   // ^C: report SIGINT if nothing else stops us
  bool killing_ = false;               // SIGKILL sent: let every thread die, report nothing
  bool stepping_here_ = false;         // step_through_range() is running: it makes the next step
  bool step_due_ = false;              // the last trap said: step again
  int orig_rax_regnum_ = -1, rax_regnum_ = -1; // for may_block()
  bool pausing_ = false; // every thread held while one steps past a breakpoint in the stub
  std::deque<std::pair<pid_t, std::uint64_t>> step_past_queue_; // (thread, breakpoint)
  std::optional<pid_t> report_tid_;           // the thread whose stop becomes the report
  std::optional<rsp::StopEvent> exit_report_; // W/X, held until gdb waits for it
  std::optional<rsp::StopEvent> ready_;
  std::deque<rsp::StopEvent> thread_exits_; // `w` reports, oldest first
  rsp::StopEvent last_report_;
};

} // namespace stub
