#include "stub/attacher.hpp"

#include "stub/proc_info.hpp"
#include "stub/process.hpp"

#include <algorithm>
#include <dirent.h>
#include <fmt/core.h>
#include <set>

namespace stub {
namespace {

// What gdbserver adds to a failed attach's message (nat/linux-ptrace.c), so that the user
// learns why EPERM: someone else traces the process, or it is already dead.
std::string attach_fail_reason(pid_t pid) {
  std::string reason;
  if (pid_t tracer = tracer_pid(pid); tracer > 0)
    reason += fmt::format("process {} is already traced by process {}", pid, tracer);
  if (thread_state(pid, pid) == 'Z')
    reason += fmt::format("process {} is a zombie - the process has already terminated", pid);
  return reason;
}

} // namespace

std::vector<pid_t> list_threads(pid_t pid) {
  std::vector<pid_t> tids;
  std::string path = fmt::format("/proc/{}/task", pid);
  DIR *dir = opendir(path.c_str());
  if (!dir)
    return tids;
  while (dirent *entry = readdir(dir)) {
    char *end = nullptr;
    long tid = std::strtol(entry->d_name, &end, 10);
    if (tid > 0 && end && *end == '\0')
      tids.push_back(static_cast<pid_t>(tid));
  }
  closedir(dir);
  std::sort(tids.begin(), tids.end());
  return tids;
}

tl::expected<std::vector<pid_t>, std::string> seize_process(Tracer &tracer, pid_t pid) {
  // Never EXITKILL here: a process we attached to must outlive us.
  if (auto r = tracer.seize(pid, Process::base_options); !r) {
    std::string reason = attach_fail_reason(pid);
    return tl::unexpected(fmt::format("Cannot attach to process {}: {} ({}){}{}", pid,
                                      r.error().message(), r.error().value(),
                                      reason.empty() ? "" : ", ", reason));
  }
  std::vector<pid_t> seized{pid};
  std::set<pid_t> known{pid};
  // Threads may be created while we go; a seized thread's new threads are ours already
  // (TRACECLONE), so seizing them fails harmlessly. Stop when a pass finds nothing new.
  for (bool found_new = true; found_new;) {
    found_new = false;
    for (pid_t tid : list_threads(pid)) {
      if (!known.insert(tid).second)
        continue;
      found_new = true;
      if (tracer.seize(tid, Process::base_options))
        seized.push_back(tid);
    }
  }
  for (pid_t tid : seized)
    (void)tracer.interrupt(tid); // ESRCH: it exited meanwhile; its exit status will come
  return seized;
}

} // namespace stub
