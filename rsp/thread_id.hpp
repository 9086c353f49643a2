#pragma once
#include <compare>
#include <cstdint>

namespace rsp {

// A thread as gdb names it: pP.T in multiprocess form, T otherwise.
// -1 means "all", 0 means "any" (both for pid and tid).
struct ThreadId {
  static constexpr std::int64_t all = -1;
  static constexpr std::int64_t any = 0;

  std::int64_t pid = any;
  std::int64_t tid = any;

  friend auto operator<=>(const ThreadId &, const ThreadId &) = default;
  bool is_all() const { return tid == all; }
  bool is_any() const { return tid == any; }
  // Whether this id (possibly a wildcard) names the concrete thread `t`.
  bool matches(const ThreadId &t) const {
    bool pid_ok = pid == all || pid == any || pid == t.pid;
    bool tid_ok = tid == all || tid == any || tid == t.tid;
    return pid_ok && tid_ok;
  }
};

} // namespace rsp
