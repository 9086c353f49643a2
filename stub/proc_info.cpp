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

// /proc's per-task stat and comm are each made whole by one show call, so one read() with
// room to spare returns all of it: no second read() to find the end of the file.
std::string small_proc_file(const std::string &path) {
  char buf[4096];
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return {};
  ssize_t n;
  do {
    n = ::read(fd, buf, sizeof buf);
  } while (n < 0 && errno == EINTR);
  ::close(fd);
  if (n == static_cast<ssize_t>(sizeof buf)) // more than expected: read it all
    return read_whole_file(path);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

std::string task_file(pid_t pid, pid_t tid, std::string_view name) {
  return fmt::format("/proc/{}/task/{}/{}", pid, tid, name);
}

// "processor" (field 39) of the stat text after the comm field, or -1.
int core_field(std::string_view after_comm) {
  int field = 2; // the comm field ends where after_comm begins
  std::size_t i = 0;
  while (i < after_comm.size() && field < 39) {
    if (after_comm[i] == ' ')
      ++field;
    ++i;
  }
  if (field != 39)
    return -1;
  int core = 0;
  bool any = false;
  while (i < after_comm.size() && after_comm[i] >= '0' && after_comm[i] <= '9') {
    core = core * 10 + (after_comm[i++] - '0');
    any = true;
  }
  return any ? core : -1;
}

} // namespace

ThreadStat thread_stat(pid_t pid, pid_t tid) {
  // "TID (COMM) STATE ...": the comm may hold ')' and spaces, so it ends at the last ')'.
  std::string stat = small_proc_file(task_file(pid, tid, "stat"));
  auto name_begin = stat.find('(');
  auto name_end = stat.rfind(')');
  if (name_begin == std::string::npos || name_end == std::string::npos || name_end < name_begin)
    return {};
  std::string_view after_comm = std::string_view(stat).substr(name_end + 1);
  return {stat.substr(name_begin + 1, name_end - name_begin - 1),
          after_comm.size() >= 2 ? after_comm[1] : '\0', core_field(after_comm)};
}

pid_t tracer_pid(pid_t pid) {
  std::string status = read_whole_file(fmt::format("/proc/{}/status", pid));
  constexpr std::string_view key = "\nTracerPid:";
  auto at = status.find(key);
  return at == std::string::npos
             ? 0
             : static_cast<pid_t>(std::strtol(status.c_str() + at + key.size(), nullptr, 10));
}

char thread_state(pid_t pid, pid_t tid) { return thread_stat(pid, tid).state; }

int thread_core(pid_t pid, pid_t tid) { return thread_stat(pid, tid).core; }

std::string thread_name(pid_t pid, pid_t tid) {
  std::string comm = small_proc_file(task_file(pid, tid, "comm"));
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
