#include "stub/thread_table.hpp"

#include "stub/log.hpp"

namespace stub {

const char *to_string(ThreadState state) {
  switch (state) {
  case ThreadState::Running:
    return "Running";
  case ThreadState::Stopping:
    return "Stopping";
  case ThreadState::Stopped:
    return "Stopped";
  case ThreadState::Exiting:
    return "Exiting";
  }
  return "?";
}

Thread &ThreadTable::add(pid_t tid, ThreadState state, std::string_view why) {
  auto [it, inserted] = threads_.try_emplace(tid);
  if (inserted) {
    it->second.tid = tid;
    it->second.state = state;
    STUB_LOG(Event, "thread {}: new, {} ({})", tid, to_string(state), why);
  }
  return it->second;
}

Thread *ThreadTable::find(pid_t tid) {
  auto it = threads_.find(tid);
  return it == threads_.end() ? nullptr : &it->second;
}

void ThreadTable::remove(pid_t tid, std::string_view why) {
  if (threads_.erase(tid))
    STUB_LOG(Event, "thread {}: removed ({})", tid, why);
}

void ThreadTable::set_state(Thread &thread, ThreadState state, std::string_view why) {
  if (thread.state != state)
    STUB_LOG(Event, "thread {}: {} -> {} ({})", thread.tid, to_string(thread.state),
             to_string(state), why);
  thread.state = state;
}

std::size_t ThreadTable::count_moving() const {
  std::size_t n = 0;
  for (const auto &[tid, t] : threads_)
    if (t.state == ThreadState::Running || t.state == ThreadState::Stopping)
      ++n;
  return n;
}

bool ThreadTable::all_stopped_but(pid_t tid) const {
  for (const auto &[other, t] : threads_)
    if (other != tid && t.state != ThreadState::Stopped)
      return false;
  return true;
}

} // namespace stub
