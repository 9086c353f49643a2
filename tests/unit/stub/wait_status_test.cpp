#include "stub/wait_status.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <sys/ptrace.h>

using namespace stub;

// Raw statuses built the way the kernel encodes them (see wait(2)).
static int exited(int code) { return (code & 0xff) << 8; }
static int signaled(int sig) { return sig & 0x7f; }
static int stopped(int sig, int event = 0) { return (event << 16) | ((sig & 0xff) << 8) | 0x7f; }

TEST_CASE("wait statuses decode", "[wait_status]") {
  CHECK(std::get<Exited>(decode_wait_status(exited(5))).code == 5);
  CHECK(std::get<Signaled>(decode_wait_status(signaled(SIGKILL))).signal == SIGKILL);
  CHECK(std::get<SignalStop>(decode_wait_status(stopped(SIGSEGV))).signal == SIGSEGV);
  auto exit_event = std::get<EventStop>(decode_wait_status(stopped(SIGTRAP, PTRACE_EVENT_EXIT)));
  CHECK(exit_event.event == PTRACE_EVENT_EXIT);
  auto group = std::get<EventStop>(decode_wait_status(stopped(SIGSTOP, PTRACE_EVENT_STOP)));
  CHECK(group.signal == SIGSTOP);
  CHECK(std::holds_alternative<SyscallStop>(decode_wait_status(stopped(SIGTRAP | 0x80))));
  CHECK(describe(decode_wait_status(stopped(SIGTRAP, PTRACE_EVENT_CLONE))).find("clone") !=
        std::string::npos);
}
