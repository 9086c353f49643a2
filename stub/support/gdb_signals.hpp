#pragma once
// Linux x86-64 signal numbers <-> gdb's protocol signal numbers (GDB_SIGNAL_* in gdb's
// include/gdb/signals.def), which follow an old Unix numbering, not Linux's.

namespace stub {

inline constexpr int gdb_signal_unknown = 143; // GDB_SIGNAL_UNKNOWN

// A host signal as gdb numbers it; 0 stays 0, a signal gdb has no name for is 143.
int host_to_gdb_signal(int host);

// A gdb signal as the host numbers it; 0 if the host has no such signal (or for 0).
int gdb_to_host_signal(int gdb);

} // namespace stub
