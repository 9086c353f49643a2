#include "stub/proc_info.hpp"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <fmt/core.h>
#include <string_view>
#include <unistd.h>

namespace stub {

std::string read_whole_file(const std::string &path, bool *ok) {
  std::string data;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (ok)
    *ok = fd >= 0;
  if (fd < 0)
    return data;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      if (n < 0 && ok)
        *ok = false;
      break;
    }
    data.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return data;
}

namespace {

// /proc/PID/task/TID/stat after the comm field (which may hold ')' and spaces, so the text
// after the last ')': " STATE PPID ..."); empty when the thread is gone.
std::string stat_after_comm(pid_t pid, pid_t tid) {
  std::string stat = read_whole_file(fmt::format("/proc/{}/task/{}/stat", pid, tid));
  auto close = stat.rfind(')');
  return close == std::string::npos ? std::string() : stat.substr(close + 1);
}

} // namespace

pid_t tracer_pid(pid_t pid) {
  std::string status = read_whole_file(fmt::format("/proc/{}/status", pid));
  constexpr std::string_view key = "\nTracerPid:";
  auto at = status.find(key);
  return at == std::string::npos
             ? 0
             : static_cast<pid_t>(std::strtol(status.c_str() + at + key.size(), nullptr, 10));
}

char thread_state(pid_t pid, pid_t tid) {
  std::string fields = stat_after_comm(pid, tid);
  return fields.size() >= 2 ? fields[1] : 0;
}

int thread_core(pid_t pid, pid_t tid) {
  // "processor" is field 39; field 2 (comm) ends where `stat` begins.
  std::string stat = stat_after_comm(pid, tid);
  if (stat.empty())
    return -1;
  int field = 2;
  std::size_t i = 0;
  while (i < stat.size() && field < 39) {
    if (stat[i] == ' ')
      ++field;
    ++i;
  }
  if (field != 39)
    return -1;
  int core = 0;
  bool any = false;
  while (i < stat.size() && stat[i] >= '0' && stat[i] <= '9') {
    core = core * 10 + (stat[i++] - '0');
    any = true;
  }
  return any ? core : -1;
}

std::string thread_name(pid_t pid, pid_t tid) {
  std::string comm = read_whole_file(fmt::format("/proc/{}/task/{}/comm", pid, tid));
  while (!comm.empty() && comm.back() == '\n')
    comm.pop_back();
  return comm;
}

std::string executable_path(pid_t pid) {
  char buf[4096];
  std::string link = fmt::format("/proc/{}/exe", pid);
  ssize_t n = ::readlink(link.c_str(), buf, sizeof buf);
  if (n <= 0)
    return {};
  return std::string(buf, static_cast<std::size_t>(n));
}

} // namespace stub
