#include <catch2/catch.hpp>

#include <csignal>

#include "stub/support/gdb_signals.hpp"

using stub::gdb_to_host_signal;
using stub::host_to_gdb_signal;

namespace {

// gdb's protocol numbers (include/gdb/signals.def) for each Linux signal.
struct Pair {
  int host;
  int gdb;
};
const Pair linux_signals[] = {
    {SIGHUP, 1},     {SIGINT, 2},   {SIGQUIT, 3},   {SIGILL, 4},   {SIGTRAP, 5},  {SIGABRT, 6},
    {SIGFPE, 8},     {SIGKILL, 9},  {SIGBUS, 10},   {SIGSEGV, 11}, {SIGSYS, 12},  {SIGPIPE, 13},
    {SIGALRM, 14},   {SIGTERM, 15}, {SIGURG, 16},   {SIGSTOP, 17}, {SIGTSTP, 18}, {SIGCONT, 19},
    {SIGCHLD, 20},   {SIGTTIN, 21}, {SIGTTOU, 22},  {SIGIO, 23},   {SIGXCPU, 24}, {SIGXFSZ, 25},
    {SIGVTALRM, 26}, {SIGPROF, 27}, {SIGWINCH, 28}, {SIGUSR1, 30}, {SIGUSR2, 31}, {SIGPWR, 32},
};

} // namespace

TEST_CASE("standard signals map both ways", "[support][signals]") {
  for (const Pair &p : linux_signals) {
    INFO("host " << p.host << " gdb " << p.gdb);
    CHECK(host_to_gdb_signal(p.host) == p.gdb);
    CHECK(gdb_to_host_signal(p.gdb) == p.host);
  }
}

TEST_CASE("Linux x86-64 host numbers are the ones we assume", "[support][signals]") {
  CHECK(SIGBUS == 7);
  CHECK(SIGUSR1 == 10);
  CHECK(SIGCHLD == 17);
  CHECK(SIGSTOP == 19);
  CHECK(SIGIO == 29);
  CHECK(SIGSYS == 31);
  CHECK(host_to_gdb_signal(7) == 10);
  CHECK(host_to_gdb_signal(19) == 17);
  CHECK(gdb_to_host_signal(17) == 19);
}

TEST_CASE("signal 0 and unknowns", "[support][signals]") {
  CHECK(host_to_gdb_signal(0) == 0);
  CHECK(gdb_to_host_signal(0) == 0);
  CHECK(host_to_gdb_signal(16) == 143); // SIGSTKFLT: gdb has no number for it
  CHECK(host_to_gdb_signal(65) == 143);
  CHECK(host_to_gdb_signal(-1) == 143);
  CHECK(host_to_gdb_signal(1000) == 143);
  // gdb signals Linux lacks.
  CHECK(gdb_to_host_signal(7) == 0);   // EMT
  CHECK(gdb_to_host_signal(29) == 0);  // LOST
  CHECK(gdb_to_host_signal(34) == 0);  // WIND
  CHECK(gdb_to_host_signal(44) == 0);  // PRIO
  CHECK(gdb_to_host_signal(76) == 0);  // CANCEL
  CHECK(gdb_to_host_signal(79) == 0);  // REALTIME_65: beyond SIGRTMAX
  CHECK(gdb_to_host_signal(141) == 0); // REALTIME_127
  CHECK(gdb_to_host_signal(142) == 0); // INFO
  CHECK(gdb_to_host_signal(143) == 0); // UNKNOWN
  CHECK(gdb_to_host_signal(144) == 0);
  CHECK(gdb_to_host_signal(-5) == 0);
}

TEST_CASE("SIGPOLL is SIGIO on Linux", "[support][signals]") {
  CHECK(SIGPOLL == SIGIO);
  CHECK(host_to_gdb_signal(SIGPOLL) == 23);
  CHECK(gdb_to_host_signal(33) == SIGIO); // GDB_SIGNAL_POLL
}

TEST_CASE("real-time signals", "[support][signals]") {
  CHECK(host_to_gdb_signal(32) == 77); // REALTIME_32 was added late, out of order
  CHECK(gdb_to_host_signal(77) == 32);
  for (int host = 33; host <= 63; ++host) {
    INFO("host " << host);
    CHECK(host_to_gdb_signal(host) == 45 + (host - 33));
    CHECK(gdb_to_host_signal(45 + (host - 33)) == host);
  }
  CHECK(host_to_gdb_signal(SIGRTMAX) == 78); // REALTIME_64
  CHECK(gdb_to_host_signal(78) == 64);
  CHECK(host_to_gdb_signal(SIGRTMIN) == 45 + (SIGRTMIN - 33)); // glibc's SIGRTMIN is 34
}

TEST_CASE("round trip over every host signal", "[support][signals]") {
  for (int host = 1; host <= 64; ++host) {
    if (host == 16) // SIGSTKFLT
      continue;
    INFO("host " << host);
    CHECK(gdb_to_host_signal(host_to_gdb_signal(host)) == host);
  }
}
