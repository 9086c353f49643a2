#pragma once
// The Linux target behind rsp::Session: the traced processes (one, plus the fork children
// gdb follows), the event funnel that hands each wait status to its process, objects and
// host files. Memory, breakpoints and objects act on gdb's current process (Hg).
#include "arch/arch.hpp"
#include "rsp/target.hpp"
#include "stub/host_files.hpp"
#include "stub/launcher.hpp"
#include "stub/process.hpp"
#include "stub/support/svr4_libraries.hpp"
#include "stub/tracer.hpp"

#include <functional>
#include <map>
#include <memory>

namespace stub {

class Inferior final : public rsp::Target, private ProcessOwner {
public:
  Inferior(Tracer &tracer, const arch::ArchInfo &arch);

  // How programs are started unless gdb says otherwise (command line options).
  void set_launch_defaults(LaunchOptions defaults) { defaults_ = std::move(defaults); }
  // Start a program / attach to a process; on failure, gdbserver's error message.
  tl::expected<pid_t, std::string> start(const rsp::LaunchSpec &spec);
  tl::expected<pid_t, std::string> take_over(pid_t pid);

  // The funnel: drain every ready wait status (waitpid(-1, __WALL | WNOHANG)).
  void drain_events();
  // A stop for gdb, when one is ready.
  std::optional<rsp::StopEvent> take_stop();
  // Disconnect: kill what we launched, detach from what we attached to.
  void release();
  // gdb said `monitor exit`.
  bool exit_requested() const { return exit_requested_; }

  // rsp::Target
  rsp::TargetFeatures features() const override;
  bool has_process() const override;
  std::int64_t current_pid() const override;
  void select_thread(rsp::ThreadId thread) override;
  bool attached(std::int64_t pid) const override;
  std::vector<rsp::ThreadInfo> threads() override;
  bool thread_alive(rsp::ThreadId thread) override;
  rsp::StopEvent last_stop() override;
  Result<std::vector<std::uint8_t>> read_registers(rsp::ThreadId thread) override;
  Result<void> write_registers(rsp::ThreadId thread, std::span<const std::uint8_t> bytes) override;
  Result<std::vector<std::uint8_t>> read_register(rsp::ThreadId thread, int regnum) override;
  Result<void> write_register(rsp::ThreadId thread, int regnum,
                              std::span<const std::uint8_t> bytes) override;
  Result<std::size_t> read_memory(std::uint64_t addr, std::span<std::uint8_t> out) override;
  Result<void> write_memory(std::uint64_t addr, std::span<const std::uint8_t> in) override;
  Result<void> insert_breakpoint(rsp::BreakpointType type, std::uint64_t addr, int kind) override;
  Result<void> remove_breakpoint(rsp::BreakpointType type, std::uint64_t addr, int kind) override;
  Result<void> set_breakpoint_actions(std::uint64_t addr, rsp::BreakpointActions actions) override;
  Result<void> run(const rsp::LaunchSpec &spec) override;
  Result<void> attach(std::int64_t pid) override;
  Result<void> resume(std::span<const rsp::ResumeAction> actions) override;
  void interrupt() override;
  Result<void> kill(std::int64_t pid) override;
  Result<void> detach(std::int64_t pid) override;
  void set_pass_signals(std::vector<int> gdb_signals) override;
  void set_program_signals(std::vector<int> gdb_signals) override;
  void set_stop_replies(bool thread_events, bool no_resumed) override;
  void set_fork_events(bool fork, bool vfork) override;
  Result<void> set_catch_syscalls(bool on, std::vector<int> numbers) override;
  Result<void> set_non_stop(bool on) override;
  std::vector<rsp::StopEvent> stopped_threads() override;
  Result<std::string> read_object(std::string_view object, std::string_view annex) override;
  Result<std::uint64_t> tls_address(rsp::ThreadId thread, std::uint64_t offset,
                                    std::uint64_t lm) override;
  Result<std::string> read_siginfo(rsp::ThreadId thread) override;
  Result<void> write_siginfo(rsp::ThreadId thread, std::span<const std::uint8_t> bytes) override;
  Result<void> file_setfs(std::int64_t pid) override;
  Result<int> file_open(std::string_view path, int gdb_flags, int mode) override;
  Result<void> file_close(int fd) override;
  Result<std::string> file_pread(int fd, std::size_t count, std::uint64_t offset) override;
  Result<std::size_t> file_pwrite(int fd, std::uint64_t offset,
                                  std::span<const std::uint8_t> data) override;
  Result<rsp::FileStat> file_fstat(int fd) override;
  Result<std::string> file_readlink(std::string_view path) override;
  Result<void> file_unlink(std::string_view path) override;
  Result<MonitorReply> monitor(std::string_view command) override;

private:
  enum class PointChange { Insert, Remove };
  Result<void> change_point(PointChange change, rsp::BreakpointType type, std::uint64_t addr,
                            int kind);

  // A thread of one of our processes, stopped.
  struct Located {
    Process *process;
    Thread *thread;
  };

  // ProcessOwner
  void route(pid_t tid, int status) override;
  bool adopt_child(Process &parent, pid_t child, bool vfork) override;

  static bool counts(const Process &p) { return !p.gone() || p.end_untold(); }
  bool live() const; // a process that has not ended
  static bool visible(const Thread &thread);
  Process *find_process(std::int64_t pid) const;
  std::vector<pid_t> pids() const; // a copy: killing or detaching may drop processes
  void for_unaddressed_children(pid_t parent, const std::function<void(Process &)> &f);
  Process *owner_of(pid_t tid) const;
  Process *process_of(rsp::ThreadId thread) const; // its pid's, or the current one
  Process *current_process() const;                // gdb's (Hg), while it counts
  Result<Located> stopped_thread(rsp::ThreadId thread);
  Process &add_process(pid_t pid, bool attached);
  // Processes over and told (or detached) are dropped; the current one moves on.
  void forget_finished();
  void adopt(pid_t pid, bool attached, int first_host_signal);
  // all-stop: a stop of one process stops every other process gdb has running.
  void stop_others(const Process &reporter);
  Result<std::string> read_auxv(const Process &process);
  ReadMemory memory_reader(Process &process);
  Result<std::string> libraries_svr4(Process &process, std::string_view annex);

  Tracer &tracer_;
  const arch::ArchInfo &arch_;
  std::map<pid_t, std::unique_ptr<Process>> processes_;
  Process *process_ = nullptr; // gdb's current process
  ForkChildren fork_children_;
  std::bitset<65> pass_;
  StopReplies stop_replies_;
  SyscallCatch catch_;
  bool non_stop_ = false;
  rsp::StopEvent last_stop_;
  HostFiles files_;
  LaunchOptions defaults_;
  std::string program_; // the last program started
  bool exit_requested_ = false;
  bool jump_pads_ = true; // monitor jump-pads
};

} // namespace stub
