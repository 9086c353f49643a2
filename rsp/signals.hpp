#pragma once
// gdb's signal numbers (GDB_SIGNAL_*, include/gdb/signals.def), as used on the wire.
// They equal Linux's numbers only for the classic ones; map host signals in the stub.

namespace rsp::gdb_signal {

inline constexpr int None = 0;
inline constexpr int Hup = 1;
inline constexpr int Int = 2;
inline constexpr int Quit = 3;
inline constexpr int Ill = 4;
inline constexpr int Trap = 5;
inline constexpr int Abrt = 6;
inline constexpr int Fpe = 8;
inline constexpr int Kill = 9;
inline constexpr int Bus = 10;
inline constexpr int Segv = 11;
inline constexpr int Sys = 12;
inline constexpr int Pipe = 13;
inline constexpr int Alrm = 14;
inline constexpr int Term = 15;
inline constexpr int Urg = 16;
inline constexpr int Stop = 17;
inline constexpr int Tstp = 18;
inline constexpr int Cont = 19;
inline constexpr int Chld = 20;
inline constexpr int Usr1 = 30;
inline constexpr int Usr2 = 31;

} // namespace rsp::gdb_signal
