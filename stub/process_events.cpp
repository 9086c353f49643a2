// The event half of the all-stop machine: what each wait status does to a thread.
#include "stub/log.hpp"
#include "stub/proc_info.hpp"
#include "stub/process.hpp"
#include "stub/support/gdb_signals.hpp"
#include "stub/wait_status.hpp"

#include <csignal>
#include <sys/ptrace.h>
#include <vector>

namespace stub {

Process::Process(Tracer &tracer, const arch::ArchInfo &arch, pid_t pid, bool attached)
    : tracer_(tracer), arch_(arch), pid_(pid), attached_(attached),
      breakpoints_(memory_, arch.breakpoint) {
  for (std::size_t regnum = 0; regnum < arch_.registers.size(); ++regnum) {
    if (arch_.registers[regnum].name == "orig_rax")
      orig_rax_regnum_ = static_cast<int>(regnum);
    if (arch_.registers[regnum].name == "rax")
      rax_regnum_ = static_cast<int>(regnum);
  }
}

void Process::adopt_initial_stop(pid_t tid, int host_signal) {
  (void)memory_.open(pid_);
  Thread &t = threads_.add(tid, ThreadState::Stopped, "initial stop");
  threads_.set_state(t, ThreadState::Stopped, "initial stop");
  last_report_ = make_report(t, PendingStop{host_signal, rsp::StopReason::None});
  if (non_stop_ && attached_) {
    // Non-stop attach: gdb takes every thread for running until it hears of its stop.
    for (auto &[other, thread] : threads_)
      if (thread.state == ThreadState::Stopped)
        record_report(thread, PendingStop{0, rsp::StopReason::None});
  }
}

void Process::adopt_attached_threads(const std::vector<pid_t> &tids) {
  (void)memory_.open(pid_);
  for (pid_t tid : tids)
    threads_.add(tid, ThreadState::Stopping, "attached, interrupted");
}

void Process::on_wait(pid_t tid, int status) {
  WaitEvent event = decode_wait_status(status);
  STUB_LOG(Event, "wait {}: {}", tid, describe(event));
  Thread *t = threads_.find(tid);
  if (!t && !thread_ended(event) && !tracer_.in_thread_group(pid_, tid)) {
    // A fork child's first stop: it leaves us once its parent's fork event is seen.
    if (auto announced = children_->first_stop(tid))
      release_fork_child(tid, announced->vfork);
    return;
  }
  if (!t) { // A clone child can report before its parent's clone event; accept any first event.
    reaped_.erase(tid); // a reused tid is a new thread
    t = &threads_.add(tid, ThreadState::Stopping, "first seen in an event");
    t->first_stop_due = true;
    t->resume_requested = non_stop_; // non-stop: gdb will see it as running
  }

  if (thread_ended(event))
    on_thread_gone(*t, status);
  else if (auto *e = std::get_if<EventStop>(&event))
    on_event_stop(*t, e->event, e->signal);
  else if (auto *s = std::get_if<SignalStop>(&event))
    on_signal_stop(*t, s->signal);
  else
    on_syscall_stop(*t);
  pump_watch_queue();
  maybe_finish_stop_all();
}

void Process::on_thread_gone(Thread &thread, int status) {
  end_range_run(thread.tid);
  if (thread.tid != pid_) {
    // gdb hears of a thread's exit when it asked to (QThreadEvents:1): now if it waits,
    // else when it next resumes.
    bool report = replies_.thread_events && !killing_;
    if (report) {
      rsp::StopEvent exited;
      exited.kind = rsp::StopKind::ThreadExited;
      exited.thread = {pid_, thread.tid};
      WaitEvent how = decode_wait_status(status);
      if (auto *e = std::get_if<Exited>(&how))
        exited.exit_code = e->code;
      thread_exits_.push_back(exited);
    }
    reaped_.insert(thread.tid);
    threads_.remove(thread.tid, "exit status reaped");
    if (report && !non_stop_ && gdb_running_ && !stopping_all_) {
      report_tid_.reset();
      stop_all();
    }
    return;
  }
  // The leader's status comes last, after every other thread is reaped: the process is over.
  WaitEvent event = decode_wait_status(status);
  rsp::StopEvent report;
  report.thread = {pid_, pid_};
  if (auto *e = std::get_if<Exited>(&event)) {
    report.kind = rsp::StopKind::Exited;
    report.exit_code = e->code;
  } else {
    report.kind = rsp::StopKind::Terminated;
    report.signal = host_to_gdb_signal(std::get<Signaled>(event).signal);
  }
  STUB_LOG(Event, "process {}: gone ({})", pid_, describe(event));
  threads_.clear();
  thread_exits_.clear(); // moot: the process's own end says it all
  memory_.close();
  breakpoints_.forget_all();
  gone_ = true;
  stopping_all_ = false;
  stop_complete_ = false;
  report_tid_.reset();
  if (killing_)
    return;
  if (gdb_running_ || non_stop_) {
    ready_ = report;
    gdb_running_ = false;
  } else {
    exit_report_ = report;
  }
}

void Process::on_event_stop(Thread &thread, int event, int signal) {
  switch (event) {
  case PTRACE_EVENT_EXIT:
    on_exit_stop(thread);
    return;
  case PTRACE_EVENT_CLONE:
    on_clone(thread);
    return;
  case PTRACE_EVENT_EXEC:
    on_exec(thread);
    return;
  case PTRACE_EVENT_FORK:
  case PTRACE_EVENT_VFORK:
    on_fork(thread, event == PTRACE_EVENT_VFORK);
    return;
  case PTRACE_EVENT_VFORK_DONE:
    on_vfork_done(thread);
    return;
  case PTRACE_EVENT_STOP:
    if (signal == SIGSTOP || signal == SIGTSTP || signal == SIGTTIN || signal == SIGTTOU) {
      // A group-stop (job control). Stay in it while running; it counts as stopped.
      threads_.set_state(thread, ThreadState::Stopped, "group-stop");
      if (should_run(thread) && !killing_) {
        if (tracer_.listen(thread.tid))
          threads_.set_state(thread, ThreadState::Running, "listening in group-stop");
      } else {
        answer_stop_request(thread);
      }
      return;
    }
    note_interrupted(thread);
    return;
  default: // no other event is requested
    threads_.set_state(thread, ThreadState::Stopped, "unexpected event");
    keep_going(thread);
    return;
  }
}

void Process::on_exit_stop(Thread &thread) {
  thread.pending.reset(); // a dying thread's unreported stop is moot
  thread.in_exit_stop = true;
  threads_.set_state(thread, ThreadState::Exiting, "PTRACE_EVENT_EXIT");
  // In non-stop nobody waits for everything to stop: let it finish dying at once.
  if (gdb_running_ || killing_ || non_stop_)
    release_exit_stop(thread);
}

void Process::on_clone(Thread &parent) {
  threads_.set_state(parent, ThreadState::Stopped, "clone event");
  if (auto child = tracer_.event_message(parent.tid)) {
    pid_t tid = static_cast<pid_t>(*child);
    // The child may have run, exited and been reaped before this event reached us.
    if (!threads_.find(tid) && !reaped_.erase(tid)) {
      Thread &born =
          threads_.add(tid, ThreadState::Stopping, "announced by clone, initial stop to come");
      born.first_stop_due = true;
      born.resume_requested = parent.resume_requested; // non-stop: it runs as its parent
    }
  }
  carry_on(parent);
}

// A fork child gdb follows becomes a process of its own, stopped, and the parent reports
// `fork:`/`vfork:`. Otherwise the child goes free without our breakpoints; it is held in
// its first stop (it cannot run yet) until both its stop and this event are seen.
void Process::on_fork(Thread &parent, bool vfork) {
  threads_.set_state(parent, ThreadState::Stopped, vfork ? "vfork event" : "fork event");
  auto message = tracer_.event_message(parent.tid);
  if (!message) {
    carry_on(parent); // ESRCH: the parent is dying; its exit is on its way
    return;
  }
  pid_t child = static_cast<pid_t>(*message);
  bool follow = owner_ && (vfork ? replies_.vfork_events : replies_.fork_events);
  if (follow) {
    if (owner_->adopt_child(*this, child, vfork)) {
      PendingStop stop{SIGTRAP, vfork ? rsp::StopReason::VFork : rsp::StopReason::Fork};
      stop.child = child;
      record_report(parent, stop);
      return;
    }
    STUB_LOG(Event, "fork child {}: gone before its first stop", child);
  } else if (children_->take_first_stop(child)) {
    release_fork_child(child, vfork);
  } else {
    children_->announce(child, {pid_, vfork});
  }
  carry_on(parent);
}

// The vfork child exec'd or exited. Breakpoints we lifted for it go back in; a vfork gdb
// follows is gdb's business (it removed and reinserts its breakpoints itself).
void Process::on_vfork_done(Thread &parent) {
  threads_.set_state(parent, ThreadState::Stopped, "vfork done");
  if (breakpoints_.lifted()) {
    breakpoints_.restore();
    carry_on(parent);
    return;
  }
  if (owner_ && replies_.vfork_events) {
    record_report(parent, PendingStop{SIGTRAP, rsp::StopReason::VForkDone});
    return;
  }
  carry_on(parent);
}

void Process::release_fork_child(pid_t child, bool vfork) {
  if (vfork) {
    breakpoints_.lift(); // shared memory: until VFORK_DONE nobody traps in it
  } else {
    ProcessMemory child_memory;
    if (child_memory.open(child))
      breakpoints_.restore_originals_in(child_memory);
  }
  auto r = tracer_.detach(child, 0);
  STUB_LOG(Event, "fork child {}: detached ({})", child, r ? "ok" : r.error().message());
}

void Process::adopt_fork_child(const Process &parent, bool vfork) {
  (void)memory_.open(pid_);
  forked_ = !vfork;
  unannounced_ = true;
  addressed_ = false;
  parent_pid_ = parent.pid();
  if (!vfork) {
    breakpoints_.inherit(parent.breakpoints_);
    actions_ = parent.actions_;
    pads_ = parent.pads_; // the child's memory holds the same pads and jumps
    for (const auto &[addr, owners] : parent.range_trap_owners_)
      (void)breakpoints_.remove(addr); // a parent's thread runs a range: not the child's
  }
  Thread &t = threads_.add(pid_, ThreadState::Stopped, "fork child, first stop");
  threads_.set_state(t, ThreadState::Stopped, "fork child, first stop");
  t.stop_told = true; // gdb hears of it in its parent's fork event
  last_report_ = make_report(t, PendingStop{0, rsp::StopReason::None});
}

// A syscall-stop: only threads run while catching system calls make them. A caught call
// is reported at its entry and its return; any other goes on without gdb hearing of it.
void Process::on_syscall_stop(Thread &thread) {
  threads_.set_state(thread, ThreadState::Stopped, "syscall stop");
  auto entry = tracer_.at_syscall_entry(thread.tid);
  thread.in_syscall = entry ? *entry : !thread.in_syscall;
  auto number = read_register_value(thread, orig_rax_regnum_);
  if (number && catch_.catches(static_cast<int>(*number))) {
    PendingStop stop{SIGTRAP, thread.in_syscall ? rsp::StopReason::SyscallEntry
                                                : rsp::StopReason::SyscallReturn};
    stop.syscall = static_cast<int>(*number);
    record_report(thread, stop);
    return;
  }
  carry_on(thread);
}

void Process::deliver(pid_t tid, int status) {
  if (owner_)
    owner_->route(tid, status);
  else
    on_wait(tid, status);
}

void Process::on_exec(Thread &thread) {
  auto former = tracer_.event_message(thread.tid);
  STUB_LOG(Event, "process {}: exec by thread {}", pid_, former ? static_cast<long>(*former) : -1L);
  // Every other thread is gone by now; the exec'ing thread carries the leader's tid.
  threads_.clear();
  Thread &leader = threads_.add(pid_, ThreadState::Stopped, "exec");
  threads_.set_state(leader, ThreadState::Stopped, "exec");
  (void)memory_.open(pid_);
  breakpoints_.forget_all();
  forget_range_runs();
  pads_.forget_all();
  debug_registers_.clear(); // the kernel cleared them; gdb inserts its points again
  forget_decoded_code();    // a new program: other code at the same addresses
  failed_pad_sites_.clear();
  actions_.clear();
  watches_.clear();
  record_report(leader, PendingStop{SIGTRAP, rsp::StopReason::Exec});
}

void Process::note_interrupted(Thread &thread) {
  bool expected = thread.state == ThreadState::Stopping;
  threads_.set_state(thread, ThreadState::Stopped, expected ? "interrupted" : "stray stop");
  if (killing_)
    return;
  if (std::exchange(thread.first_stop_due, false) && replies_.thread_events) {
    // gdb asked to hear of new threads: their first stop is the report (T05create).
    record_report(thread, PendingStop{SIGTRAP, rsp::StopReason::ThreadCreated});
    return;
  }
  if (leave_pad(thread))
    return;
  // An int3 whose SIGTRAP is still queued behind our interrupt: count the hit now, once.
  // One of our range breakpoints is simply met again when the thread runs (or, removed by
  // then, the instruction runs).
  if (auto pc = read_pc(thread); pc && *pc > 0 && breakpoints_.traps_at(*pc - 1)) {
    auto queued = tracer_.signal_queued(thread.tid, SIGTRAP, SI_KERNEL);
    if (queued && *queued && write_pc(thread, *pc - 1)) {
      thread.discard_queued_sigtrap = true;
      if (!range_trap_owners_.count(*pc - 1)) {
        record_report(thread, PendingStop{SIGTRAP, rsp::StopReason::SwBreak});
        return;
      }
    }
  }
  carry_on(thread); // a stale interrupt, or a new thread's first stop: carry on
}

void Process::on_signal_stop(Thread &thread, int signal) {
  threads_.set_state(thread, ThreadState::Stopped, "signal");
  thread.in_signal_stop = true;
  bool watch_scheduled = std::exchange(thread.watch_step, false);
  if (killing_)
    return;
  if (thread.stepping_past) { // step_past_breakpoint() looks at it
    thread.step_past_signal = signal;
    return;
  }
  if (signal == thread.sent_signal) { // gdb asked for it to be delivered: let it through
    thread.sent_signal = 0;
    carry_on(thread, signal);
    return;
  }
  if (signal == SIGTRAP) {
    if (thread.discard_queued_sigtrap) {
      thread.discard_queued_sigtrap = false;
      auto info = tracer_.siginfo(thread.tid);
      if (info && info->si_code == SI_KERNEL) {
        STUB_LOG(Event, "thread {}: dropped the SIGTRAP of a hit already counted", thread.tid);
        carry_on(thread);
        return;
      }
    }
    auto info = tracer_.siginfo(thread.tid);
    if (auto hit = hardware_point_hit(thread, info ? &*info : nullptr)) {
      record_report(thread, *hit, info ? std::optional<siginfo_t>(*info) : std::nullopt);
      return;
    }
    // A step over a system call ends with TRAP_BRKPT, at the system call's return.
    bool stepped =
        info && (info->si_code == TRAP_TRACE || (watch_scheduled && info->si_code == TRAP_BRKPT));
    if (watch_scheduled && info && on_watch_run_trap(thread, *info))
      return;
    if (stepped && watch_after_step(thread, watch_scheduled))
      return;
    if (info && info->si_code == TRAP_TRACE && thread.last_resume != rsp::ResumeKind::Step &&
        thread.last_resume != rsp::ResumeKind::RangeStep) {
      // The trap of a single-step that finished while we were stopping everything; gdb
      // has since asked it to continue: nobody is waiting for that step any more.
      STUB_LOG(Event, "thread {}: dropped a stale single-step trap", thread.tid);
      carry_on(thread);
      return;
    }
    if (info && on_range_trap(thread, *info))
      return;
    if (on_pad_stop(thread, SIGTRAP, info ? &*info : nullptr))
      return;
    if (info && step_on_in_range(thread, *info))
      return;
    auto stop = classify_sigtrap(thread, info ? std::optional<siginfo_t>(*info) : std::nullopt);
    if (stop.reason == rsp::StopReason::SwBreak && settle_hit_in_stub(thread))
      return;
    record_report(thread, stop, info ? std::optional<siginfo_t>(*info) : std::nullopt);
    return;
  }
  if (on_pad_stop(thread, signal, nullptr))
    return;
  if (defer_signal_over_step(thread, signal)) {
    carry_on(thread); // the step goes on without it
    return;
  }
  if (signal > 0 && signal < static_cast<int>(pass_.size()) && pass_[signal]) {
    // gdb asked us to deliver it without a stop (SIGURG, SIGALRM, SIGCHLD...).
    carry_on(thread, signal);
    return;
  }
  record_report(thread, PendingStop{signal, rsp::StopReason::None});
}

std::optional<PendingStop> Process::emulated_watch_hit() {
  auto addr = watches_.take_change();
  if (!addr)
    return std::nullopt;
  PendingStop stop{SIGTRAP, rsp::StopReason::Watch};
  stop.data_address = *addr;
  return stop;
}

// After an instruction of a watched thread: a change of watched bytes is that thread's
// watchpoint hit. A step the stub made for the watch goes on, in turn, when nothing changed.
bool Process::watch_after_step(Thread &thread, bool scheduled, bool may_have_stored) {
  bool was_in_flight = watch_in_flight_ == thread.tid;
  if (was_in_flight)
    watch_in_flight_.reset();
  bool gdb_step = thread.last_resume == rsp::ResumeKind::Step ||
                  thread.last_resume == rsp::ResumeKind::RangeStep;
  if (!watches_.any() || (!scheduled && !gdb_step))
    return false;
  // A thread back from a system call while another executes an instruction: a change now
  // is most likely that instruction's, to be seen at its own trap.
  bool other_in_flight = scheduled && !was_in_flight && watch_in_flight_.has_value();
  if (auto hit = other_in_flight || !may_have_stored ? std::nullopt : emulated_watch_hit()) {
    record_report(thread, *hit);
    return true;
  }
  if (!scheduled)
    return false; // gdb's own step: reported, or stepped on in its range, as usual
  if (!should_run(thread))
    return true;
  watch_queue_.push_back(thread.tid);
  return true;
}

void Process::pump_watch_queue() {
  if (watch_in_flight_) {
    Thread *busy = threads_.find(*watch_in_flight_);
    if (busy && busy->state == ThreadState::Running && busy->watch_step)
      return;
    watch_in_flight_.reset();
  }
  while (!watch_in_flight_ && !watch_queue_.empty()) {
    pid_t tid = watch_queue_.front();
    watch_queue_.pop_front();
    Thread *t = threads_.find(tid);
    if (!t || t->state != ThreadState::Stopped || t->pending || !should_run(*t))
      continue;
    (void)run(*t, rsp::ResumeKind::Continue, std::exchange(t->watch_signal, 0));
  }
}

bool Process::step_on_in_range(Thread &thread, const siginfo_t &info) {
  if (info.si_code != TRAP_TRACE || thread.last_resume != rsp::ResumeKind::RangeStep ||
      !should_run(thread))
    return false;
  if (!in_range(thread))
    return false;
  if (stepping_here_) { // step_through_range() steps it again
    step_due_ = true;
    return true;
  }
  if (watches_.any()) // watched stepping has its own turns (pump_watch_queue)
    return static_cast<bool>(run(thread, rsp::ResumeKind::RangeStep, 0));
  step_through_range(thread.tid);
  return true;
}

// Steps that only lead to more steps (the rest of a vCont;r range) are made here instead
// of through the event loop: each costs a trap either way, the loop's wake-ups are what this
// saves. Each trap still goes through on_wait(),
// which says (step_due_) whether to step again. Bounded, so other threads' events and
// gdb's packets wait a few milliseconds at most; a thread whose next instruction may block
// steps through the event loop.
void Process::step_through_range(pid_t tid) {
  constexpr int max_synchronous_steps = 256;
  stepping_here_ = true;
  for (int steps = 0; steps < max_synchronous_steps && !gone_; ++steps) {
    Thread *t = threads_.find(tid);
    if (!t || t->state != ThreadState::Stopped)
      break;
    bool last = steps + 1 == max_synchronous_steps || may_block(*t);
    if (!run(*t, rsp::ResumeKind::RangeStep, 0) || last)
      break;
    auto w = tracer_.wait_thread(tid);
    if (!w || !*w)
      break;
    step_due_ = false;
    on_wait((*w)->tid, (*w)->status);
    if (!step_due_)
      break; // done, or another event: handled as usual
  }
  stepping_here_ = false;
}

bool Process::in_range(Thread &thread) {
  auto pc = read_pc(thread);
  return pc && *pc >= thread.range_begin && *pc < thread.range_end;
}

// gdb steps a thread over a breakpoint with the breakpoint lifted and no signal passed
// (QPassSignals empty), so that no handler runs while it is out. A signal that comes
// before the step's instruction (a Go program's SIGURG, all the time) would be reported
// with the thread still on the breakpoint; gdb then delivers it with the breakpoint back
// in, and a goroutine preempted there resumes on another thread and hits the breakpoint
// again: one call, two hits. An asynchronous signal may as well come one instruction
// later: the step finishes first, and the signal is raised again when the thread next
// runs free, to be passed or reported then as gdb says. Only signals gdb passes silently
// the rest of the time (its last non-empty QPassSignals list): one it wants to print or
// stop for is reported at once, as gdb's "signal arrived while stepping over breakpoint"
// handling expects.
bool Process::defer_signal_over_step(Thread &thread, int signal) {
  if (!step_over(thread.last_resume) || signal <= 0 ||
      signal >= static_cast<int>(thread.deferred_signals.size()) ||
      !quiet_[static_cast<std::size_t>(signal)])
    return false;
  auto info = tracer_.siginfo(thread.tid);
  if (!info || !signal_is_asynchronous(signal, info->si_code))
    return false;
  thread.deferred_signals.set(static_cast<std::size_t>(signal));
  STUB_LOG(Event, "thread {}: signal {} held until its step over a breakpoint is done", thread.tid,
           signal);
  return true;
}

PendingStop Process::classify_sigtrap(Thread &thread, const std::optional<siginfo_t> &info) {
  PendingStop stop{SIGTRAP, rsp::StopReason::None};
  auto pc = read_pc(thread);
  if (info && pc && (info->si_code == SI_KERNEL || info->si_code == TRAP_BRKPT) && *pc > 0 &&
      breakpoints_.traps_at(*pc - static_cast<std::uint64_t>(arch_.decr_pc_after_break))) {
    // Our breakpoint: gdb (swbreak+) wants the PC at the breakpoint address.
    (void)write_pc(thread, *pc - static_cast<std::uint64_t>(arch_.decr_pc_after_break));
    stop.reason = rsp::StopReason::SwBreak;
  }
  return stop;
}

void Process::record_report(Thread &thread, PendingStop stop,
                            const std::optional<siginfo_t> &known_info) {
  STUB_LOG(Event, "thread {}: stop to report (signal {})", thread.tid, stop.host_signal);
  end_range_run(thread.tid);
  auto info = known_info;
  if (!info)
    if (auto fetched = tracer_.siginfo(thread.tid))
      info = *fetched;
  if (info) {
    stop.si_signo = info->si_signo;
    stop.si_code = info->si_code;
  }
  thread.pending = stop;
  if (non_stop_) { // reported on its own, in order; the others run on
    thread.resume_requested = false;
    thread.stop_requested = false;
    non_stop_reports_.push_back(thread.tid);
    return;
  }
  if (!gdb_running_)
    return; // held until gdb resumes; reported before anything runs
  if (!stopping_all_) {
    report_tid_ = thread.tid;
    stop_all();
  }
}

void Process::stop_all() {
  stopping_all_ = true;
  for (auto &[tid, t] : threads_) {
    if (t.state == ThreadState::Running)
      interrupt_thread(t, "stop-all");
  }
}

void Process::interrupt_thread(Thread &thread, std::string_view why) {
  if (tracer_.interrupt(thread.tid))
    threads_.set_state(thread, ThreadState::Stopping, why);
  else // ESRCH on a running thread: it is already past its exit stop (a zombie to reap)
    threads_.set_state(thread, ThreadState::Exiting, "ESRCH on interrupt");
}

void Process::maybe_finish_stop_all() {
  if (!gdb_running_ || !stopping_all_ || gone_)
    return;
  if (threads_.count_moving() > 0)
    return;
  // Which stop to report is decided in take_report(), once the funnel has drained every
  // queued event: a thread whose exit stop is already queued must not be reported.
  stopping_all_ = false;
  stop_complete_ = true;
}

// Whether the thread is still in the stop we recorded. Another thread's exit_group (or a
// SIGKILL) wakes it from that stop: ptrace then fails with ESRCH, or finds it in its exit
// stop, with a different siginfo.
bool Process::still_in_stop(Thread &thread) {
  auto info = tracer_.siginfo(thread.tid);
  if (!info) {
    if (info.error() == std::errc::no_such_process) {
      threads_.set_state(thread, ThreadState::Exiting, "ESRCH: left its stop to die");
      thread.pending.reset();
    }
    return false;
  }
  if (info->si_signo == SIGTRAP && (info->si_code >> 8) == PTRACE_EVENT_EXIT) {
    // Already in its exit stop (a SIGKILL or exit_group woke it): that event is on its way.
    STUB_LOG(Event, "thread {}: already in its exit stop", thread.tid);
    thread.pending.reset();
    return false;
  }
  if (thread.pending && thread.pending->si_signo != 0 &&
      (info->si_signo != thread.pending->si_signo || info->si_code != thread.pending->si_code)) {
    STUB_LOG(Event, "thread {}: no longer in its reported stop (now signo {} code {:#x})",
             thread.tid, info->si_signo, info->si_code);
    thread.pending.reset();
    return false;
  }
  return true;
}

Thread *Process::choose_reporter() {
  auto usable = [&](Thread &t) {
    return t.state == ThreadState::Stopped && t.pending && pending_still_valid(t) &&
           still_in_stop(t);
  };
  if (report_tid_)
    if (Thread *preferred = threads_.find(*report_tid_); preferred && usable(*preferred))
      return preferred;
  for (auto &[tid, t] : threads_)
    if (usable(t))
      return &t;
  if (!interrupt_requested_)
    return nullptr;
  // ^C with nothing else to say: SIGINT on a thread gdb resumed (the leader first), else
  // on any thread still stopped.
  for (bool resumed_only : {true, false}) {
    Thread *leader = threads_.find(pid_);
    std::vector<Thread *> candidates;
    if (leader)
      candidates.push_back(leader);
    for (auto &[tid, t] : threads_)
      candidates.push_back(&t);
    for (Thread *t : candidates)
      if (t->state == ThreadState::Stopped && (!resumed_only || t->resume_requested) &&
          still_in_stop(*t)) {
        t->pending = PendingStop{SIGINT, rsp::StopReason::None};
        return t;
      }
  }
  return nullptr;
}

// A stop of our own making: the thread goes on if gdb has it running (with `deliver`, a
// signal gdb passes); otherwise it stays stopped, the signal kept for when it runs, and a
// thread gdb asked to stop (non-stop vCont;t) is reported stopped (T00).
void Process::carry_on(Thread &thread, int deliver) {
  if (should_run(thread)) {
    if (deliver)
      (void)run(thread, thread.last_resume, deliver);
    else
      keep_going(thread);
    return;
  }
  if (deliver)
    thread.queued_signal = deliver;
  answer_stop_request(thread);
}

// Non-stop: a thread gdb asked to stop (vCont;t) that is now stopped is reported, T00.
void Process::answer_stop_request(Thread &thread) {
  if (non_stop_ && thread.stop_requested && thread.state == ThreadState::Stopped)
    record_report(thread, PendingStop{0, rsp::StopReason::None});
}

void Process::keep_going(Thread &thread) {
  int signal = std::exchange(thread.queued_signal, 0);
  thread.resume_requested = true;
  (void)run(thread, thread.last_resume, signal);
}

bool Process::should_run(const Thread &thread) const {
  if (pausing_)
    return false;
  if (non_stop_)
    return thread.resume_requested && !thread.stop_requested;
  return gdb_running_ && !stopping_all_ && !stop_complete_;
}

std::optional<rsp::StopEvent> Process::take_report() {
  if (ready_) { // the process is over
    last_report_ = *ready_;
    ready_.reset();
    return last_report_;
  }
  if (non_stop_)
    return take_non_stop_report();
  if (gone_ || !gdb_running_)
    return std::nullopt;
  if (!stop_complete_) {
    if (stopping_all_ || !replies_.no_resumed || !nothing_resumed_left())
      return std::nullopt;
    STUB_LOG(Event, "process {}: no resumed thread left", pid_);
    gdb_running_ = false;
    rsp::StopEvent none;
    none.kind = rsp::StopKind::NoResumed;
    none.thread = {pid_, pid_};
    return none;
  }
  stop_complete_ = false;
  if (auto exited = take_thread_exit()) { // they happened first; other stops stay pending
    report_tid_.reset();
    gdb_running_ = false;
    return exited;
  }
  Thread *reporter = choose_reporter();
  // Its registers go into the report; if they cannot be read it has just left its stop.
  while (reporter && !fetch_registers(*reporter, false)) {
    reporter->pending.reset();
    reporter = choose_reporter();
  }
  report_tid_.reset();
  if (!reporter) {
    // The stop we meant to report went away (its thread is dying): carry on as gdb asked.
    STUB_LOG(Event, "process {}: nothing left to report; resuming", pid_);
    for (auto &[tid, t] : threads_)
      if (t.state == ThreadState::Stopped && t.resume_requested)
        keep_going(t);
    return std::nullopt;
  }
  last_report_ = make_report(*reporter, *reporter->pending);
  if (reporter->pending->host_signal == SIGINT)
    interrupt_requested_ = false; // the ^C is answered
  reporter->pending.reset();
  gdb_running_ = false;
  return last_report_;
}

std::optional<rsp::StopEvent> Process::take_thread_exit() {
  if (thread_exits_.empty())
    return std::nullopt;
  rsp::StopEvent exited = thread_exits_.front();
  thread_exits_.pop_front();
  return exited;
}

std::optional<rsp::StopEvent> Process::take_non_stop_report() {
  if (gone_)
    return std::nullopt;
  if (auto exited = take_thread_exit())
    return exited;
  while (!non_stop_reports_.empty()) {
    Thread *t = threads_.find(non_stop_reports_.front());
    non_stop_reports_.pop_front();
    if (!t || t->state != ThreadState::Stopped || !t->pending)
      continue;
    // A sibling's exit_group may have woken it to die: then there is nothing to report.
    if (!still_in_stop(*t) || !fetch_registers(*t, false)) {
      t->pending.reset();
      continue;
    }
    rsp::StopEvent event = make_report(*t, *t->pending);
    t->pending.reset();
    t->stop_told = true;
    last_report_ = event;
    return event;
  }
  return std::nullopt;
}

// One stop, as gdbserver gives: the last reported thread's, else any stopped thread's.
// (gdb 13 trips on an assertion when `?` brings several at connection time.) The others
// are reported when gdb asks them to stop (vCont;t), which it does for threads it has not
// seen stop.
std::vector<rsp::StopEvent> Process::stopped_for_gdb() {
  auto shown = [](const Thread &t) {
    return t.state == ThreadState::Stopped && !t.resume_requested && !t.pending;
  };
  Thread *pick = threads_.find(last_report_.thread.tid);
  if (!pick || !shown(*pick)) {
    pick = nullptr;
    for (auto &[tid, t] : threads_)
      if (shown(t) && (!pick || (t.stop_told && !pick->stop_told)))
        pick = &t;
  }
  if (!pick)
    return {};
  pick->stop_told = true;
  return {make_report(*pick, PendingStop{pick->last_signal, rsp::StopReason::None})};
}

// N: every thread gdb resumed has exited; the rest stay stopped as gdb left them. A
// sibling's exit still being processed (an exit status to come, a stopped thread woken
// to die by exit_group) means the process's own end may be next: not yet.
bool Process::nothing_resumed_left() {
  bool any_stopped = false;
  for (auto &[tid, t] : threads_) {
    switch (t.state) {
    case ThreadState::Running:
    case ThreadState::Stopping:
      return false;
    case ThreadState::Exiting: {
      // Only a leader past its exit stop may linger: as a zombie until its siblings go.
      if (tid != pid_ || t.in_exit_stop)
        return false;
      auto zombie = tracer_.is_zombie(pid_, tid);
      if (!zombie || !*zombie)
        return false;
      break;
    }
    case ThreadState::Stopped:
      any_stopped = true;
      break;
    }
  }
  if (!any_stopped)
    return false;
  for (auto &[tid, t] : threads_)
    if (t.state == ThreadState::Stopped && !still_in_stop(t))
      return false;
  return true;
}

rsp::StopEvent Process::make_report(Thread &thread, const PendingStop &stop) {
  rsp::StopEvent event;
  event.kind = rsp::StopKind::Signal;
  event.thread = {pid_, thread.tid};
  event.signal = host_to_gdb_signal(stop.host_signal);
  event.reason = stop.reason;
  event.address = stop.data_address;
  thread.last_signal = stop.host_signal;
  if (stop.reason == rsp::StopReason::Exec)
    event.exec_path = executable_path(pid_);
  if (stop.reason == rsp::StopReason::Fork || stop.reason == rsp::StopReason::VFork)
    event.child = {stop.child, stop.child};
  event.syscall = stop.syscall;
  // No core:N here: finding it costs a /proc read per stop; qXfer:threads has it.
  if (auto blocks = fetch_registers(thread, false)) {
    for (int regnum : arch_.expedited) {
      rsp::ExpeditedRegister reg;
      reg.regnum = regnum;
      reg.bytes.resize(static_cast<std::size_t>(arch_.registers[regnum].bitsize / 8));
      arch_.read_register(**blocks, regnum, reg.bytes);
      event.registers.push_back(std::move(reg));
    }
  }
  return event;
}

} // namespace stub
