#pragma once
// A scripted Tracer: tests queue wait statuses, set registers and siginfo per thread, and
// inject errors (ESRCH...) at any call; every call is recorded for assertions.
#include "stub/tracer.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <fmt/core.h>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <vector>

namespace stub::testing {

inline int status_exited(int code) { return (code & 0xff) << 8; }
inline int status_signaled(int sig) { return sig & 0x7f; }
inline int status_stopped(int sig, int event = 0) {
  return (event << 16) | ((sig & 0xff) << 8) | 0x7f;
}

class FakeTracer final : public Tracer {
public:
  struct FakeThread {
    user_regs_struct regs{};
    siginfo_t info{};
    unsigned long event_message = 0;
    bool queued_kernel_sigtrap = false;
    std::vector<std::uint8_t> xstate; // NT_X86_XSTATE bytes
    std::array<std::uint64_t, 8> debug_registers{};
  };

  std::map<pid_t, FakeThread> threads;
  std::deque<WaitResult> waits;
  std::vector<std::string> calls;
  // "CONT 12" -> errno: fail that call (once per entry).
  std::multiset<std::string> fail_esrch;
  // Fail the call with this index (counting every recorded call) with ESRCH.
  std::optional<std::size_t> fail_call_index;

  FakeThread &thread(pid_t tid) { return threads[tid]; }
  void set_pc(pid_t tid, std::uint64_t pc) { threads[tid].regs.rip = pc; }
  std::uint64_t pc(pid_t tid) { return threads[tid].regs.rip; }
  void set_sigtrap(pid_t tid, int code) {
    threads[tid].info = siginfo_t{};
    threads[tid].info.si_signo = SIGTRAP;
    threads[tid].info.si_code = code;
  }
  void push(pid_t tid, int status) { waits.push_back({tid, status}); }
  std::size_t count(const std::string &call) const {
    std::size_t n = 0;
    for (const auto &c : calls)
      n += c == call;
    return n;
  }
  std::size_t count_prefix(const std::string &prefix) const {
    std::size_t n = 0;
    for (const auto &c : calls)
      n += c.rfind(prefix, 0) == 0;
    return n;
  }

  Result<void> seize(pid_t tid, unsigned long) override { return record("SEIZE", tid); }
  Result<void> interrupt(pid_t tid) override { return record("INTERRUPT", tid); }
  Result<void> cont(pid_t tid, int sig) override { return record("CONT", tid, sig); }
  Result<void> step(pid_t tid, int sig) override { return record("STEP", tid, sig); }
  Result<void> to_syscall(pid_t tid, int sig) override { return record("SYSCALL", tid, sig); }
  Result<void> listen(pid_t tid) override { return record("LISTEN", tid); }
  Result<void> detach(pid_t tid, int sig) override { return record("DETACH", tid, sig); }
  Result<unsigned long> event_message(pid_t tid) override {
    if (auto r = record("GETEVENTMSG", tid); !r)
      return rsp::fail(r.error());
    return threads[tid].event_message;
  }
  Result<siginfo_t> siginfo(pid_t tid) override {
    if (auto r = record("GETSIGINFO", tid); !r)
      return rsp::fail(r.error());
    return threads[tid].info;
  }
  Result<bool> signal_queued(pid_t tid, int signo, int code) override {
    if (auto r = record("PEEKSIGINFO", tid); !r)
      return rsp::fail(r.error());
    return signo == SIGTRAP && code == SI_KERNEL && threads[tid].queued_kernel_sigtrap;
  }
  Result<void> get_gpr(pid_t tid, std::span<std::uint8_t> out) override {
    if (auto r = record("GETREGS", tid); !r)
      return r;
    std::memcpy(out.data(), &threads[tid].regs, std::min(out.size(), sizeof(user_regs_struct)));
    return {};
  }
  Result<void> set_gpr(pid_t tid, std::span<const std::uint8_t> in) override {
    if (auto r = record("SETREGS", tid); !r)
      return r;
    std::memcpy(&threads[tid].regs, in.data(), std::min(in.size(), sizeof(user_regs_struct)));
    return {};
  }
  Result<void> get_fpx(pid_t tid, std::span<std::uint8_t> out) override {
    std::memset(out.data(), 0, out.size());
    return record("GETFPREGS", tid);
  }
  Result<void> set_fpx(pid_t tid, std::span<const std::uint8_t>) override {
    return record("SETFPREGS", tid);
  }
  // The XSAVE area is the thread's `xstate` bytes (all zeros, of whatever size the stub
  // offers, while a test has set none); writes replace them.
  Result<std::size_t> get_xstate(pid_t tid, std::span<std::uint8_t> out) override {
    if (auto r = record("GETREGSET", tid); !r)
      return rsp::fail(r.error());
    const auto &xstate = threads[tid].xstate;
    std::fill(out.begin(), out.end(), 0);
    if (xstate.empty())
      return out.size();
    std::memcpy(out.data(), xstate.data(), std::min(out.size(), xstate.size()));
    return std::min(out.size(), xstate.size());
  }
  Result<void> set_xstate(pid_t tid, std::span<const std::uint8_t> in) override {
    if (auto r = record("SETREGSET", tid); !r)
      return r;
    threads[tid].xstate.assign(in.begin(), in.end());
    return {};
  }
  Result<std::uint64_t> get_debug_register(pid_t tid, int index) override {
    if (auto r = record("PEEKUSER", tid); !r)
      return rsp::fail(r.error());
    return threads[tid].debug_registers.at(static_cast<std::size_t>(index));
  }
  Result<void> set_debug_register(pid_t tid, int index, std::uint64_t value) override {
    if (auto r = record("POKEUSER", tid); !r)
      return r;
    threads[tid].debug_registers.at(static_cast<std::size_t>(index)) = value;
    return {};
  }
  Result<std::optional<WaitResult>> wait_any(bool) override {
    if (waits.empty())
      return std::optional<WaitResult>{};
    WaitResult w = waits.front();
    waits.pop_front();
    return std::optional<WaitResult>{w};
  }
  Result<void> kill_thread(pid_t, pid_t tid, int sig) override {
    return record("TGKILL", tid, sig);
  }
  Result<void> kill_process(pid_t pid, int sig) override { return record("KILL", pid, sig); }
  std::set<pid_t> zombies;
  std::set<pid_t> foreign; // tids that are not threads of the process (fork children)
  bool in_thread_group(pid_t, pid_t tid) override { return foreign.count(tid) == 0; }
  Result<bool> is_zombie(pid_t, pid_t tid) override {
    if (auto r = record("ZOMBIE?", tid); !r)
      return rsp::fail(r.error());
    return zombies.count(tid) != 0;
  }

private:
  Result<void> record(const char *what, pid_t tid, int sig = 0) {
    std::string call = fmt::format("{} {}", what, tid);
    calls.push_back(sig ? fmt::format("{} sig{}", call, sig) : call);
    if (fail_call_index && *fail_call_index + 1 == calls.size())
      return rsp::fail(std::errc::no_such_process);
    if (auto it = fail_esrch.find(call); it != fail_esrch.end()) {
      fail_esrch.erase(it);
      return rsp::fail(std::errc::no_such_process);
    }
    return {};
  }
};

} // namespace stub::testing
