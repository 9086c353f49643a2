#include "stub/inferior.hpp"

#include "stub/debug_registers.hpp"

#include "stub/attacher.hpp"
#include "stub/log.hpp"
#include "stub/osdata.hpp"
#include "stub/proc_info.hpp"
#include "stub/support/elf_symbols.hpp"
#include "stub/support/gdb_signals.hpp"
#include "stub/support/svr4_libraries.hpp"
#include "stub/support/tls_address.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

namespace stub {

Inferior::Inferior(Tracer &tracer, const arch::ArchInfo &arch) : tracer_(tracer), arch_(arch) {
  last_stop_.kind = rsp::StopKind::Exited; // `?` before any process: W00, as gdbserver
}

tl::expected<pid_t, std::string> Inferior::start(const rsp::LaunchSpec &spec) {
  if (live())
    (void)kill(process_->pid());
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
  adopt(launched->pid, false, SIGTRAP);
  return launched->pid;
}

tl::expected<pid_t, std::string> Inferior::take_over(pid_t pid) {
  if (live())
    return tl::unexpected(std::string("Already debugging a process"));
  auto seized = seize_process(tracer_, pid);
  if (!seized)
    return tl::unexpected(seized.error());
  new_process(pid, true);
  process_->adopt_attached_threads(*seized);
  // Wait for every interrupt to land.
  process_->wait_until_none_moving();
  if (process_->gone())
    return tl::unexpected(fmt::format("Process {} exited while we attached", pid));
  // gdbserver reports an attach as a stop with no signal, on the leader when it lives.
  pid_t reporter = pid;
  Thread *leader = process_->threads().find(pid);
  if (!leader || leader->state != ThreadState::Stopped)
    for (auto &[tid, t] : process_->threads())
      if (t.state == ThreadState::Stopped) {
        reporter = tid;
        break;
      }
  process_->adopt_initial_stop(reporter, 0);
  last_stop_ = process_->last_report();
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

// A Process for `pid`, with what gdb has set so far (passed signals, stop replies, mode).
void Inferior::new_process(pid_t pid, bool attached) {
  process_ = std::make_unique<Process>(tracer_, arch_, pid, attached);
  process_->set_pass_signals(pass_);
  process_->set_stop_replies(stop_replies_);
  (void)process_->set_non_stop(non_stop_);
}

void Inferior::adopt(pid_t pid, bool attached, int first_host_signal) {
  new_process(pid, attached);
  process_->adopt_initial_stop(pid, first_host_signal);
  last_stop_ = process_->last_report();
}

void Inferior::dispatch(pid_t tid, int status) {
  if (process_ && !process_->gone()) {
    process_->on_wait(tid, status);
    return;
  }
  STUB_LOG(Event, "wait {}: status {:#x} for no process of ours", tid, status);
}

void Inferior::drain_events() {
  for (;;) {
    auto w = tracer_.wait_any(false);
    if (!w || !*w)
      return; // nothing ready, or nothing left to wait for (ECHILD)
    dispatch((*w)->tid, (*w)->status);
  }
}

std::optional<rsp::StopEvent> Inferior::take_stop() {
  if (!process_)
    return std::nullopt;
  if (process_->report_due())
    drain_events(); // an exit stop already queued changes what may be reported
  auto stop = process_->take_report();
  // `?` answers with the last real stop; `w` and `N` only say what happened meanwhile.
  if (stop && stop->kind != rsp::StopKind::ThreadExited && stop->kind != rsp::StopKind::NoResumed)
    last_stop_ = *stop;
  return stop;
}

void Inferior::release() {
  if (!live())
    return;
  if (process_->attached())
    (void)detach(process_->pid());
  else
    (void)kill(process_->pid());
}

rsp::TargetFeatures Inferior::features() const {
  rsp::TargetFeatures f;
  f.range_stepping = true;
  f.breakpoint_actions = true;
  return f;
}

bool Inferior::live() const { return process_ && !process_->gone(); }

// A process whose end gdb has not heard yet still counts: gdb's next vCont gets its W/X.
bool Inferior::has_process() const { return live() || (process_ && process_->end_untold()); }

std::int64_t Inferior::current_pid() const { return has_process() ? process_->pid() : 0; }

bool Inferior::attached(std::int64_t pid) const {
  return process_ && (pid <= 0 || pid == process_->pid()) && process_->attached();
}

std::vector<rsp::ThreadInfo> Inferior::threads() {
  std::vector<rsp::ThreadInfo> out;
  if (!has_process())
    return out;
  // Threads past their exit stop (a zombie leader, threads on their way out) are left out
  // while others live, as gdbserver does; but a process whose threads are all dying must
  // not look like a process with no threads, so then they are listed until reaped.
  bool any_live = false;
  for (const auto &[tid, t] : process_->threads())
    any_live = any_live || visible(t);
  for (const auto &[tid, t] : process_->threads()) {
    if (any_live && !visible(t))
      continue;
    out.push_back({{process_->pid(), tid},
                   thread_name(process_->pid(), tid),
                   thread_core(process_->pid(), tid)});
  }
  return out;
}

bool Inferior::thread_alive(rsp::ThreadId thread) {
  if (!has_process() || (thread.pid > 0 && thread.pid != process_->pid()))
    return false;
  Thread *t = process_->threads().find(static_cast<pid_t>(thread.tid));
  return t && visible(*t);
}

// A thread held in its exit stop is still there for gdb (its registers read), as in
// gdbserver, which drops a thread only once its exit status is reaped; past that stop it
// is gone for gdb.
bool Inferior::visible(const Thread &thread) {
  return thread.state != ThreadState::Exiting || thread.in_exit_stop;
}

rsp::StopEvent Inferior::last_stop() { return last_stop_; }

Result<Thread *> Inferior::stopped_thread(rsp::ThreadId thread) {
  if (!has_process())
    return rsp::fail(std::errc::no_such_process);
  pid_t tid = static_cast<pid_t>(thread.tid);
  if (thread.tid <= 0) // any/all: the thread of the last stop
    tid = static_cast<pid_t>(last_stop_.thread.tid);
  return process_->stopped_thread(tid);
}

Result<std::vector<std::uint8_t>> Inferior::read_registers(rsp::ThreadId thread) {
  auto t = stopped_thread(thread);
  if (!t)
    return rsp::fail(t.error());
  auto blocks = process_->registers_for_gdb((*t)->tid, true);
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
  auto blocks = process_->registers_for_gdb((*t)->tid, true);
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
      (*t)->regs.mark_dirty(
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
  auto blocks = process_->registers_for_gdb((*t)->tid, xsave);
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
  auto blocks = process_->registers_for_gdb((*t)->tid, info.block == arch::RegBlock::Xsave);
  if (!blocks)
    return rsp::fail(blocks.error());
  (*t)->regs.mark_dirty(arch_.write_register(**blocks, regnum, bytes));
  return {};
}

Result<std::size_t> Inferior::read_memory(std::uint64_t addr, std::span<std::uint8_t> out) {
  if (!has_process())
    return rsp::fail(std::errc::no_such_process);
  return process_->read_memory(addr, out);
}

Result<void> Inferior::write_memory(std::uint64_t addr, std::span<const std::uint8_t> in) {
  if (!has_process())
    return rsp::fail(std::errc::no_such_process);
  return process_->write_memory(addr, in);
}

// Write watchpoints are emulated in the stub. Hardware breakpoints and read/access
// watchpoints need debug registers: refused with an error, so gdb tells the user rather than
// wait for a trap that may never come (on many VMs debug registers never fire).
Result<void> Inferior::insert_breakpoint(rsp::BreakpointType type, std::uint64_t addr, int kind) {
  if (!has_process())
    return rsp::fail(std::errc::no_such_process);
  switch (type) {
  case rsp::BreakpointType::Software:
    return process_->breakpoints().insert(addr);
  case rsp::BreakpointType::Write:
    return process_->watchpoints().insert(addr, static_cast<std::uint64_t>(kind));
  default:
    return rsp::fail(std::errc::operation_not_supported);
  }
}

Result<void> Inferior::remove_breakpoint(rsp::BreakpointType type, std::uint64_t addr, int kind) {
  if (!has_process())
    return rsp::fail(std::errc::no_such_process);
  if (type == rsp::BreakpointType::Write) {
    process_->watchpoints().remove(addr, static_cast<std::uint64_t>(kind));
    return {};
  }
  if (type != rsp::BreakpointType::Software)
    return rsp::fail(std::errc::operation_not_supported);
  process_->breakpoint_actions().erase(addr);
  return process_->breakpoints().remove(addr);
}

Result<void> Inferior::set_breakpoint_actions(std::uint64_t addr, rsp::BreakpointActions actions) {
  if (!has_process())
    return rsp::fail(std::errc::no_such_process);
  process_->breakpoint_actions().set(addr, std::move(actions));
  return {};
}

Result<void> Inferior::resume(std::span<const rsp::ResumeAction> actions) {
  if (!process_)
    return rsp::fail(std::errc::no_such_process);
  return process_->resume(actions);
}

void Inferior::interrupt() {
  if (has_process())
    process_->interrupt();
}

Result<void> Inferior::kill(std::int64_t pid) {
  if (!has_process() || (pid > 0 && pid != process_->pid()))
    return rsp::fail(std::errc::no_such_process);
  if (!live())
    return {}; // it ended on its own; nothing left to kill
  if (auto r = process_->kill(); !r)
    return r;
  // Let every thread die and reap it.
  process_->wait_until([] { return false; });
  rsp::StopEvent killed;
  killed.kind = rsp::StopKind::Terminated;
  killed.thread = {process_->pid(), process_->pid()};
  killed.signal = host_to_gdb_signal(SIGKILL);
  last_stop_ = killed;
  return {};
}

Result<void> Inferior::detach(std::int64_t pid) {
  if (!has_process() || (pid > 0 && pid != process_->pid()))
    return rsp::fail(std::errc::no_such_process);
  if (!live())
    return {}; // it ended on its own; nothing left to detach from
  return process_->detach();
}

void Inferior::set_pass_signals(std::vector<int> gdb_signals) {
  pass_.reset();
  for (int gdb : gdb_signals) {
    int host = gdb_to_host_signal(gdb);
    if (host > 0 && host < static_cast<int>(pass_.size()))
      pass_[static_cast<std::size_t>(host)] = true;
  }
  if (process_)
    process_->set_pass_signals(pass_);
}

void Inferior::set_program_signals(std::vector<int>) {
  // Every signal reaches the program unless gdb says otherwise in its resume; nothing to do.
}

void Inferior::set_stop_replies(bool thread_events, bool no_resumed) {
  stop_replies_ = {thread_events, no_resumed};
  if (process_)
    process_->set_stop_replies(stop_replies_);
}

Result<void> Inferior::set_non_stop(bool on) {
  if (process_ && !process_->gone())
    if (auto r = process_->set_non_stop(on); !r)
      return r;
  non_stop_ = on;
  return {};
}

std::vector<rsp::StopEvent> Inferior::stopped_threads() {
  if (!has_process())
    return {}; // `?` says OK: nothing is stopped (gdbserver too; a W would be taken as news)
  return process_->stopped_for_gdb();
}

Result<std::string> Inferior::read_object(std::string_view object, std::string_view annex) {
  if (object == "features") {
    auto file = arch_.feature_file(annex);
    if (!file)
      return rsp::fail(std::errc::no_such_file_or_directory);
    return std::string(*file);
  }
  if (object == "osdata")
    return osdata(annex);
  if (object == "exec-file") {
    std::int64_t pid = current_pid();
    if (!annex.empty()) {
      std::uint64_t parsed = 0;
      auto [p, ec] = std::from_chars(annex.data(), annex.data() + annex.size(), parsed, 16);
      if (ec != std::errc() || p != annex.data() + annex.size())
        return rsp::fail(std::errc::invalid_argument);
      pid = static_cast<std::int64_t>(parsed);
    }
    std::string path = pid > 0 ? executable_path(static_cast<pid_t>(pid)) : std::string();
    if (path.empty())
      return rsp::fail(std::errc::no_such_process);
    return path;
  }
  if (!has_process())
    return rsp::fail(std::errc::no_such_process);
  if (object == "auxv")
    return read_auxv();
  if (object == "libraries-svr4")
    return libraries_svr4(annex);
  return rsp::fail(std::errc::function_not_supported);
}

Result<std::string> Inferior::read_auxv() {
  bool ok = false;
  std::string auxv = read_whole_file(fmt::format("/proc/{}/auxv", process_->pid()), &ok);
  if (!ok)
    return rsp::fail(std::errc::io_error);
  return auxv;
}

// The process's memory for the support code, which reads whole structures or fails.
ReadMemory Inferior::memory_reader() {
  return [this](std::uint64_t addr, void *out, std::size_t len) {
    auto n = process_->read_memory(addr, {static_cast<std::uint8_t *>(out), len});
    return n && *n == len;
  };
}

namespace {
std::span<const std::uint8_t> as_bytes(const std::string &s) {
  return {reinterpret_cast<const std::uint8_t *>(s.data()), s.size()};
}
} // namespace

Result<std::string> Inferior::libraries_svr4(std::string_view annex) {
  auto auxv = read_auxv();
  if (!auxv)
    return auxv;
  auto xml = svr4_library_list(memory_reader(), as_bytes(*auxv), annex);
  if (!xml)
    return rsp::fail(std::errc::io_error);
  return *xml;
}

// What libthread_db would do for gdbserver, from glibc's own layout descriptors; the thread
// pointer is the thread's fs_base. The descriptors are looked up again each time: cheap next
// to gdb's round trips, and never stale after an exec.
Result<std::uint64_t> Inferior::tls_address(rsp::ThreadId thread, std::uint64_t offset,
                                            std::uint64_t lm) {
  auto tp_bytes = read_register(thread, arch_.thread_pointer_regnum);
  if (!tp_bytes)
    return rsp::fail(tp_bytes.error());
  std::uint64_t tp = 0;
  std::memcpy(&tp, tp_bytes->data(), std::min(sizeof tp, tp_bytes->size()));

  auto auxv = read_auxv();
  if (!auxv)
    return rsp::fail(auxv.error());
  const ReadMemory read = memory_reader();
  const auto layout = find_tls_layout(
      read, as_bytes(*auxv), fmt::format("/proc/{}/exe", process_->pid()), host_file_reader);
  if (!layout)
    return rsp::fail(std::errc::function_not_supported);
  const auto addr = stub::tls_address(read, *layout, tp, offset, lm);
  if (!addr)
    return rsp::fail(std::errc::resource_unavailable_try_again);
  return *addr;
}

Result<std::string> Inferior::read_siginfo(rsp::ThreadId thread) {
  auto t = stopped_thread(thread);
  if (!t)
    return rsp::fail(t.error());
  auto info = tracer_.siginfo((*t)->tid);
  if (!info)
    return rsp::fail(info.error());
  return std::string(reinterpret_cast<const char *>(&*info), sizeof(siginfo_t));
}

Result<void> Inferior::write_siginfo(rsp::ThreadId, std::span<const std::uint8_t>) {
  return rsp::fail(std::errc::operation_not_supported);
}

Result<void> Inferior::file_setfs(std::int64_t pid) { return files_.setfs(pid); }
Result<int> Inferior::file_open(std::string_view path, int gdb_flags, int mode) {
  return files_.open(path, gdb_flags, mode);
}
Result<void> Inferior::file_close(int fd) { return files_.close(fd); }
Result<std::string> Inferior::file_pread(int fd, std::size_t count, std::uint64_t offset) {
  return files_.pread(fd, count, offset);
}
Result<std::size_t> Inferior::file_pwrite(int fd, std::uint64_t offset,
                                          std::span<const std::uint8_t> data) {
  return files_.pwrite(fd, offset, data);
}
Result<rsp::FileStat> Inferior::file_fstat(int fd) { return files_.fstat(fd); }
Result<std::string> Inferior::file_readlink(std::string_view path) { return files_.readlink(path); }
Result<void> Inferior::file_unlink(std::string_view path) { return files_.unlink(path); }

// gdbserver's monitor commands, in its words (gdb's testsuite and users expect them).
Result<rsp::Target::MonitorReply> Inferior::monitor(std::string_view command) {
  static constexpr std::string_view help =
      "The following monitor commands are supported:\n"
      "  set debug <0|1>\n"
      "    Enable general debugging messages\n"
      "  set debug-hw-points <0|1>\n"
      "    Enable h/w breakpoint/watchpoint debugging messages\n"
      "  set remote-debug <0|1>\n"
      "    Enable remote protocol debugging messages\n"
      "  set debug-format option1[,option2,...]\n"
      "    Add additional information to debugging messages\n"
      "    Options: all, none, timestamp\n"
      "  exit\n"
      "    Quit GDBserver\n"
      "  watchpoints\n"
      "    How watchpoints and hardware breakpoints work here\n";
  auto toggle = [](std::string_view value, std::initializer_list<log::Channel> channels,
                   std::string_view what) -> std::optional<std::string> {
    if (value != "0" && value != "1")
      return std::nullopt;
    for (auto channel : channels)
      log::set_enabled(channel, value == "1");
    return fmt::format("{} {}.\n", what, value == "1" ? "enabled" : "disabled");
  };
  std::optional<std::string> said;
  if (command == "help")
    said = std::string(help);
  else if (command == "exit") {
    exit_requested_ = true;
    said = std::string();
  } else if (command == "watchpoints") {
    said = fmt::format(
        "Write watchpoints: emulated in the stub (each watched thread single-stepped, the "
        "watched bytes compared after every instruction).\n"
        "Debug registers on this machine: {}.\n"
        "Hardware breakpoints, read and access watchpoints: not available (refused).\n",
        debug_registers_fire() ? "they fire (not used yet)" : "they do not fire");
  } else if (command.starts_with("set debug "))
    said = toggle(command.substr(10), {log::Channel::Event, log::Channel::Ptrace}, "Debug output");
  else if (command.starts_with("set remote-debug "))
    said = toggle(command.substr(17), {log::Channel::Rsp}, "Protocol debug output");
  else if (command.starts_with("set debug-hw-points "))
    said = toggle(command.substr(20), {}, "H/W point debugging output");
  else if (command.starts_with("set debug-format ")) {
    std::string out;
    std::string_view options = command.substr(17);
    while (!options.empty()) {
      auto comma = options.find(',');
      auto option = options.substr(0, comma);
      if (option == "all")
        out += "All extra debug format options enabled.\n";
      else if (option == "none")
        out += "All extra debug format options disabled.\n";
      else if (option == "timestamp")
        out += "Timestamps will be added to debug output.\n";
      else
        return MonitorReply{fmt::format("Unknown debug-format argument: \"{}\"\n{}", option, help),
                            false};
      options = comma == std::string_view::npos ? std::string_view{} : options.substr(comma + 1);
    }
    said = out;
  } else if (command.starts_with("set libthread-db-search-path")) {
    // We find threads without libthread_db; the setting is accepted and has no effect.
    std::string_view path = command.substr(28);
    while (!path.empty() && path.front() == ' ')
      path.remove_prefix(1);
    said = fmt::format("libthread-db-search-path set to `{}'\n", path);
  }
  if (!said)
    return MonitorReply{"Unknown monitor command.\n\n" + std::string(help), false};
  return MonitorReply{*said, true};
}

} // namespace stub
