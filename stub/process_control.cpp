// The control half of the all-stop machine: resume, interrupt, kill, detach; registers
// and memory of stopped threads.
#include "stub/log.hpp"
#include "stub/process.hpp"
#include "stub/support/gdb_signals.hpp"
#include "stub/wait_status.hpp"

#include <csignal>
#include <cstring>
#include <sys/ptrace.h>
#include <vector>

namespace stub {
namespace {

bool is_esrch(const std::error_code &e) { return e == std::errc::no_such_process; }

const rsp::ResumeAction *action_for(std::span<const rsp::ResumeAction> actions,
                                    rsp::ThreadId thread) {
  for (const auto &a : actions)
    if (a.thread.matches(thread))
      return &a;
  return nullptr;
}

} // namespace

Result<void> Process::resume(std::span<const rsp::ResumeAction> actions) {
  if (gone_) {
    if (!exit_report_)
      return rsp::fail(std::errc::no_such_process);
    ready_ = std::exchange(exit_report_, std::nullopt);
    return {};
  }
  if (non_stop_)
    return resume_non_stop(actions);
  gdb_running_ = true;
  stopping_all_ = false;
  stop_complete_ = false;
  report_tid_.reset();
  watches_.refresh(); // what gdb or anyone wrote while we were stopped is no hit
  watch_queue_.clear();
  watch_in_flight_.reset();

  struct Plan {
    Thread *thread;
    rsp::ResumeKind kind;
    int host_signal;
  };
  std::vector<Plan> plan;
  for (auto &[tid, t] : threads_) {
    if (t.in_exit_stop)
      release_exit_stop(t); // it dies whatever gdb asked
    const rsp::ResumeAction *a = action_for(actions, {pid_, tid});
    t.resume_requested = a && a->kind != rsp::ResumeKind::Stop;
    if (!a || t.state != ThreadState::Stopped)
      continue;
    set_range(t, *a);
    plan.push_back({&t, a->kind, a->signal ? gdb_to_host_signal(a->signal) : 0});
  }

  // A finished single-step gdb no longer waits for (it now continues that thread) is not
  // worth a report: the thread simply goes on from where the step left it.
  for (auto &p : plan) {
    auto &pending = p.thread->pending;
    if (pending && pending->host_signal == SIGTRAP && pending->reason == rsp::StopReason::None &&
        pending->si_code == TRAP_TRACE && p.kind != rsp::ResumeKind::Step &&
        p.kind != rsp::ResumeKind::RangeStep) {
      STUB_LOG(Event, "thread {}: pending step trap dropped (now continued)", p.thread->tid);
      pending.reset();
    }
  }

  // A stop gdb has not seen yet is reported before anything runs (take_report() checks
  // it is still true). What gdb asked of each thread is kept for when they do run.
  auto report_before_running = [&] {
    for (auto &q : plan) {
      q.thread->last_resume = q.kind;
      if (q.host_signal)
        q.thread->queued_signal = q.host_signal; // delivered when it really runs
    }
    stop_complete_ = true;
  };
  if (!thread_exits_.empty()) {
    report_before_running();
    return {};
  }
  for (auto &p : plan) {
    if (p.kind == rsp::ResumeKind::Stop || !p.thread->pending || !pending_still_valid(*p.thread))
      continue;
    report_before_running();
    report_tid_ = p.thread->tid;
    return {};
  }

  for (auto &p : plan) {
    if (p.kind == rsp::ResumeKind::Stop)
      continue;
    int signal = p.host_signal ? p.host_signal : std::exchange(p.thread->queued_signal, 0);
    (void)run(*p.thread, p.kind, signal); // ESRCH: it is dying; its exit status will come
  }
  pump_watch_queue();
  if (interrupt_requested_) {
    // A ^C answered by another stop (often a step or a breakpoint gdb resumes from at
    // once) still stands, as a real SIGINT would: stop again, and report it.
    stop_all();
    maybe_finish_stop_all();
  }
  return {};
}

// Non-stop: each action applies to its threads alone; `t` stops a running thread, which
// is then reported with signal 0. A thread with a stop still to report stays stopped.
Result<void> Process::resume_non_stop(std::span<const rsp::ResumeAction> actions) {
  for (auto &[tid, t] : threads_) {
    const rsp::ResumeAction *a = action_for(actions, {pid_, tid});
    if (!a || t.state == ThreadState::Exiting)
      continue;
    if (a->kind == rsp::ResumeKind::Stop) {
      if (t.state == ThreadState::Stopped) {
        if (!t.stop_told && !t.pending) // stopped, but gdb has not heard: tell it now
          record_report(t, PendingStop{0, rsp::StopReason::None});
        continue; // else gdb has, or is about to get, its stop
      }
      if (!t.resume_requested)
        continue;
      t.stop_requested = true;
      if (t.state == ThreadState::Running)
        interrupt_thread(t, "vCont;t");
      continue;
    }
    t.resume_requested = true;
    t.stop_requested = false;
    if (t.state != ThreadState::Stopped)
      continue; // already running (or about to be, once its first stop comes)
    if (t.pending) {
      t.resume_requested = false; // its stop is reported first
      continue;
    }
    set_range(t, *a);
    int signal = a->signal ? gdb_to_host_signal(a->signal) : std::exchange(t.queued_signal, 0);
    (void)run(t, a->kind, signal);
  }
  pump_watch_queue();
  return {};
}

void Process::set_range(Thread &thread, const rsp::ResumeAction &action) {
  bool ranged = action.kind == rsp::ResumeKind::RangeStep;
  thread.range_begin = ranged ? action.range_begin : 0;
  thread.range_end = ranged ? action.range_end : 0;
}

Result<void> Process::set_non_stop(bool on) {
  if (on == non_stop_)
    return {};
  if (on) {
    if (gdb_running_)
      return rsp::fail(std::errc::device_or_resource_busy);
    for (auto &[tid, t] : threads_)
      t.resume_requested = false;
    non_stop_ = true;
    return {};
  }
  stop_everything_now();
  non_stop_ = false;
  non_stop_reports_.clear(); // their stops stay pending: all-stop reports them one by one
  return {};
}

// Interrupts every running thread and waits (through the funnel) until none runs.
void Process::stop_everything_now() {
  bool was_non_stop = std::exchange(non_stop_, false);
  gdb_running_ = false; // nothing may be resumed while we wait
  for (auto &[tid, t] : threads_) {
    t.resume_requested = false;
    if (t.state == ThreadState::Running)
      interrupt_thread(t, "stop everything");
  }
  wait_until_none_moving();
  non_stop_ = was_non_stop;
}

Result<void> Process::run(Thread &thread, rsp::ResumeKind kind, int host_signal) {
  bool watched = kind == rsp::ResumeKind::Continue && watches_.any();
  if (watched && watch_in_flight_ && *watch_in_flight_ != thread.tid) {
    Thread *busy = threads_.find(*watch_in_flight_);
    if (busy && busy->state == ThreadState::Running && busy->watch_step) {
      thread.last_resume = kind; // its turn comes when the one stepping now is done
      thread.stop_told = false;
      if (host_signal)
        thread.watch_signal = host_signal;
      watch_queue_.push_back(thread.tid);
      return {};
    }
    watch_in_flight_.reset();
  }
  bool run_free = kind == rsp::ResumeKind::RangeStep && !step_over(kind) && host_signal == 0 &&
                  start_range_run(thread);
  if (!run_free)
    end_range_run(thread.tid);
  if (auto f = flush_registers(thread); !f) {
    if (is_esrch(f.error()))
      threads_.set_state(thread, ThreadState::Exiting, "ESRCH writing registers");
    return f;
  }
  // A thread stopped inside a blocking system call (its PC already past the instruction)
  // resumes in the call: it steps on its own, never runs free.
  bool at_system_call = watched && may_block(thread);
  // Watched: free up to the next instruction that may store, unless this one may.
  bool watch_free = watched && !at_system_call && host_signal == 0 && start_watch_run(thread);
  thread.regs.invalidate();
  thread.last_resume = kind;
  thread.stop_told = false;
  if (!step_over(kind))
    raise_deferred_signals(thread);
  if (host_signal != 0 && !thread.in_signal_stop) {
    // The kernel only injects a signal at a signal-delivery-stop; from an interrupt or
    // event stop it would be dropped. Send it instead, and let it through when it stops.
    if (tracer_.kill_thread(pid_, thread.tid, host_signal))
      thread.sent_signal = host_signal;
    host_signal = 0;
  }
  thread.in_signal_stop = false;
  bool step = kind == rsp::ResumeKind::Step || (kind == rsp::ResumeKind::RangeStep && !run_free) ||
              (watched && !watch_free);
  auto r = step             ? tracer_.step(thread.tid, host_signal)
           : catch_.enabled ? tracer_.to_syscall(thread.tid, host_signal)
                            : tracer_.cont(thread.tid, host_signal);
  if (!r) {
    if (is_esrch(r.error()))
      threads_.set_state(thread, ThreadState::Exiting, "ESRCH on resume");
    return r;
  }
  thread.watch_step = watched;
  if (watched && !at_system_call)
    watch_in_flight_ = thread.tid;
  threads_.set_state(thread, ThreadState::Running, step ? "step" : "continue");
  return {};
}

// Whether its next instruction may block in the kernel: a system call instruction, or a
// system call we interrupted (PTRACE_INTERRUPT lands after the `syscall`; the kernel moves
// the PC back and enters it again when the thread runs).
bool Process::may_block(Thread &thread) {
  constexpr std::int64_t restart_errors[] = {-512, -513, -514, -516}; // -ERESTART*
  auto orig_rax = read_register_value(thread, orig_rax_regnum_);
  if (orig_rax && static_cast<std::int64_t>(*orig_rax) >= 0) {
    auto rax = read_register_value(thread, rax_regnum_);
    for (std::int64_t e : restart_errors)
      if (rax && static_cast<std::int64_t>(*rax) == e)
        return true;
  }
  auto pc = read_pc(thread);
  if (pc && watches_.any()) { // asked at every watched resume: the code is remembered
    const DecodedCode *code = code_at(*pc);
    return code && code->size >= 2 && is_system_call(std::span(code->bytes).first(2));
  }
  return pc && system_call_at(*pc);
}

bool Process::system_call_at(std::uint64_t addr) {
  std::uint8_t code[2] = {};
  auto n = breakpoints_.read(addr, code);
  return n && *n == sizeof code && is_system_call(code);
}

bool Process::step_over(rsp::ResumeKind kind) const {
  return (kind == rsp::ResumeKind::Step || kind == rsp::ResumeKind::RangeStep) && pass_.none();
}

// Signals held over a step over a breakpoint go back into the thread's queue: it meets
// them at its next signal-delivery-stop, where they are passed or reported as usual.
void Process::raise_deferred_signals(Thread &thread) {
  for (std::size_t signal = 1; signal < thread.deferred_signals.size(); ++signal) {
    if (!thread.deferred_signals[signal])
      continue;
    auto r = tracer_.kill_thread(pid_, thread.tid, static_cast<int>(signal));
    STUB_LOG(Event, "thread {}: held signal {} raised again ({})", thread.tid, signal,
             r ? "ok" : r.error().message());
  }
  thread.deferred_signals.reset();
}

void Process::release_exit_stop(Thread &thread) {
  thread.in_exit_stop = false;
  (void)tracer_.cont(thread.tid, 0); // ESRCH: already on its way out
}

bool Process::pending_still_valid(Thread &thread) {
  if (!thread.pending)
    return false;
  if (thread.pending->reason == rsp::StopReason::SwBreak) {
    // gdb removed the breakpoint since: the PC is already back on the original
    // instruction, so running it again loses nothing.
    auto pc = read_pc(thread);
    if (!pc || !breakpoints_.inserted_at(*pc)) {
      STUB_LOG(Event, "thread {}: pending breakpoint stop dropped (breakpoint gone)", thread.tid);
      thread.pending.reset();
      return false;
    }
  }
  return true;
}

void Process::interrupt() {
  if (non_stop_ && !gone_) { // ^C in non-stop: as vCont;t for every thread
    rsp::ResumeAction stop_all_threads{rsp::ResumeKind::Stop, 0, {pid_, rsp::ThreadId::all}, 0, 0};
    (void)resume_non_stop(std::span(&stop_all_threads, 1));
    return;
  }
  if (!gdb_running_ || gone_)
    return;
  interrupt_requested_ = true;
  if (!stopping_all_)
    stop_all();
  maybe_finish_stop_all();
}

Result<void> Process::kill() {
  if (gone_)
    return {};
  killing_ = true;
  gdb_running_ = false;
  stop_complete_ = false;
  auto r = tracer_.kill_process(pid_, SIGKILL);
  for (auto &[tid, t] : threads_)
    if (t.in_exit_stop)
      release_exit_stop(t);
  if (!r && !is_esrch(r.error()))
    return r;
  return {};
}

Result<void> Process::detach() {
  if (gone_)
    return {};
  stop_everything_now(); // only a thread in a ptrace-stop can be detached
  if (gone_)
    return {};
  // A queued SIGTRAP of a hit we already counted would kill the process once we let go:
  // let each such thread take it under our eyes first.
  for (auto &[tid, t] : threads_) {
    if (!t.discard_queued_sigtrap || t.state != ThreadState::Stopped)
      continue;
    if (!flush_registers(t) || !tracer_.cont(tid, 0))
      continue;
    t.regs.invalidate();
    for (;;) {
      auto w = tracer_.wait_any(true);
      if (!w || !*w)
        break;
      if ((*w)->tid == tid &&
          std::holds_alternative<SignalStop>(decode_wait_status((*w)->status))) {
        t.discard_queued_sigtrap = false;
        break;
      }
      deliver((*w)->tid, (*w)->status); // anything else: record it as usual
      if (gone_)
        return {};
    }
  }
  breakpoints_.remove_all();
  forget_range_runs();
  debug_registers_.clear(); // written as zeros by flush_registers below: no trap after us
  if (forked_)              // an int3 gdb removed from the parent before we copied its breakpoints
    breakpoints_.restore_originals_in(memory_);
  for (auto &[tid, t] : threads_) {
    raise_deferred_signals(t); // the program gets them once we let go
    int signal = t.queued_signal;
    if (!signal && t.pending && t.pending->reason == rsp::StopReason::None &&
        t.pending->host_signal != SIGTRAP)
      signal = t.pending->host_signal; // never seen by gdb: the program still gets it
    (void)flush_registers(t);
    (void)tracer_.detach(tid, signal);
    STUB_LOG(Event, "thread {}: detached", tid);
  }
  threads_.clear();
  memory_.close();
  gone_ = true;
  return {};
}

Result<Thread *> Process::stopped_thread(pid_t tid) {
  Thread *t = threads_.find(tid);
  // A thread held in its exit stop is in a ptrace-stop too: gdb may still look at it.
  if (!t || (t->state != ThreadState::Stopped && !t->in_exit_stop))
    return rsp::fail(std::errc::no_such_process);
  return t;
}

Result<arch::RegisterBlocks *> Process::registers_for_gdb(pid_t tid, bool want_xsave) {
  Thread *thread = threads_.find(tid);
  if (!thread)
    return rsp::fail(std::errc::no_such_process);
  auto blocks = fetch_registers(*thread, want_xsave);
  if (blocks || !is_esrch(blocks.error()) || killing_)
    return blocks;
  // It left the stop gdb saw, to die (another thread's exit_group, a SIGKILL). Its exit
  // stop, where ptrace works again, is moments away: wait for it through the funnel and
  // read the registers there, rather than fail gdb's request.
  wait_until([&] {
    Thread *t = threads_.find(tid);
    return !t || t->in_exit_stop;
  });
  thread = threads_.find(tid);
  if (!thread || gone_ || !thread->in_exit_stop)
    return rsp::fail(std::errc::no_such_process);
  return fetch_registers(*thread, want_xsave);
}

void Process::wait_until(const std::function<bool()> &done) {
  while (!gone_ && !done()) {
    auto w = tracer_.wait_any(true);
    if (!w || !*w)
      return;
    deliver((*w)->tid, (*w)->status);
  }
}

Result<arch::RegisterBlocks *> Process::fetch_registers(Thread &thread, bool want_xsave) {
  auto &cache = thread.regs;
  auto check = [&](Result<void> r) -> Result<void> {
    if (!r && is_esrch(r.error()) && thread.state == ThreadState::Stopped)
      threads_.set_state(thread, ThreadState::Exiting, "ESRCH reading registers");
    return r;
  };
  if (!cache.gpr_valid) {
    if (auto r = check(tracer_.get_gpr(thread.tid, cache.blocks.gpr)); !r)
      return rsp::fail(r.error());
    cache.gpr_valid = true;
  }
  if (want_xsave && !cache.xsave_valid) {
    // One call brings x87, SSE, AVX, AVX-512 and PKRU; without XSAVE, the FXSAVE area.
    auto &xsave = cache.blocks.xsave;
    Result<void> r;
    if (arch_.xsave_size != 0) {
      xsave.assign(arch_.xsave_size, 0);
      auto n = tracer_.get_xstate(thread.tid, xsave);
      if (!n)
        r = rsp::fail(n.error());
      else if (*n < xsave.size())
        xsave.resize(*n); // the kernel's own size: SETREGSET wants exactly that much back
    } else {
      xsave.assign(arch::RegisterBlocks::fxsave_size, 0);
      r = tracer_.get_fpx(thread.tid, xsave);
    }
    if (auto c = check(r); !c)
      return rsp::fail(c.error());
    cache.xsave_valid = true;
  }
  return &cache.blocks;
}

Result<void> Process::flush_registers(Thread &thread) {
  auto &cache = thread.regs;
  if (cache.gpr_dirty) {
    if (auto r = tracer_.set_gpr(thread.tid, cache.blocks.gpr); !r)
      return r;
    cache.gpr_dirty = false;
  }
  if (cache.xsave_dirty) {
    const auto &xsave = cache.blocks.xsave;
    auto r = arch_.xsave_size != 0 ? tracer_.set_xstate(thread.tid, xsave)
                                   : tracer_.set_fpx(thread.tid, xsave);
    if (!r)
      return r;
    cache.xsave_dirty = false;
  }
  return sync_debug_registers(thread);
}

Result<std::uint64_t> Process::read_pc(Thread &thread) {
  return read_register_value(thread, arch_.pc_regnum);
}

Result<std::uint64_t> Process::read_register_value(Thread &thread, int regnum) {
  if (regnum < 0 || static_cast<std::size_t>(regnum) >= arch_.registers.size())
    return rsp::fail(std::errc::invalid_argument);
  const auto &info = arch_.registers[static_cast<std::size_t>(regnum)];
  if (info.bitsize > 64)
    return rsp::fail(std::errc::value_too_large);
  auto blocks = fetch_registers(thread, info.block != arch::RegBlock::Gpr);
  if (!blocks)
    return rsp::fail(blocks.error());
  std::uint8_t bytes[8] = {};
  arch_.read_register(**blocks, regnum,
                      std::span<std::uint8_t>(bytes, static_cast<std::size_t>(info.bitsize / 8)));
  std::uint64_t value = 0;
  std::memcpy(&value, bytes, sizeof value); // little-endian host and target
  return value;
}

Result<void> Process::write_pc(Thread &thread, std::uint64_t pc) {
  auto blocks = fetch_registers(thread, false);
  if (!blocks)
    return rsp::fail(blocks.error());
  std::uint8_t bytes[8];
  std::memcpy(bytes, &pc, sizeof pc);
  thread.regs.mark_dirty(
      arch_.write_register(**blocks, arch_.pc_regnum, std::span<const std::uint8_t>(bytes)));
  return {};
}

Result<std::size_t> Process::read_memory(std::uint64_t addr, std::span<std::uint8_t> out) {
  return breakpoints_.read(addr, out);
}

Result<void> Process::write_memory(std::uint64_t addr, std::span<const std::uint8_t> in) {
  demote_pads_under(addr, in.size());
  forget_decoded_code(); // it may be code
  return breakpoints_.write(addr, in);
}

} // namespace stub
