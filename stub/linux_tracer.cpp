#include "stub/linux_tracer.hpp"

#include "stub/log.hpp"
#include "stub/proc_info.hpp"

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <elf.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

namespace stub {
namespace {

const char *request_name(int request) {
  switch (request) {
  case PTRACE_SEIZE:
    return "SEIZE";
  case PTRACE_INTERRUPT:
    return "INTERRUPT";
  case PTRACE_CONT:
    return "CONT";
  case PTRACE_SINGLESTEP:
    return "SINGLESTEP";
  case PTRACE_SYSCALL:
    return "SYSCALL";
  case PTRACE_LISTEN:
    return "LISTEN";
  case PTRACE_DETACH:
    return "DETACH";
  case PTRACE_GETEVENTMSG:
    return "GETEVENTMSG";
  case PTRACE_GETSIGINFO:
    return "GETSIGINFO";
  case PTRACE_PEEKSIGINFO:
    return "PEEKSIGINFO";
  case PTRACE_SETSIGINFO:
    return "SETSIGINFO";
  case PTRACE_GET_SYSCALL_INFO:
    return "GET_SYSCALL_INFO";
  case PTRACE_PEEKUSER:
    return "PEEKUSER";
  case PTRACE_POKEUSER:
    return "POKEUSER";
  case PTRACE_GETREGS:
    return "GETREGS";
  case PTRACE_SETREGS:
    return "SETREGS";
  case PTRACE_GETFPREGS:
    return "GETFPREGS";
  case PTRACE_SETFPREGS:
    return "SETFPREGS";
  case PTRACE_GETREGSET:
    return "GETREGSET";
  case PTRACE_SETREGSET:
    return "SETREGSET";
  default:
    return "?";
  }
}

Result<long> call(int request, pid_t tid, void *addr, void *data) {
  errno = 0;
  long r = ptrace(static_cast<__ptrace_request>(request), tid, addr, data);
  int err = errno;
  if (r == -1 && err != 0) {
    STUB_LOG(Ptrace, "{}({}) -> {}", request_name(request), tid, std::strerror(err));
    return rsp::fail_errno(err);
  }
  STUB_LOG(Ptrace, "{}({}, {}) -> {}", request_name(request), tid, reinterpret_cast<long>(data), r);
  return r;
}

Result<void> discard(Result<long> r) {
  if (!r)
    return rsp::fail(r.error());
  return {};
}

void *as_data(long value) { return reinterpret_cast<void *>(value); }

} // namespace

Result<void> LinuxTracer::seize(pid_t tid, unsigned long options) {
  return discard(call(PTRACE_SEIZE, tid, nullptr, as_data(static_cast<long>(options))));
}
Result<void> LinuxTracer::interrupt(pid_t tid) {
  return discard(call(PTRACE_INTERRUPT, tid, nullptr, nullptr));
}
Result<void> LinuxTracer::cont(pid_t tid, int host_signal) {
  return discard(call(PTRACE_CONT, tid, nullptr, as_data(host_signal)));
}
Result<void> LinuxTracer::to_syscall(pid_t tid, int host_signal) {
  return discard(call(PTRACE_SYSCALL, tid, nullptr, as_data(host_signal)));
}
Result<void> LinuxTracer::step(pid_t tid, int host_signal) {
  return discard(call(PTRACE_SINGLESTEP, tid, nullptr, as_data(host_signal)));
}
Result<void> LinuxTracer::listen(pid_t tid) {
  return discard(call(PTRACE_LISTEN, tid, nullptr, nullptr));
}
Result<void> LinuxTracer::detach(pid_t tid, int host_signal) {
  return discard(call(PTRACE_DETACH, tid, nullptr, as_data(host_signal)));
}

Result<unsigned long> LinuxTracer::event_message(pid_t tid) {
  unsigned long message = 0;
  auto r = call(PTRACE_GETEVENTMSG, tid, nullptr, &message);
  if (!r)
    return rsp::fail(r.error());
  return message;
}

Result<siginfo_t> LinuxTracer::siginfo(pid_t tid) {
  siginfo_t info{};
  auto r = call(PTRACE_GETSIGINFO, tid, nullptr, &info);
  if (!r)
    return rsp::fail(r.error());
  return info;
}

Result<void> LinuxTracer::set_siginfo(pid_t tid, const siginfo_t &info) {
  siginfo_t copy = info;
  return discard(call(PTRACE_SETSIGINFO, tid, nullptr, &copy));
}

Result<bool> LinuxTracer::at_syscall_entry(pid_t tid) {
  __ptrace_syscall_info info{};
  auto r = call(PTRACE_GET_SYSCALL_INFO, tid, reinterpret_cast<void *>(sizeof info), &info);
  if (!r)
    return rsp::fail(r.error());
  if (info.op != PTRACE_SYSCALL_INFO_ENTRY && info.op != PTRACE_SYSCALL_INFO_EXIT)
    return rsp::fail(std::errc::invalid_argument); // not in a syscall-stop
  return info.op == PTRACE_SYSCALL_INFO_ENTRY;
}

namespace {
void *debug_register_offset(int index) {
  return reinterpret_cast<void *>(offsetof(struct user, u_debugreg) +
                                  static_cast<std::size_t>(index) * sizeof(long));
}
} // namespace

Result<std::uint64_t> LinuxTracer::get_debug_register(pid_t tid, int index) {
  auto r = call(PTRACE_PEEKUSER, tid, debug_register_offset(index), nullptr);
  if (!r)
    return rsp::fail(r.error());
  return static_cast<std::uint64_t>(*r);
}

Result<void> LinuxTracer::set_debug_register(pid_t tid, int index, std::uint64_t value) {
  return discard(
      call(PTRACE_POKEUSER, tid, debug_register_offset(index), reinterpret_cast<void *>(value)));
}

Result<bool> LinuxTracer::signal_queued(pid_t tid, int signo, int code) {
  __ptrace_peeksiginfo_args args{};
  args.off = 0;
  args.flags = 0; // the thread's own queue
  args.nr = 8;
  siginfo_t infos[8];
  auto r = call(PTRACE_PEEKSIGINFO, tid, &args, infos);
  if (!r)
    return rsp::fail(r.error());
  for (long i = 0; i < *r; ++i)
    if (infos[i].si_signo == signo && infos[i].si_code == code)
      return true;
  return false;
}

Result<void> LinuxTracer::get_gpr(pid_t tid, std::span<std::uint8_t> out) {
  user_regs_struct regs;
  auto r = call(PTRACE_GETREGS, tid, nullptr, &regs);
  if (!r)
    return rsp::fail(r.error());
  std::memcpy(out.data(), &regs, std::min(out.size(), sizeof regs));
  return {};
}
Result<void> LinuxTracer::set_gpr(pid_t tid, std::span<const std::uint8_t> in) {
  user_regs_struct regs;
  std::memcpy(&regs, in.data(), std::min(in.size(), sizeof regs));
  return discard(call(PTRACE_SETREGS, tid, nullptr, &regs));
}
Result<void> LinuxTracer::get_fpx(pid_t tid, std::span<std::uint8_t> out) {
  user_fpregs_struct regs;
  auto r = call(PTRACE_GETFPREGS, tid, nullptr, &regs);
  if (!r)
    return rsp::fail(r.error());
  std::memcpy(out.data(), &regs, std::min(out.size(), sizeof regs));
  return {};
}
Result<void> LinuxTracer::set_fpx(pid_t tid, std::span<const std::uint8_t> in) {
  user_fpregs_struct regs;
  std::memcpy(&regs, in.data(), std::min(in.size(), sizeof regs));
  return discard(call(PTRACE_SETFPREGS, tid, nullptr, &regs));
}

Result<std::size_t> LinuxTracer::get_xstate(pid_t tid, std::span<std::uint8_t> out) {
  iovec iov{out.data(), out.size()};
  auto r = call(PTRACE_GETREGSET, tid, as_data(NT_X86_XSTATE), &iov);
  if (!r)
    return rsp::fail(r.error());
  STUB_LOG(Ptrace, "GETREGSET({}) NT_X86_XSTATE: {} of {} bytes", tid, iov.iov_len, out.size());
  return iov.iov_len; // the kernel shrinks it to what it wrote
}
Result<void> LinuxTracer::set_xstate(pid_t tid, std::span<const std::uint8_t> in) {
  iovec iov{const_cast<std::uint8_t *>(in.data()), in.size()}; // the kernel only reads it
  return discard(call(PTRACE_SETREGSET, tid, as_data(NT_X86_XSTATE), &iov));
}

Result<std::optional<WaitResult>> LinuxTracer::wait_any(bool block) {
  int status = 0;
  pid_t tid;
  do {
    tid = waitpid(-1, &status, __WALL | (block ? 0 : WNOHANG));
  } while (tid < 0 && errno == EINTR);
  if (tid < 0)
    return rsp::fail_errno(errno);
  if (tid == 0)
    return std::optional<WaitResult>{};
  return std::optional<WaitResult>{WaitResult{tid, status}};
}

Result<std::optional<WaitResult>> LinuxTracer::wait_thread(pid_t tid) {
  int status = 0;
  pid_t got;
  do {
    got = waitpid(tid, &status, __WALL);
  } while (got < 0 && errno == EINTR);
  if (got < 0)
    return rsp::fail_errno(errno);
  return std::optional<WaitResult>{WaitResult{got, status}};
}

Result<void> LinuxTracer::kill_thread(pid_t pid, pid_t tid, int host_signal) {
  STUB_LOG(Ptrace, "tgkill({}, {}, {})", pid, tid, host_signal);
  if (syscall(SYS_tgkill, pid, tid, host_signal) != 0)
    return rsp::fail_errno(errno);
  return {};
}
Result<void> LinuxTracer::kill_process(pid_t pid, int host_signal) {
  STUB_LOG(Ptrace, "kill({}, {})", pid, host_signal);
  if (::kill(pid, host_signal) != 0)
    return rsp::fail_errno(errno);
  return {};
}

bool LinuxTracer::in_thread_group(pid_t pid, pid_t tid) {
  std::string task = fmt::format("/proc/{}/task/{}", pid, tid);
  return ::access(task.c_str(), F_OK) == 0;
}

Result<bool> LinuxTracer::is_zombie(pid_t pid, pid_t tid) {
  char state = thread_state(pid, tid);
  STUB_LOG(Ptrace, "state of {}: {}", tid, state ? state : '-');
  if (state == 0)
    return rsp::fail(std::errc::no_such_process);
  return state == 'Z' || state == 'X';
}

} // namespace stub
