// The Inferior's processes: launch and attach, the event funnel, all-stop across processes,
// and gdb's requests routed to the process (and thread) they name.
#include "stub/inferior.hpp"

#include "stub/attacher.hpp"
#include "stub/debug_registers.hpp"
#include "stub/log.hpp"
#include "stub/proc_info.hpp"
#include "stub/support/gdb_signals.hpp"
#include "stub/terminal.hpp"
#include "stub/wait_status.hpp"

#include <algorithm>
#include <csignal>
#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

namespace stub {

Inferior::Inferior(Tracer &tracer, const arch::ArchInfo &arch) : tracer_(tracer), arch_(arch) {
  last_stop_.kind = rsp::StopKind::Exited; // `?` before any process: W00, as gdbserver
}

tl::expected<pid_t, std::string> Inferior::start(const rsp::LaunchSpec &spec) {
  for (pid_t pid : pids()) // a new run replaces whatever we debug
    (void)kill(pid);
  LaunchOptions options = defaults_;
  if (!spec.argv.empty()) {
    // vRun with no program name: the last program started, else the command line's.
    std::string program = spec.argv.front();
    if (program.empty())
      program = !program_.empty() ? program_ : defaults_.argv.empty() ? "" : defaults_.argv[0];
    options.argv = spec.argv;
    options.argv.front() = program;
  }
  options.environment.insert(options.environment.end(), spec.environment.begin(),
                             spec.environment.end());
  if (spec.startup_with_shell)
    options.startup_with_shell = *spec.startup_with_shell;
  if (!spec.working_directory.empty())
    options.working_directory = spec.working_directory;
  if (spec.disable_randomization)
    options.disable_randomization = *spec.disable_randomization;
  if (options.argv.empty())
    return tl::unexpected(
        std::string("No program to run: give one to vRun or on the command line"));
  // A bare name of a file in the current directory means that file (not a $PATH search).
  if (const std::string &p = options.argv.front(); p.find('/') == std::string::npos) {
    struct stat st {};
    char cwd[4096];
    if (::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::getcwd(cwd, sizeof cwd))
      options.argv.front() = std::string(cwd) + "/" + p;
  }
  auto launched = launch(tracer_, options);
  if (!launched)
    return tl::unexpected(launched.error());
  program_ = options.argv.front();
  processes_.clear();
  adopt(launched->pid, false, SIGTRAP);
  return launched->pid;
}

tl::expected<pid_t, std::string> Inferior::take_over(pid_t pid) {
  if (live())
    return tl::unexpected(std::string("Already debugging a process"));
  auto seized = seize_process(tracer_, pid);
  if (!seized)
    return tl::unexpected(seized.error());
  processes_.clear();
  Process &process = add_process(pid, true);
  process_ = &process;
  process.adopt_attached_threads(*seized);
  // Wait for every interrupt to land.
  process.wait_until_none_moving();
  if (process.gone())
    return tl::unexpected(fmt::format("Process {} exited while we attached", pid));
  // gdbserver reports an attach as a stop with no signal, on the leader when it lives.
  pid_t reporter = pid;
  Thread *leader = process.threads().find(pid);
  if (!leader || leader->state != ThreadState::Stopped)
    for (auto &[tid, t] : process.threads())
      if (t.state == ThreadState::Stopped) {
        reporter = tid;
        break;
      }
  process.adopt_initial_stop(reporter, 0);
  last_stop_ = process.last_report();
  return pid;
}

Result<void> Inferior::run(const rsp::LaunchSpec &spec) {
  auto started = start(spec);
  if (!started) {
    fmt::print(stderr, "{}\n", started.error());
    return rsp::fail(std::errc::no_such_file_or_directory);
  }
  fmt::print(stderr, "Process {} created; pid = {}\n", program_, *started);
  return {};
}

Result<void> Inferior::attach(std::int64_t pid) {
  auto attached = take_over(static_cast<pid_t>(pid));
  if (!attached) {
    fmt::print(stderr, "{}\n", attached.error());
    return rsp::fail(std::errc::operation_not_permitted);
  }
  fmt::print(stderr, "Attached; pid = {}\n", pid);
  return {};
}

// A Process for `pid`, with what gdb has set so far (passed signals, stop replies, mode,
// caught system calls).
Process &Inferior::add_process(pid_t pid, bool attached) {
  auto &slot = processes_[pid];
  slot = std::make_unique<Process>(tracer_, arch_, pid, attached);
  slot->set_owner(this, &fork_children_);
  slot->set_pass_signals(pass_);
  slot->set_stop_replies(stop_replies_);
  slot->set_catch_syscalls(catch_);
  (void)slot->set_non_stop(non_stop_);
  return *slot;
}

void Inferior::adopt(pid_t pid, bool attached, int first_host_signal) {
  Process &process = add_process(pid, attached);
  process_ = &process;
  process.adopt_initial_stop(pid, first_host_signal);
  last_stop_ = process.last_report();
}

bool Inferior::adopt_child(Process &parent, pid_t child, bool vfork) {
  if (!fork_children_.take_first_stop(child)) {
    // The kernel stops a new traced child at once: its first stop is moments away.
    auto w = tracer_.wait_thread(child);
    if (!w || !*w)
      return false;
    if (thread_ended(decode_wait_status((*w)->status)))
      return false;
  }
  // Not made current: gdb picks the child with Hg when it wants it.
  add_process(child, parent.attached()).adopt_fork_child(parent, vfork);
  STUB_LOG(Event, "fork child {} of {}: followed", child, parent.pid());
  return true;
}

Process *Inferior::find_process(std::int64_t pid) const {
  auto it = processes_.find(static_cast<pid_t>(pid));
  return it == processes_.end() ? nullptr : it->second.get();
}

Process *Inferior::owner_of(pid_t tid) const {
  for (auto &[pid, p] : processes_)
    if (!p->gone() && p->threads().find(tid))
      return p.get();
  // A clone child can report before its parent's clone event.
  for (auto &[pid, p] : processes_)
    if (!p->gone() && tracer_.in_thread_group(pid, tid))
      return p.get();
  return nullptr;
}

void Inferior::route(pid_t tid, int status) {
  if (Process *p = owner_of(tid)) {
    p->on_wait(tid, status);
    return;
  }
  WaitEvent event = decode_wait_status(status);
  if (thread_ended(event)) {
    // A thread already out of /proc: the only process it can be of, if there is one.
    Process *only = nullptr;
    int live_count = 0;
    for (auto &[pid, p] : processes_)
      if (!p->gone()) {
        only = p.get();
        ++live_count;
      }
    if (live_count == 1) {
      only->on_wait(tid, status);
      return;
    }
    STUB_LOG(Event, "wait {}: {} for no process of ours", tid, describe(event));
    return;
  }
  // Not a thread of ours: a fork child's first stop.
  if (auto announced = fork_children_.first_stop(tid)) {
    if (Process *parent = find_process(announced->parent); parent && !parent->gone())
      parent->release_fork_child(tid, announced->vfork);
    else
      (void)tracer_.detach(tid, 0);
  }
}

void Inferior::drain_events() {
  for (;;) {
    auto w = tracer_.wait_any(false);
    if (!w || !*w)
      return; // nothing ready, or nothing left to wait for (ECHILD)
    route((*w)->tid, (*w)->status);
  }
}

std::optional<rsp::StopEvent> Inferior::take_stop() {
  forget_finished();
  for (auto &[pid, p] : processes_) {
    if (p->report_due())
      drain_events(); // an exit stop already queued changes what may be reported
    auto stop = p->take_report();
    if (!stop)
      continue;
    if (!non_stop_)
      stop_others(*p);
    if (stop->reason == rsp::StopReason::Fork || stop->reason == rsp::StopReason::VFork)
      if (Process *child = find_process(stop->child.pid))
        child->set_announced(); // gdb knows it now: it may list, resume, detach it

    if (stop->kind == rsp::StopKind::Exited || stop->kind == rsp::StopKind::Terminated)
      reclaim_terminal_from(static_cast<pid_t>(stop->thread.pid));
    // `?` answers with the last real stop; `w` and `N` only say what happened meanwhile.
    if (stop->kind != rsp::StopKind::ThreadExited && stop->kind != rsp::StopKind::NoResumed)
      last_stop_ = *stop;
    return stop;
  }
  return std::nullopt;
}

void Inferior::stop_others(const Process &reporter) {
  for (auto &[pid, p] : processes_)
    if (p.get() != &reporter && !p->gone() && p->running_for_gdb())
      p->stop_everything_now();
}

void Inferior::forget_finished() {
  // A child whose parent ended before its fork was reported: gdb will never hear of it.
  for (auto &[pid, p] : processes_)
    if (p->unannounced() && !p->gone())
      if (Process *parent = find_process(p->parent_pid()); !parent || parent->gone())
        (void)p->detach();
  for (auto it = processes_.begin(); it != processes_.end();) {
    if (it->second->finished() && processes_.size() > 1) {
      if (process_ == it->second.get())
        process_ = nullptr;
      it = processes_.erase(it);
    } else {
      ++it;
    }
  }
  if (!process_ && !processes_.empty())
    process_ = processes_.begin()->second.get();
}

void Inferior::release() {
  for (pid_t pid : pids()) {
    Process *p = find_process(pid);
    if (!p || p->gone())
      continue;
    if (p->attached())
      (void)detach(pid);
    else
      (void)kill(pid);
  }
}

// Fork children gdb has not taken up (their fork stop unreported, or still in a
// notification queue gdb has not drained): what happens to their parent happens to them.
void Inferior::for_unaddressed_children(pid_t parent, const std::function<void(Process &)> &f) {
  for (auto &[pid, p] : processes_)
    if (!p->addressed() && !p->gone() && p->parent_pid() == parent)
      f(*p);
}

std::vector<pid_t> Inferior::pids() const {
  std::vector<pid_t> out;
  for (auto &[pid, p] : processes_)
    out.push_back(pid);
  return out;
}

rsp::TargetFeatures Inferior::features() const {
  rsp::TargetFeatures f;
  f.range_stepping = true;
  f.breakpoint_actions = true;
  f.fork_events = true;
  f.catch_syscalls = true;
  return f;
}

bool Inferior::live() const {
  for (auto &[pid, p] : processes_)
    if (!p->gone())
      return true;
  return false;
}

// A process whose end gdb has not heard yet still counts: gdb's next vCont gets its W/X.
bool Inferior::has_process() const {
  for (auto &[pid, p] : processes_)
    if (counts(*p))
      return true;
  return false;
}

std::int64_t Inferior::current_pid() const {
  if (Process *p = current_process())
    return p->pid();
  for (auto &[pid, p] : processes_)
    if (counts(*p))
      return pid;
  return 0;
}

void Inferior::select_thread(rsp::ThreadId thread) {
  if (Process *p = thread.pid > 0 ? find_process(thread.pid) : nullptr) {
    process_ = p;
    p->set_addressed();
  }
}

bool Inferior::attached(std::int64_t pid) const {
  Process *p = pid > 0 ? find_process(pid) : process_;
  return p && p->attached();
}

Process *Inferior::process_of(rsp::ThreadId thread) const {
  Process *p = thread.pid > 0 ? find_process(thread.pid) : process_;
  return p && counts(*p) ? p : nullptr;
}

Process *Inferior::current_process() const { return process_of({}); }

std::vector<rsp::ThreadInfo> Inferior::threads() {
  std::vector<rsp::ThreadInfo> out;
  for (auto &[pid, p] : processes_) {
    if (!counts(*p) || p->unannounced())
      continue;
    // Threads past their exit stop (a zombie leader, threads on their way out) are left out
    // while others live, as gdbserver does; but a process whose threads are all dying must
    // not look like a process with no threads, so then they are listed until reaped.
    bool any_live = false;
    for (const auto &[tid, t] : p->threads())
      any_live = any_live || visible(t);
    for (const auto &[tid, t] : p->threads()) {
      if (any_live && !visible(t))
        continue;
      ThreadStat stat = thread_stat(pid, tid); // one /proc read for the name and the core
      out.push_back({{pid, tid}, std::move(stat.name), stat.core});
    }
  }
  return out;
}

bool Inferior::thread_alive(rsp::ThreadId thread) {
  Process *p = process_of(thread);
  if (!p)
    return false;
  Thread *t = p->threads().find(static_cast<pid_t>(thread.tid));
  return t && visible(*t);
}

// A thread held in its exit stop is still there for gdb (its registers read), as in
// gdbserver, which drops a thread only once its exit status is reaped; past that stop it
// is gone for gdb.
bool Inferior::visible(const Thread &thread) {
  return thread.state != ThreadState::Exiting || thread.in_exit_stop;
}

rsp::StopEvent Inferior::last_stop() { return last_stop_; }

Result<Inferior::Located> Inferior::stopped_thread(rsp::ThreadId thread) {
  Process *p = process_of(thread);
  if (!p)
    return rsp::fail(std::errc::no_such_process);
  pid_t tid = static_cast<pid_t>(thread.tid);
  if (thread.tid <= 0) // any/all: the thread of the last stop
    tid = static_cast<pid_t>(last_stop_.thread.pid == p->pid() ? last_stop_.thread.tid
                                                               : p->last_report().thread.tid);
  auto t = p->stopped_thread(tid);
  if (!t)
    return rsp::fail(t.error());
  return Located{p, *t};
}

Result<std::vector<std::uint8_t>> Inferior::read_registers(rsp::ThreadId thread) {
  auto t = stopped_thread(thread);
  if (!t)
    return rsp::fail(t.error());
  auto blocks = t->process->registers_for_gdb(t->thread->tid, true);
  if (!blocks)
    return rsp::fail(blocks.error());
  std::vector<std::uint8_t> out(arch_.g_size());
  std::size_t offset = 0;
  for (std::size_t regnum = 0; regnum < arch_.registers.size(); ++regnum) {
    auto size = static_cast<std::size_t>(arch_.registers[regnum].bitsize / 8);
    arch_.read_register(**blocks, static_cast<int>(regnum), {out.data() + offset, size});
    offset += size;
  }
  return out;
}

Result<void> Inferior::write_registers(rsp::ThreadId thread, std::span<const std::uint8_t> bytes) {
  auto t = stopped_thread(thread);
  if (!t)
    return rsp::fail(t.error());
  auto blocks = t->process->registers_for_gdb(t->thread->tid, true);
  if (!blocks)
    return rsp::fail(blocks.error());
  std::size_t offset = 0;
  for (std::size_t regnum = 0; regnum < arch_.registers.size(); ++regnum) {
    auto size = static_cast<std::size_t>(arch_.registers[regnum].bitsize / 8);
    if (offset + size > bytes.size())
      break; // gdb may send a shorter block; the rest stays as it is
    std::vector<std::uint8_t> current(size);
    arch_.read_register(**blocks, static_cast<int>(regnum), current);
    if (!std::equal(current.begin(), current.end(), bytes.begin() + static_cast<long>(offset))) {
      t->thread->regs.mark_dirty(
          arch_.write_register(**blocks, static_cast<int>(regnum), bytes.subspan(offset, size)));
    }
    offset += size;
  }
  return {};
}

Result<std::vector<std::uint8_t>> Inferior::read_register(rsp::ThreadId thread, int regnum) {
  if (regnum < 0 || static_cast<std::size_t>(regnum) >= arch_.registers.size())
    return rsp::fail(std::errc::invalid_argument);
  auto t = stopped_thread(thread);
  if (!t)
    return rsp::fail(t.error());
  bool xsave = arch_.registers[static_cast<std::size_t>(regnum)].block == arch::RegBlock::Xsave;
  auto blocks = t->process->registers_for_gdb(t->thread->tid, xsave);
  if (!blocks)
    return rsp::fail(blocks.error());
  std::vector<std::uint8_t> out(
      static_cast<std::size_t>(arch_.registers[static_cast<std::size_t>(regnum)].bitsize / 8));
  arch_.read_register(**blocks, regnum, out);
  return out;
}

Result<void> Inferior::write_register(rsp::ThreadId thread, int regnum,
                                      std::span<const std::uint8_t> bytes) {
  if (regnum < 0 || static_cast<std::size_t>(regnum) >= arch_.registers.size())
    return rsp::fail(std::errc::invalid_argument);
  const auto &info = arch_.registers[static_cast<std::size_t>(regnum)];
  if (bytes.size() != static_cast<std::size_t>(info.bitsize / 8))
    return rsp::fail(std::errc::invalid_argument);
  auto t = stopped_thread(thread);
  if (!t)
    return rsp::fail(t.error());
  auto blocks = t->process->registers_for_gdb(t->thread->tid, info.block == arch::RegBlock::Xsave);
  if (!blocks)
    return rsp::fail(blocks.error());
  t->thread->regs.mark_dirty(arch_.write_register(**blocks, regnum, bytes));
  return {};
}

Result<std::size_t> Inferior::read_memory(std::uint64_t addr, std::span<std::uint8_t> out) {
  Process *p = current_process();
  if (!p)
    return rsp::fail(std::errc::no_such_process);
  return p->read_memory(addr, out);
}

Result<void> Inferior::write_memory(std::uint64_t addr, std::span<const std::uint8_t> in) {
  Process *p = current_process();
  if (!p)
    return rsp::fail(std::errc::no_such_process);
  return p->write_memory(addr, in);
}

// Where the debug registers fire, Z1-Z4 go into them. Elsewhere write watchpoints are
// emulated in the stub, and hardware breakpoints and read/access watchpoints are refused
// with an error, so gdb tells the user rather than wait for a trap that never comes (on
// many VMs debug registers never fire). x86 cannot watch reads alone: Z3 is unsupported
// (empty reply) as with gdbserver, and gdb sets an access watchpoint instead and ignores
// the hits that changed the value; a Z3 we took as read-or-write would report the writes.
namespace {
bool read_only_watch(rsp::BreakpointType type) {
  return type == rsp::BreakpointType::Read && use_debug_registers();
}

std::optional<arch::x86_64::HardwarePoint> hardware_point(rsp::BreakpointType type) {
  if (type == rsp::BreakpointType::Software || !use_debug_registers())
    return std::nullopt;
  return static_cast<arch::x86_64::HardwarePoint>(static_cast<int>(type));
}
} // namespace

Result<void> Inferior::insert_breakpoint(rsp::BreakpointType type, std::uint64_t addr, int kind) {
  return change_point(PointChange::Insert, type, addr, kind);
}

Result<void> Inferior::remove_breakpoint(rsp::BreakpointType type, std::uint64_t addr, int kind) {
  return change_point(PointChange::Remove, type, addr, kind);
}

// Z and z alike: a change to the debug registers or the emulated watchpoints also reaches
// the threads running (points_changed); software breakpoints are memory, seen at once.
Result<void> Inferior::change_point(PointChange change, rsp::BreakpointType type,
                                    std::uint64_t addr, int kind) {
  Process *p = current_process();
  if (!p)
    return rsp::fail(std::errc::no_such_process);
  if (read_only_watch(type))
    return rsp::fail(std::errc::function_not_supported);
  bool insert = change == PointChange::Insert;
  if (type == rsp::BreakpointType::Software)
    return insert ? p->insert_software_breakpoint(addr) : p->remove_software_breakpoint(addr);
  auto len = static_cast<std::uint64_t>(kind);
  Result<void> r;
  if (auto hw = hardware_point(type)) {
    if (*hw == arch::x86_64::HardwarePoint::Breakpoint)
      len = 1;
    r = insert ? p->insert_hardware_point(*hw, addr, len)
               : p->remove_hardware_point(*hw, addr, len);
  } else if (type == rsp::BreakpointType::Write) {
    if (insert)
      r = p->watchpoints().insert(addr, len);
    else
      p->watchpoints().remove(addr, len);
  } else {
    return rsp::fail(std::errc::operation_not_supported);
  }
  if (r)
    p->points_changed();
  return r;
}

Result<void> Inferior::set_breakpoint_actions(std::uint64_t addr, rsp::BreakpointActions actions) {
  Process *p = current_process();
  if (!p)
    return rsp::fail(std::errc::no_such_process);
  p->set_jump_pads(jump_pads_);
  p->set_breakpoint_actions(addr, std::move(actions));
  return {};
}

// Each process runs the actions that name it (or every process); the others stay as
// they are (gdb's `set schedule-multiple off` resumes one process: `vCont;c:pPID.-1`).
Result<void> Inferior::resume(std::span<const rsp::ResumeAction> actions) {
  forget_finished();
  bool by_wildcard =
      std::any_of(actions.begin(), actions.end(), [](const auto &a) { return a.thread.pid <= 0; });
  bool any = false;
  for (auto &[pid, p] : processes_) {
    bool by_pid = std::any_of(actions.begin(), actions.end(),
                              [pid = pid](const auto &a) { return a.thread.pid == pid; });
    if (by_pid)
      p->set_addressed();
    bool named = by_pid || (by_wildcard && p->addressed());
    if (!named || !counts(*p) || p->unannounced())
      continue;
    if (auto r = p->resume(actions); !r)
      return r;
    any = true;
  }
  // Actions naming no process of ours resume nothing: the current process says so (`N`).
  if (Process *current = any ? nullptr : current_process())
    return current->resume(actions);
  if (!any)
    return rsp::fail(std::errc::no_such_process);
  return {};
}

// ^C: one running process stops (the current one first); its stop stops the others.
void Inferior::interrupt() {
  if (non_stop_) {
    for (auto &[pid, p] : processes_)
      if (!p->gone())
        p->interrupt();
    return;
  }
  if (process_ && !process_->gone() && process_->running_for_gdb()) {
    process_->interrupt();
    return;
  }
  for (auto &[pid, p] : processes_)
    if (!p->gone() && p->running_for_gdb()) {
      p->interrupt();
      return;
    }
}

Result<void> Inferior::kill(std::int64_t pid) {
  Process *p = process_of({pid, 0});
  if (!p)
    return rsp::fail(std::errc::no_such_process);
  if (p->gone())
    return {}; // it ended on its own; nothing left to kill
  for_unaddressed_children(p->pid(), [this](Process &child) {
    if (child.kill())
      child.wait_until([] { return false; });
  });
  if (auto r = p->kill(); !r)
    return r;
  // Let every thread die and reap it.
  p->wait_until([] { return false; });
  rsp::StopEvent killed;
  killed.kind = rsp::StopKind::Terminated;
  killed.thread = {p->pid(), p->pid()};
  killed.signal = host_to_gdb_signal(SIGKILL);
  last_stop_ = killed;
  reclaim_terminal_from(p->pid());
  forget_finished();
  return {};
}

Result<void> Inferior::detach(std::int64_t pid) {
  Process *p = process_of({pid, 0});
  if (!p)
    return rsp::fail(std::errc::no_such_process);
  if (p->gone())
    return {}; // it ended on its own; nothing left to detach from
  for_unaddressed_children(p->pid(), [](Process &child) { (void)child.detach(); });
  pid_t detached = p->pid();
  auto r = p->detach();
  reclaim_terminal_from(detached);
  forget_finished();
  return r;
}

void Inferior::set_pass_signals(std::vector<int> gdb_signals) {
  pass_.reset();
  for (int gdb : gdb_signals) {
    int host = gdb_to_host_signal(gdb);
    if (host > 0 && host < static_cast<int>(pass_.size()))
      pass_[static_cast<std::size_t>(host)] = true;
  }
  for (auto &[pid, p] : processes_)
    p->set_pass_signals(pass_);
}

void Inferior::set_program_signals(std::vector<int>) {
  // Every signal reaches the program unless gdb says otherwise in its resume; nothing to do.
}

void Inferior::set_stop_replies(bool thread_events, bool no_resumed) {
  stop_replies_.thread_events = thread_events;
  stop_replies_.no_resumed = no_resumed;
  for (auto &[pid, p] : processes_)
    p->set_stop_replies(stop_replies_);
}

void Inferior::set_fork_events(bool fork, bool vfork) {
  stop_replies_.fork_events = fork;
  stop_replies_.vfork_events = vfork;
  for (auto &[pid, p] : processes_)
    p->set_stop_replies(stop_replies_);
}

Result<void> Inferior::set_catch_syscalls(bool on, std::vector<int> numbers) {
  catch_.enabled = on;
  catch_.numbers = std::set<int>(numbers.begin(), numbers.end());
  for (auto &[pid, p] : processes_)
    p->set_catch_syscalls(catch_);
  return {};
}

Result<void> Inferior::set_non_stop(bool on) {
  for (auto &[pid, p] : processes_)
    if (!p->gone())
      if (auto r = p->set_non_stop(on); !r)
        return r;
  non_stop_ = on;
  return {};
}

std::vector<rsp::StopEvent> Inferior::stopped_threads() {
  std::vector<rsp::StopEvent> out;
  // `?` says OK when nothing is stopped (gdbserver too; a W would be taken as news).
  for (auto &[pid, p] : processes_)
    if (counts(*p) && !p->unannounced())
      for (auto &stop : p->stopped_for_gdb())
        out.push_back(std::move(stop));
  return out;
}

} // namespace stub
