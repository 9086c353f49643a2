#pragma once
// The only thing rsp/ knows of the debuggee. stub::Inferior implements it for Linux;
// tests implement it with a fake. Inspection calls are made only while the target is
// stopped (Session guarantees it). Signals are gdb's numbering (GDB_SIGNAL_*).
#include "rsp/result.hpp"
#include "rsp/stop_event.hpp"
#include "rsp/thread_id.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rsp {

enum class ResumeKind { Continue, Step, Stop, RangeStep };

// One vCont action. Threads are matched left to right; the first action that matches a
// thread applies to it; threads no action matches stay stopped.
struct ResumeAction {
  ResumeKind kind = ResumeKind::Continue;
  int signal = 0; // gdb signal to deliver, 0 for none
  ThreadId thread{ThreadId::all, ThreadId::all};
  std::uint64_t range_begin = 0; // RangeStep: [begin, end)
  std::uint64_t range_end = 0;
};

// Z/z packet type field.
enum class BreakpointType { Software = 0, Hardware = 1, Write = 2, Read = 3, Access = 4 };

struct ThreadInfo {
  ThreadId id;
  std::string name; // from comm; may be empty
  int core = -1;
};

// Host file status for vFile:fstat; Session encodes it as gdb's big-endian fio stat.
struct FileStat {
  std::uint32_t dev = 0, ino = 0, mode = 0, nlink = 0, uid = 0, gid = 0, rdev = 0;
  std::uint64_t size = 0, blksize = 0, blocks = 0;
  std::uint32_t atime = 0, mtime = 0, ctime = 0;
};

// One change to the environment of programs started by vRun (nullopt value = unset).
struct EnvironmentChange {
  std::string name;
  std::optional<std::string> value;
};

// How to start a program (vRun, R): what gdb configured with the Q packets.
struct LaunchSpec {
  std::vector<std::string> argv; // argv[0] is the program; empty: the stub's default program
  std::vector<EnvironmentChange> environment; // applied in order to the stub's environment
  std::optional<bool> startup_with_shell;     // nullopt: the stub's default
  std::string working_directory;              // empty: the stub's
  std::optional<bool> disable_randomization;  // nullopt: the stub's default
};

// What the target can do, so qSupported advertises only what works.
struct TargetFeatures {
  bool auxv = true;
  bool exec_file = true;
  bool libraries_svr4 = true;
  bool vfile = true;
  bool hardware_breakpoints = false;
  bool watchpoints = false;
  bool range_stepping = false;
  bool siginfo = true;
  bool exec_events = true;         // exec stops carry the new image's path
  bool osdata = true;              // qXfer:osdata (info os)
  bool breakpoint_actions = false; // ConditionalBreakpoints, BreakpointCommands (agent bytecode)
  bool fork_events = false;        // fork-events+, vfork-events+ (with multiprocess+)
  bool catch_syscalls = false;     // QCatchSyscalls
};

// What gdb asks the target to do at a breakpoint instead of reporting every hit: report
// only when one of the conditions holds (none: always), and then run the commands (dprintf)
// instead of reporting. Both are agent-expression bytecode.
struct BreakpointActions {
  std::vector<std::vector<std::uint8_t>> conditions;
  std::vector<std::vector<std::uint8_t>> commands;
};

class Target {
public:
  virtual ~Target() = default;

  virtual TargetFeatures features() const = 0;

  // --- process and threads -------------------------------------------------------------
  virtual bool has_process() const = 0;
  virtual std::int64_t current_pid() const = 0; // 0 when there is no process
  // gdb's general thread (Hg): memory, breakpoints and objects act on its process from now.
  virtual void select_thread(ThreadId /*thread*/) {}
  virtual bool attached(std::int64_t pid) const = 0; // qAttached: attached vs launched
  virtual std::vector<ThreadInfo> threads() = 0;
  virtual bool thread_alive(ThreadId thread) = 0;
  // The stop most recently reported (for `?`); the target remembers it, even after an exit.
  virtual StopEvent last_stop() = 0;

  // --- registers: gdb's byte blocks, in the target description's register order ----------
  virtual Result<std::vector<std::uint8_t>> read_registers(ThreadId thread) = 0;
  virtual Result<void> write_registers(ThreadId thread, std::span<const std::uint8_t> bytes) = 0;
  virtual Result<std::vector<std::uint8_t>> read_register(ThreadId thread, int regnum) = 0;
  virtual Result<void> write_register(ThreadId thread, int regnum,
                                      std::span<const std::uint8_t> bytes) = 0;

  // --- memory: reads may be short (the count read is returned); never show our breakpoints
  virtual Result<std::size_t> read_memory(std::uint64_t addr, std::span<std::uint8_t> out) = 0;
  virtual Result<void> write_memory(std::uint64_t addr, std::span<const std::uint8_t> in) = 0;

  // --- breakpoints: errc::function_not_supported means "unsupported" (empty reply) ------
  virtual Result<void> insert_breakpoint(BreakpointType type, std::uint64_t addr, int kind) = 0;
  virtual Result<void> remove_breakpoint(BreakpointType type, std::uint64_t addr, int kind) = 0;
  // Called after each Z0/Z1 insertion when features().breakpoint_actions: replaces the
  // breakpoint's actions (empty: report every hit). Removal forgets them.
  virtual Result<void> set_breakpoint_actions(std::uint64_t /*addr*/,
                                              BreakpointActions /*actions*/) {
    return fail(std::errc::function_not_supported);
  }

  // --- extended-remote: start or attach; the new process is stopped and last_stop() says how
  virtual Result<void> run(const LaunchSpec &spec) = 0;
  virtual Result<void> attach(std::int64_t pid) = 0;

  // --- execution --------------------------------------------------------------------------
  // Returns at once. The resulting stop is later handed to Session::on_stop.
  virtual Result<void> resume(std::span<const ResumeAction> actions) = 0;
  // ^C while running: stop everything; the stop (GDB_SIGNAL_INT) comes via on_stop.
  virtual void interrupt() = 0;
  virtual Result<void> kill(std::int64_t pid) = 0;
  virtual Result<void> detach(std::int64_t pid) = 0;
  virtual void set_pass_signals(std::vector<int> gdb_signals) = 0;
  virtual void set_program_signals(std::vector<int> gdb_signals) = 0;
  // Which stop replies this gdb takes beyond T/S/W/X: thread events (QThreadEvents:1: a
  // new thread's first stop as `T05create`, a thread's exit as `w`) and `N` when nothing
  // resumed is left to wait for (no-resumed+). A target never produces a stop gdb cannot take.
  virtual void set_stop_replies(bool thread_events, bool no_resumed) = 0;
  // fork-events+ / vfork-events+ negotiated: a fork child is kept (stopped, a process of
  // its own) and the parent's stop reply says `fork:`/`vfork:`; `vforkdone` follows a vfork.
  virtual void set_fork_events(bool /*fork*/, bool /*vfork*/) {}
  // QCatchSyscalls: stop at the entry and return of these system calls (empty: all).
  virtual Result<void> set_catch_syscalls(bool /*on*/, std::vector<int> /*numbers*/) {
    return fail(std::errc::function_not_supported);
  }

  // --- non-stop mode (QNonStop:1) -------------------------------------------------------
  // Each thread stops and resumes on its own; every stop is handed to Session::on_stop
  // as it happens, without stopping the others. An error: the mode cannot be changed now.
  virtual Result<void> set_non_stop(bool on) = 0;
  // For `?` in non-stop mode: a stop for each thread gdb should see stopped (its last
  // stop), or the process's end.
  virtual std::vector<StopEvent> stopped_threads() = 0;

  // --- qXfer objects, whole; Session slices offset/length. ------------------------------
  // object: "features", "auxv", "exec-file", "libraries-svr4", ... annex as sent.
  // errc::function_not_supported → empty reply; other errors → E reply.
  virtual Result<std::string> read_object(std::string_view object, std::string_view annex) = 0;

  // --- the pending signal's siginfo of a stopped thread (qXfer:siginfo), host bytes ----
  virtual Result<std::string> read_siginfo(ThreadId thread) = 0;
  virtual Result<void> write_siginfo(ThreadId thread, std::span<const std::uint8_t> bytes) = 0;

  // --- a thread-local variable's address (qGetTLSAddr): `offset` into the TLS block of the
  // object whose link_map is at `lm`, for a stopped `thread`.
  virtual Result<std::uint64_t> tls_address(ThreadId thread, std::uint64_t offset,
                                            std::uint64_t lm) = 0;

  // --- host files for vFile (flags and mode are gdb's fileio encoding) -------------------
  virtual Result<void> file_setfs(std::int64_t pid) = 0;
  virtual Result<int> file_open(std::string_view path, int gdb_flags, int mode) = 0;
  virtual Result<void> file_close(int fd) = 0;
  virtual Result<std::string> file_pread(int fd, std::size_t count, std::uint64_t offset) = 0;
  virtual Result<std::size_t> file_pwrite(int fd, std::uint64_t offset,
                                          std::span<const std::uint8_t> data) = 0;
  virtual Result<FileStat> file_fstat(int fd) = 0;
  virtual Result<std::string> file_readlink(std::string_view path) = 0;
  virtual Result<void> file_unlink(std::string_view path) = 0;

  // --- monitor (qRcmd): text to show the user, and whether the command succeeded -------
  struct MonitorReply {
    std::string output;
    bool ok = true; // false: the output is shown, then gdb gets an error reply
  };
  virtual Result<MonitorReply> monitor(std::string_view command) = 0;
};

} // namespace rsp
