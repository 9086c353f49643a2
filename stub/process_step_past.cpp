// Breakpoint hits the stub settles itself (a false target-side condition, a dprintf): the
// conditions are evaluated against the stopped thread, and the thread is stepped past the
// breakpoint with every other thread held, so none runs through it while it is lifted.
#include "stub/log.hpp"
#include "stub/process.hpp"
#include "stub/wait_status.hpp"

#include <csignal>
#include <cstdio>

namespace stub {
namespace {

// Agent bytecode sees one stopped thread: its registers (fetched once, cached) and the
// process's memory as the program wrote it (never our breakpoint bytes).
class ThreadMachine final : public rsp::agent::Machine {
public:
  ThreadMachine(Process &process, Thread &thread) : process_(process), thread_(thread) {}

  std::optional<std::uint64_t> read_register(int regnum) override {
    auto value = process_.read_register_value(thread_, regnum);
    return value ? std::optional(*value) : std::nullopt;
  }

  bool read_memory(std::uint64_t addr, std::span<std::uint8_t> out) override {
    auto n = process_.read_memory(addr, out);
    return n && *n == out.size();
  }

  // gdbserver prints agent dprintf output on its own terminal; stderr keeps it out of the
  // protocol stream when gdb talks to us over stdio.
  void print(std::string_view text) override {
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
  }

private:
  Process &process_;
  Thread &thread_;
};

} // namespace

bool is_system_call(std::span<const std::uint8_t> code) {
  return code.size() >= 2 &&
         ((code[0] == 0x0f && code[1] == 0x05) || (code[0] == 0xcd && code[1] == 0x80) ||
          (code[0] == 0x0f && code[1] == 0x34));
}

bool Process::settle_hit_in_stub(Thread &thread) {
  auto pc = read_pc(thread);
  if (!pc || !actions_.any_at(*pc))
    return false;
  ThreadMachine machine(*this, thread);
  if (actions_.on_hit(*pc, machine) == HitVerdict::Report)
    return false;
  return step_past_breakpoint(thread, *pc);
}

// Threads hitting while others are held (their stops come in while we pause the others)
// join the queue, and each is stepped past in turn before anything runs again.
bool Process::step_past_breakpoint(Thread &thread, std::uint64_t addr) {
  // A system call may block until another thread acts, and every other thread is held
  // while we step: never step one inside the stub.
  if (system_call_at(addr))
    return false;
  step_past_queue_.push_back({thread.tid, addr});
  if (pausing_)
    return true;
  hold_running_threads("held while a thread steps past a breakpoint");
  while (!step_past_queue_.empty() && !gone_) {
    auto [tid, at] = step_past_queue_.front();
    step_past_queue_.pop_front();
    step_one_past(tid, at);
  }
  step_past_queue_.clear();
  release_held_threads();
  return true;
}

void Process::hold_running_threads(std::string_view why) {
  pausing_ = true;
  for (auto &[tid, t] : threads_)
    if (t.state == ThreadState::Running)
      interrupt_thread(t, why);
  wait_until_none_moving();
}

void Process::release_held_threads() {
  pausing_ = false;
  if (gone_)
    return;
  for (auto &[tid, t] : threads_)
    if (t.state == ThreadState::Stopped && !t.pending && should_run(t) &&
        (non_stop_ || t.resume_requested))
      keep_going(t);
}

void Process::points_changed() {
  refresh_breakpoint_forms();
  if (pausing_ || gone_)
    return;
  bool running = false;
  for (const auto &[tid, t] : threads_)
    running = running || t.state == ThreadState::Running;
  if (!running)
    return;
  hold_running_threads("watchpoints changed");
  release_held_threads(); // run() gives each the new debug registers, or the emulation
}

void Process::step_one_past(pid_t tid, std::uint64_t addr) {
  auto stepping = [&]() -> Thread * {
    Thread *t = threads_.find(tid);
    return t && t->state == ThreadState::Stopped ? t : nullptr;
  };
  Thread *t = stepping();
  if (!t || !breakpoints_.lift_one(addr))
    return;
  std::optional<PendingStop> fault;   // a signal the instruction itself raised: gdb sees it
  std::optional<PendingStop> watched; // a watchpoint the instruction hit: gdb sees it too
  while ((t = stepping()) != nullptr) {
    t->step_past_signal = 0;
    if (!flush_registers(*t) || !tracer_.step(tid, 0)) {
      threads_.set_state(*t, ThreadState::Exiting, "ESRCH stepping past a breakpoint");
      break;
    }
    t->regs.invalidate();
    t->in_signal_stop = false;
    t->stepping_past = true;
    threads_.set_state(*t, ThreadState::Running, "stepping past a breakpoint");
    wait_until([&] {
      Thread *x = threads_.find(tid);
      return !x || x->state != ThreadState::Running;
    });
    if ((t = stepping()) == nullptr)
      break;
    t->stepping_past = false;
    int signal = std::exchange(t->step_past_signal, 0);
    auto info = signal ? tracer_.siginfo(tid) : decltype(tracer_.siginfo(tid)){};
    if (signal == SIGTRAP && info &&
        (info->si_code == TRAP_TRACE || info->si_code == TRAP_HWBKPT)) {
      watched = watch_hit_after_step(*t, &*info);
      if (watched || info->si_code == TRAP_TRACE)
        break; // stepped
    }
    if (signal > 0 && info && signal_is_asynchronous(signal, info->si_code) &&
        t->hold_signal(signal)) // raised when it runs on
      continue;
    if (signal > 0)
      fault = PendingStop{signal, rsp::StopReason::None};
    break; // a fault, or a stop of another kind (group-stop): gdb is told or it runs on
  }
  if (Thread *x = threads_.find(tid))
    x->stepping_past = false;
  if (gone_)
    return;
  (void)breakpoints_.restore_one(addr);
  if ((t = stepping()) == nullptr)
    return;
  if (fault)
    record_report(*t, *fault);
  else if (watched)
    record_report(*t, *watched);
  else if (t->last_resume == rsp::ResumeKind::RangeStep && !in_range(*t))
    record_report(*t, PendingStop{SIGTRAP, rsp::StopReason::None}); // the range is done
}

std::optional<PendingStop> Process::watch_hit_after_step(Thread &thread, const siginfo_t *info) {
  if (auto hit = hardware_point_hit(thread, info))
    return hit;
  return emulated_watch_hit();
}

} // namespace stub
