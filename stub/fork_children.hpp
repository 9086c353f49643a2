#pragma once
// Fork children between their birth and the moment they are released or adopted. A child's
// first stop and its parent's fork event come in either order; a child is only handled once
// both are seen. Shared by every process of an Inferior (a child's first stop is not a
// thread of any process, so nobody else would know whose it is).
#include <map>
#include <optional>
#include <set>
#include <sys/types.h>

namespace stub {

class ForkChildren {
public:
  struct Announcement {
    pid_t parent = 0;
    bool vfork = false;
  };

  // A child's first stop: its announcement if the fork event came first (taken), else
  // nullopt and the stop is kept for take_first_stop().
  std::optional<Announcement> first_stop(pid_t child) {
    auto announced = take_announcement(child);
    if (!announced)
      stopped_.insert(child);
    return announced;
  }
  // The parent's fork event came: true if the child's first stop was seen (and is now taken).
  bool take_first_stop(pid_t child) { return stopped_.erase(child) != 0; }

  // The fork event came first: whoever sees the child's first stop finishes the job.
  void announce(pid_t child, Announcement a) { announced_[child] = a; }

private:
  std::optional<Announcement> take_announcement(pid_t child) {
    auto it = announced_.find(child);
    if (it == announced_.end())
      return std::nullopt;
    Announcement a = it->second;
    announced_.erase(it);
    return a;
  }

  std::set<pid_t> stopped_;
  std::map<pid_t, Announcement> announced_;
};

} // namespace stub
