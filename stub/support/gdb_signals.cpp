#include "stub/support/gdb_signals.hpp"

#include <array>
#include <csignal>
#include <utility>

namespace stub {
namespace {

// gdb's numbering of the signals Linux has (the protocol numbers are fixed forever).
enum GdbSignal : int {
  Hup = 1,
  Int = 2,
  Quit = 3,
  Ill = 4,
  Trap = 5,
  Abrt = 6,
  Fpe = 8,
  Kill = 9,
  Bus = 10,
  Segv = 11,
  Sys = 12,
  Pipe = 13,
  Alrm = 14,
  Term = 15,
  Urg = 16,
  Stop = 17,
  Tstp = 18,
  Cont = 19,
  Chld = 20,
  Ttin = 21,
  Ttou = 22,
  Io = 23,
  Xcpu = 24,
  Xfsz = 25,
  Vtalrm = 26,
  Prof = 27,
  Winch = 28,
  Usr1 = 30,
  Usr2 = 31,
  Pwr = 32,
  Poll = 33,
  Realtime33 = 45, // ..REALTIME_63 = 75, consecutive
  Realtime32 = 77,
  Realtime64 = 78, // ..REALTIME_127 = 141, consecutive
};

// Host <-> gdb for the classic signals. SIGPOLL is SIGIO on Linux: host 29 reports as IO,
// and both IO and POLL from gdb deliver 29. SIGSTKFLT has no gdb number.
constexpr std::array<std::pair<int, int>, 30> classic = {{
    {SIGHUP, Hup},   {SIGINT, Int},     {SIGQUIT, Quit}, {SIGILL, Ill},   {SIGTRAP, Trap},
    {SIGABRT, Abrt}, {SIGFPE, Fpe},     {SIGKILL, Kill}, {SIGBUS, Bus},   {SIGSEGV, Segv},
    {SIGSYS, Sys},   {SIGPIPE, Pipe},   {SIGALRM, Alrm}, {SIGTERM, Term}, {SIGURG, Urg},
    {SIGSTOP, Stop}, {SIGTSTP, Tstp},   {SIGCONT, Cont}, {SIGCHLD, Chld}, {SIGTTIN, Ttin},
    {SIGTTOU, Ttou}, {SIGIO, Io},       {SIGXCPU, Xcpu}, {SIGXFSZ, Xfsz}, {SIGVTALRM, Vtalrm},
    {SIGPROF, Prof}, {SIGWINCH, Winch}, {SIGUSR1, Usr1}, {SIGUSR2, Usr2}, {SIGPWR, Pwr},
}};

// The kernel's real-time range on x86-64 (glibc's SIGRTMIN reserves a few; gdb does not care).
constexpr int host_rt_min = 32;
constexpr int host_rt_max = 64;

} // namespace

int host_to_gdb_signal(int host) {
  if (host == 0)
    return 0;
  for (const auto &[h, g] : classic)
    if (h == host)
      return g;
  if (host == 32)
    return Realtime32;
  if (host >= 33 && host <= 63)
    return Realtime33 + (host - 33);
  if (host == 64)
    return Realtime64;
  return gdb_signal_unknown;
}

int gdb_to_host_signal(int gdb) {
  if (gdb == Poll)
    return SIGPOLL;
  for (const auto &[h, g] : classic)
    if (g == gdb)
      return h;
  int host = 0;
  if (gdb == Realtime32)
    host = 32;
  else if (gdb >= Realtime33 && gdb <= Realtime33 + 30)
    host = 33 + (gdb - Realtime33);
  else if (gdb >= Realtime64 && gdb <= Realtime64 + 63)
    host = 64 + (gdb - Realtime64);
  return host >= host_rt_min && host <= host_rt_max ? host : 0;
}

} // namespace stub
