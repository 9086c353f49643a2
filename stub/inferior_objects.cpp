// The Inferior's objects: qXfer objects, thread-local addresses, siginfo and host files.
#include "stub/inferior.hpp"

#include "stub/osdata.hpp"
#include "stub/proc_info.hpp"
#include "stub/support/elf_symbols.hpp"
#include "stub/support/svr4_libraries.hpp"
#include "stub/support/tls_address.hpp"

#include <charconv>
#include <cstring>
#include <fmt/core.h>

namespace stub {

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
  Process *current = current_process();
  if (!current)
    return rsp::fail(std::errc::no_such_process);
  if (object == "auxv")
    return read_auxv(*current);
  if (object == "libraries-svr4")
    return libraries_svr4(*current, annex);
  return rsp::fail(std::errc::function_not_supported);
}

Result<std::string> Inferior::read_auxv(const Process &process) {
  bool ok = false;
  std::string auxv = read_whole_file(fmt::format("/proc/{}/auxv", process.pid()), &ok);
  if (!ok)
    return rsp::fail(std::errc::io_error);
  return auxv;
}

// The process's memory for the support code, which reads whole structures or fails.
ReadMemory Inferior::memory_reader(Process &process) {
  return [&process](std::uint64_t addr, void *out, std::size_t len) {
    auto n = process.read_memory(addr, {static_cast<std::uint8_t *>(out), len});
    return n && *n == len;
  };
}

namespace {
std::span<const std::uint8_t> as_bytes(const std::string &s) {
  return {reinterpret_cast<const std::uint8_t *>(s.data()), s.size()};
}
} // namespace

Result<std::string> Inferior::libraries_svr4(Process &process, std::string_view annex) {
  auto auxv = read_auxv(process);
  if (!auxv)
    return auxv;
  auto xml = svr4_library_list(memory_reader(process), as_bytes(*auxv), annex);
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

  Process *process = process_of(thread);
  if (!process)
    return rsp::fail(std::errc::no_such_process);
  auto auxv = read_auxv(*process);
  if (!auxv)
    return rsp::fail(auxv.error());
  const ReadMemory read = memory_reader(*process);
  const auto layout = find_tls_layout(
      read, as_bytes(*auxv), fmt::format("/proc/{}/exe", process->pid()), host_file_reader);
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
  auto info = tracer_.siginfo(t->thread->tid);
  if (!info)
    return rsp::fail(info.error());
  return std::string(reinterpret_cast<const char *>(&*info), sizeof(siginfo_t));
}

// The signal the thread stopped with is delivered as gdb rewrote it (PTRACE_SETSIGINFO).
Result<void> Inferior::write_siginfo(rsp::ThreadId thread, std::span<const std::uint8_t> bytes) {
  if (bytes.size() != sizeof(siginfo_t))
    return rsp::fail(std::errc::invalid_argument);
  auto t = stopped_thread(thread);
  if (!t)
    return rsp::fail(t.error());
  siginfo_t info;
  std::memcpy(&info, bytes.data(), sizeof info);
  return tracer_.set_siginfo(t->thread->tid, info);
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

} // namespace stub
