#pragma once
// A scriptable rsp::Target for Session tests: canned answers, every call recorded.
#include "rsp/target.hpp"

#include <algorithm>
#include <cerrno>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rsp::test {

inline std::error_code errno_code(int e) { return std::error_code(e, std::generic_category()); }

struct FakeTarget : Target {
  static constexpr std::int64_t pid = 0x100;

  TargetFeatures feats;
  bool process = true;
  bool is_attached = false;
  std::vector<ThreadInfo> thread_list{{ThreadId{pid, pid}, "main", 1},
                                      {ThreadId{pid, 0x101}, "work<er>", 2}};
  StopEvent last;

  // registers
  std::vector<std::uint8_t> registers{0x01, 0x02, 0x03, 0x04};
  std::optional<std::error_code> register_error;
  std::vector<ThreadId> register_threads; // thread of every register call
  std::vector<std::uint8_t> written_registers;
  std::vector<std::pair<int, std::vector<std::uint8_t>>> written_register;

  // memory: [memory_base, memory_base + memory.size()) is readable
  std::uint64_t memory_base = 0x1000;
  std::vector<std::uint8_t> memory{0xde, 0xad, 0xbe, 0xef, 0x00, 0x11, 0x22, 0x33};
  std::optional<std::error_code> write_error;

  // breakpoints
  struct BreakpointCall {
    bool insert;
    BreakpointType type;
    std::uint64_t addr;
    int kind;
  };
  std::vector<BreakpointCall> breakpoint_calls;
  std::optional<std::error_code> breakpoint_error;

  // execution
  std::vector<std::vector<ResumeAction>> resumes;
  std::optional<std::error_code> resume_error;
  int interrupts = 0;
  std::vector<std::int64_t> kills;
  std::optional<std::error_code> kill_error;
  std::vector<std::int64_t> detaches;
  std::optional<std::error_code> detach_error;
  std::vector<int> pass_signals;
  std::vector<int> program_signals;

  // qXfer objects, by (object, annex)
  std::map<std::pair<std::string, std::string>, std::string> objects;
  std::optional<std::error_code> object_error;
  int object_reads = 0;

  // files: path -> content; fds from 3 up
  std::map<std::string, std::string> files;
  std::map<int, std::string> open_fds; // fd -> path
  std::vector<std::int64_t> setfs_calls;
  std::optional<std::error_code> setfs_error;
  std::vector<std::pair<int, int>> open_flags; // (flags, mode)
  std::map<std::string, std::string> links;
  std::vector<std::string> unlinked;

  // monitor
  std::optional<std::string> monitor_output = std::string("hello\n");
  std::optional<std::error_code> monitor_error;
  bool monitor_ok = true;
  std::vector<std::string> monitor_commands;

  FakeTarget() {
    last.kind = StopKind::Signal;
    last.signal = 5;
    last.thread = ThreadId{pid, pid};
    last.core = 1;
  }

  TargetFeatures features() const override { return feats; }
  bool has_process() const override { return process; }
  bool detach_keeps_process = false; // another process is left after a detach
  std::int64_t current_pid() const override { return process ? pid : 0; }
  bool attached(std::int64_t) const override { return is_attached; }
  std::vector<ThreadInfo> threads() override {
    return process ? thread_list : std::vector<ThreadInfo>{};
  }
  bool thread_alive(ThreadId thread) override {
    return std::any_of(thread_list.begin(), thread_list.end(),
                       [&](const ThreadInfo &t) { return thread.matches(t.id); });
  }
  StopEvent last_stop() override { return last; }

  Result<std::vector<std::uint8_t>> read_registers(ThreadId thread) override {
    register_threads.push_back(thread);
    if (register_error)
      return fail(*register_error);
    return registers;
  }
  Result<void> write_registers(ThreadId thread, std::span<const std::uint8_t> bytes) override {
    register_threads.push_back(thread);
    if (register_error)
      return fail(*register_error);
    written_registers.assign(bytes.begin(), bytes.end());
    return {};
  }
  Result<std::vector<std::uint8_t>> read_register(ThreadId thread, int regnum) override {
    register_threads.push_back(thread);
    if (register_error)
      return fail(*register_error);
    if (regnum >= static_cast<int>(registers.size()))
      return fail(std::errc::invalid_argument);
    return std::vector<std::uint8_t>{registers[static_cast<std::size_t>(regnum)]};
  }
  Result<void> write_register(ThreadId thread, int regnum,
                              std::span<const std::uint8_t> bytes) override {
    register_threads.push_back(thread);
    if (register_error)
      return fail(*register_error);
    written_register.emplace_back(regnum, std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
    return {};
  }

  Result<std::size_t> read_memory(std::uint64_t addr, std::span<std::uint8_t> out) override {
    if (addr < memory_base || addr >= memory_base + memory.size())
      return fail_errno(EIO);
    std::size_t offset = addr - memory_base;
    std::size_t n = std::min(out.size(), memory.size() - offset);
    std::copy_n(memory.begin() + static_cast<std::ptrdiff_t>(offset), n, out.begin());
    return n;
  }
  Result<void> write_memory(std::uint64_t addr, std::span<const std::uint8_t> in) override {
    if (write_error)
      return fail(*write_error);
    if (addr < memory_base || addr + in.size() > memory_base + memory.size())
      return fail_errno(EIO);
    std::copy(in.begin(), in.end(),
              memory.begin() + static_cast<std::ptrdiff_t>(addr - memory_base));
    return {};
  }

  Result<void> insert_breakpoint(BreakpointType type, std::uint64_t addr, int kind) override {
    breakpoint_calls.push_back({true, type, addr, kind});
    if (breakpoint_error)
      return fail(*breakpoint_error);
    return {};
  }
  Result<void> remove_breakpoint(BreakpointType type, std::uint64_t addr, int kind) override {
    breakpoint_calls.push_back({false, type, addr, kind});
    if (breakpoint_error)
      return fail(*breakpoint_error);
    return {};
  }

  Result<void> resume(std::span<const ResumeAction> actions) override {
    if (resume_error)
      return fail(*resume_error);
    resumes.emplace_back(actions.begin(), actions.end());
    return {};
  }
  void interrupt() override { ++interrupts; }
  Result<void> kill(std::int64_t p) override {
    kills.push_back(p);
    if (kill_error)
      return fail(*kill_error);
    process = false; // a single-process target: nothing left
    return {};
  }
  Result<void> detach(std::int64_t p) override {
    detaches.push_back(p);
    if (detach_error)
      return fail(*detach_error);
    process = detach_keeps_process;
    return {};
  }
  void set_pass_signals(std::vector<int> s) override { pass_signals = std::move(s); }
  void set_program_signals(std::vector<int> s) override { program_signals = std::move(s); }
  bool non_stop = false;
  std::optional<std::errc> non_stop_error;
  std::vector<StopEvent> stopped;
  Result<void> set_non_stop(bool on) override {
    if (non_stop_error)
      return fail(*non_stop_error);
    non_stop = on;
    return {};
  }
  std::vector<StopEvent> stopped_threads() override { return stopped; }
  bool fork_replies = false, vfork_replies = false;
  void set_fork_events(bool fork, bool vfork) override {
    fork_replies = fork;
    vfork_replies = vfork;
  }
  std::optional<std::pair<bool, std::vector<int>>> catching; // QCatchSyscalls, when supported
  Result<void> set_catch_syscalls(bool on, std::vector<int> numbers) override {
    if (!feats.catch_syscalls)
      return fail(std::errc::function_not_supported);
    catching = {on, std::move(numbers)};
    return {};
  }
  std::vector<ThreadId> selected; // Hg and stops, as the target heard of them
  void select_thread(ThreadId thread) override { selected.push_back(thread); }
  bool thread_event_replies = false, no_resumed_replies = false;
  void set_stop_replies(bool thread_events, bool no_resumed) override {
    thread_event_replies = thread_events;
    no_resumed_replies = no_resumed;
  }

  Result<std::string> read_object(std::string_view object, std::string_view annex) override {
    ++object_reads;
    if (object_error)
      return fail(*object_error);
    auto it = objects.find({std::string(object), std::string(annex)});
    if (it == objects.end())
      return fail_errno(ENOENT);
    return it->second;
  }

  // extended-remote
  std::vector<LaunchSpec> runs;
  std::vector<std::int64_t> attaches;
  std::optional<std::error_code> run_error;
  Result<void> run(const LaunchSpec &spec) override {
    runs.push_back(spec);
    if (run_error)
      return fail(*run_error);
    last.kind = StopKind::Signal;
    last.signal = 5;
    last.thread = {0x200, 0x200};
    return {};
  }
  Result<void> attach(std::int64_t p) override {
    attaches.push_back(p);
    if (run_error)
      return fail(*run_error);
    last.kind = StopKind::Signal;
    last.signal = 0;
    last.thread = {p, p};
    return {};
  }

  // siginfo of the register thread
  std::string siginfo = std::string(8, '\0');
  std::vector<ThreadId> siginfo_threads;
  Result<std::string> read_siginfo(ThreadId thread) override {
    siginfo_threads.push_back(thread);
    return siginfo;
  }
  Result<void> write_siginfo(ThreadId thread, std::span<const std::uint8_t> bytes) override {
    siginfo_threads.push_back(thread);
    siginfo.assign(bytes.begin(), bytes.end());
    return {};
  }

  // qGetTLSAddr: the block's base (nullopt: not allocated), and what was asked
  std::optional<std::uint64_t> tls_base;
  struct TlsQuery {
    ThreadId thread;
    std::uint64_t offset, lm;
  };
  std::vector<TlsQuery> tls_queries;
  Result<std::uint64_t> tls_address(ThreadId thread, std::uint64_t offset,
                                    std::uint64_t lm) override {
    tls_queries.push_back({thread, offset, lm});
    if (!tls_base)
      return fail(std::errc::resource_unavailable_try_again);
    return *tls_base + offset;
  }

  Result<void> file_setfs(std::int64_t p) override {
    setfs_calls.push_back(p);
    if (setfs_error)
      return fail(*setfs_error);
    return {};
  }
  Result<int> file_open(std::string_view path, int flags, int mode) override {
    open_flags.emplace_back(flags, mode);
    if (!files.count(std::string(path)))
      return fail_errno(ENOENT);
    int fd = 3 + static_cast<int>(open_fds.size());
    open_fds[fd] = std::string(path);
    return fd;
  }
  Result<void> file_close(int fd) override {
    if (!open_fds.erase(fd))
      return fail_errno(EBADF);
    return {};
  }
  Result<std::string> file_pread(int fd, std::size_t count, std::uint64_t offset) override {
    auto it = open_fds.find(fd);
    if (it == open_fds.end())
      return fail_errno(EBADF);
    const std::string &content = files[it->second];
    if (offset >= content.size())
      return std::string{};
    return content.substr(offset, count);
  }
  Result<std::size_t> file_pwrite(int fd, std::uint64_t offset,
                                  std::span<const std::uint8_t> data) override {
    auto it = open_fds.find(fd);
    if (it == open_fds.end())
      return fail_errno(EBADF);
    std::string &content = files[it->second];
    if (content.size() < offset + data.size())
      content.resize(offset + data.size());
    std::copy(data.begin(), data.end(), content.begin() + static_cast<std::ptrdiff_t>(offset));
    return data.size();
  }
  Result<FileStat> file_fstat(int fd) override {
    auto it = open_fds.find(fd);
    if (it == open_fds.end())
      return fail_errno(EBADF);
    FileStat st;
    st.dev = 1;
    st.ino = 0x1234;
    st.mode = 0100644;
    st.nlink = 1;
    st.size = files[it->second].size();
    st.blksize = 4096;
    st.blocks = 8;
    st.mtime = 0x5f5e1000;
    return st;
  }
  Result<std::string> file_readlink(std::string_view path) override {
    auto it = links.find(std::string(path));
    if (it == links.end())
      return fail_errno(EINVAL);
    return it->second;
  }
  Result<void> file_unlink(std::string_view path) override {
    if (!files.erase(std::string(path)))
      return fail_errno(ENOENT);
    unlinked.emplace_back(path);
    return {};
  }

  Result<MonitorReply> monitor(std::string_view command) override {
    monitor_commands.emplace_back(command);
    if (monitor_error)
      return fail(*monitor_error);
    return MonitorReply{*monitor_output, monitor_ok};
  }
};

} // namespace rsp::test
