#pragma once
// Facts about a process read from /proc on request (never polled, never per stop except
// the reported thread's core).
#include <string>
#include <sys/types.h>

namespace stub {

// One read of /proc/PID/task/TID/stat: what a thread list needs of each thread.
struct ThreadStat {
  std::string name; // comm; empty when unknown
  char state = 0;   // R, S, t, Z...; 0 when gone
  int core = -1;    // -1 when unknown
};
ThreadStat thread_stat(pid_t pid, pid_t tid);

int thread_core(pid_t pid, pid_t tid);         // -1 when unknown
char thread_state(pid_t pid, pid_t tid);       // R, S, t, Z... from stat; 0 when gone
std::string thread_name(pid_t pid, pid_t tid); // comm; empty when unknown
std::string executable_path(pid_t pid);        // /proc/PID/exe target; empty when unknown
pid_t tracer_pid(pid_t pid);                   // TracerPid from status; 0 when none or unknown
std::string read_whole_file(const std::string &path, bool *ok = nullptr);

} // namespace stub
