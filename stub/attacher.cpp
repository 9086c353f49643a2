#include "stub/attacher.hpp"

#include "stub/process.hpp"

#include <algorithm>
#include <dirent.h>
#include <fmt/core.h>
#include <set>

namespace stub {

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
  if (auto r = tracer.seize(pid, Process::base_options); !r)
    return tl::unexpected(fmt::format("Cannot attach to process {}: {} ({})", pid,
                                      r.error().message(), r.error().value()));
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
